"""Serve the simulator alone: `python -m voice_app.simulator --port 8765`."""

import argparse

import uvicorn

from voice_app.config import CONFIG
from voice_app.realtime.catalog import API_ROOT
from voice_app.simulator.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="A local stand-in for the OpenAI Realtime API (GA) over WebRTC.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-faults", action="store_true", help="turn off the /control endpoints (faults, stats)")
    parser.add_argument("--api-key", metavar="KEY", help="the only API key to accept, as the real API would (default: any)")
    parser.add_argument(
        "--mcp-allow",
        metavar="URL",
        action="append",
        help="an MCP server URL sessions may reach; repeat for more (default: any, as the real API)",
    )
    parser.add_argument(
        "--no-speech",
        action="store_true",
        help=(
            "label speech [speech, N s] and play it back, instead of hearing it with the speech model and answering "
            "aloud (as VOICE_SIMULATOR_SPEECH=0 does)"
        ),
    )
    args = parser.parse_args()
    print(f"Realtime API simulator: OPENAI_BASE_URL=http://{args.host}:{args.port}{API_ROOT}", flush=True)
    app = create_app(
        allow_faults=not args.no_faults,
        api_key=args.api_key,
        mcp_allowed=args.mcp_allow,
        speech=CONFIG.voice_simulator_speech and not args.no_speech,
    )
    uvicorn.run(app, host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
