"""The GPT-Live mode of the simulator: `/v1/live/sessions` and its sideband (openai.types.live)."""
