"""A real HTTP server on 127.0.0.1 answering the geocoding services' recorded responses (tests/canteens/geocoder/).

Routes by path and query: `/search/?q=…` (Base Adresse Nationale) and `/communes/<code>` (geographic API). Special
queries: `q=slow…` sleeps longer than the client's timeout, `q=busy…` answers 429 (`Retry-After: 0`) the first
`busy_times` times, `q=broken…` answers 500. Every request is counted in `server.hits`.
"""

import threading
import time
import urllib.parse
from contextlib import contextmanager
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

RECORDED = Path(__file__).parent / "geocoder"
SEARCHES = {
    "12 rue de la paix": "search_found.json",
    "rue de siam": "search_street.json",
    "cantine": "search_low_score.json",
}


class Handler(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def send_json(self, status, name=None, headers=None):
        body = (RECORDED / name).read_bytes() if name else b'{"message": "error"}'
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        try:
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout)

    def do_GET(self):  # noqa: N802
        server = self.server
        url = urllib.parse.urlsplit(self.path)
        query = dict(urllib.parse.parse_qsl(url.query))
        server.hits.append(self.path)
        if url.path == "/search/":
            q = query.get("q", "").lower()
            if q.startswith("slow"):
                time.sleep(server.slow_seconds)
                return self.send_json(200, "search_found.json")
            if q.startswith("busy"):
                server.busy_left -= 1
                if server.busy_left >= 0:
                    return self.send_json(429, headers={"Retry-After": "0"})
                return self.send_json(200, "search_found.json")
            if q.startswith("broken"):
                return self.send_json(500)
            return self.send_json(200, SEARCHES.get(q, "search_not_found.json"))
        if url.path.startswith("/communes/"):
            code = url.path.rsplit("/", 1)[-1]
            if (RECORDED / f"commune_{code}.json").exists():
                return self.send_json(200, f"commune_{code}.json")
            return self.send_json(404)
        return self.send_json(404)


@contextmanager
def recorded_server(busy_times=1, slow_seconds=1.0):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.hits = []
    server.busy_left = busy_times
    server.slow_seconds = slow_seconds
    server.daemon_threads = True
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        server.url = f"http://127.0.0.1:{server.server_address[1]}"
        yield server
    finally:
        server.shutdown()
        server.server_close()
