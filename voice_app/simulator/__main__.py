"""Serve the simulator alone: `python -m voice_app.simulator --port 8765`."""

import argparse

import uvicorn

from voice_app.simulator.app import create_app


def main() -> None:
    parser = argparse.ArgumentParser(description="A local stand-in for the OpenAI Realtime API (GA) over WebRTC.")
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on (default: loopback only)")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-faults", action="store_true", help="turn off the /control endpoints (faults, stats)")
    args = parser.parse_args()
    print(f"Realtime API simulator: OPENAI_BASE_URL=http://{args.host}:{args.port}/v1", flush=True)
    uvicorn.run(create_app(allow_faults=not args.no_faults), host=args.host, port=args.port, log_level="warning")


if __name__ == "__main__":
    main()
