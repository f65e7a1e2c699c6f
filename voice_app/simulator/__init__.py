"""A local stand-in for the OpenAI Realtime API (GA), over real WebRTC.

`voice_app.simulator.app.create_app()` gives the ASGI app; `python -m voice_app.simulator`
serves it alone. Submodules stay importable without aiortc where they don't need it.
"""
