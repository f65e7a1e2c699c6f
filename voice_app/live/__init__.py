"""Pure Python knowledge of OpenAI's second voice API, GPT-Live (`openai.types.live`). Never imports reflex."""
