"""Pure Python knowledge of the OpenAI Realtime API (GA). Never imports reflex."""
