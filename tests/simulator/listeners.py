"""A plain HTTP server on loopback that counts what reaches it: it stands for an address inside
the host's network that nobody outside should make the simulator call (or, with `redirect_to`,
a server that sends its clients there)."""

import contextlib
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


class Listener:
    def __init__(self, url: str) -> None:
        self.url = url
        self.requests: list[str] = []  # "METHOD path" of each request that arrived


@contextlib.contextmanager
def listening(redirect_to: str | None = None):
    """A Listener on a free loopback port; with `redirect_to`, it answers every request with a 307 there."""

    class Handler(BaseHTTPRequestHandler):
        def _answer(self) -> None:
            listener.requests.append(f"{self.command} {self.path}")
            self.send_response(307 if redirect_to else 404)
            if redirect_to:
                self.send_header("location", redirect_to)
            self.send_header("content-length", "0")
            self.end_headers()

        do_GET = do_POST = do_DELETE = _answer

        def log_message(self, *args) -> None:  # quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    listener = Listener(f"http://127.0.0.1:{server.server_address[1]}/mcp")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield listener
    finally:
        server.shutdown()
        server.server_close()
        thread.join(5)
