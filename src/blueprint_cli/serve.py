"""A small local HTTP server: fixed routes, server-sent events, nothing else.

It knows nothing of blueprints (the standard library only): it is given its routes, a
name -> response function table, and a source of events, and serves them on 127.0.0.1.
It reads no file by its URL, so a path it does not know, ``..`` or encoded, is a 404.
What it refuses, in this order:

- a ``Host`` that is not ``127.0.0.1:PORT`` or ``localhost:PORT``: 403 (a page on
  another site, through a DNS name re-bound to 127.0.0.1, must not read ours);
- a method other than GET or HEAD: 405;
- a path that is not a route: 404.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Protocol
from urllib.parse import urlsplit

HOST = "127.0.0.1"
#: An events stream sends a comment this often when nothing happens, so that proxies
#: and the browser keep it open (and a reader that has gone is found out).
KEEP_ALIVE_S = 15.0
#: Headers on every response: nothing is cached, sniffed, framed or referred.
COMMON_HEADERS = {
    "Cache-Control": "no-store",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
}


@dataclass(frozen=True, slots=True)
class Response:
    body: bytes
    content_type: str
    status: int = 200
    headers: Mapping[str, str] = field(default_factory=dict)


class Events(Protocol):
    """What an events route streams: ``next_event(after, timeout)`` waits until there is
    an event later than ``after`` (None: the current one at once) and returns
    (its id, its name, its data), or None after ``timeout`` seconds without one; raises
    ``Stopped`` when the server is stopping."""

    def next_event(self, after: int | None, timeout: float) -> tuple[int, str, str] | None: ...


class Stopped(Exception):
    pass


Routes = Mapping[str, Callable[[], Response]]


class Server(ThreadingHTTPServer):
    daemon_threads = True  # a request thread never keeps the process alive
    block_on_close = False

    def __init__(
        self, port: int, routes: Routes, events: Mapping[str, Events], keep_alive: float
    ) -> None:
        self.routes = routes
        self.events = events
        self.keep_alive = keep_alive
        super().__init__((HOST, port), _Handler)
        self.port: int = self.server_address[1]
        self.hosts = frozenset({f"127.0.0.1:{self.port}", f"localhost:{self.port}"})

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"


class _Handler(BaseHTTPRequestHandler):
    server: Server

    def version_string(self) -> str:
        return "blueprint"

    def do_GET(self) -> None:
        self._answer(head=False)

    def do_HEAD(self) -> None:
        self._answer(head=True)

    def __getattr__(self, name: str) -> Callable[[], None]:
        """Any other method (POST, PUT, OPTIONS, BREW…): 405, not the 501 of the base."""
        if name.startswith("do_"):
            return self._not_allowed
        raise AttributeError(name)

    def _not_allowed(self) -> None:
        if self._host_refused():
            return
        self._send(Response(b"method not allowed\n", "text/plain", 405, {"Allow": "GET, HEAD"}))

    def _host_refused(self) -> bool:
        if self.headers.get("Host", "").lower() in self.server.hosts:
            return False
        self._send(Response(b"forbidden: unknown host\n", "text/plain", 403))
        return True

    def _answer(self, head: bool) -> None:
        if self._host_refused():
            return
        path = urlsplit(self.path).path if self.path.startswith("/") else ""
        if path in self.server.events and not head:
            self._stream(self.server.events[path])
            return
        route = self.server.routes.get(path)
        if path in self.server.events:
            response = Response(b"", "text/event-stream")
        elif route is None:
            response = Response(b"not found\n", "text/plain", 404)
        else:
            response = route()
        self._send(response, head)

    def _send(self, response: Response, head: bool = False) -> None:
        self.send_response(response.status)
        self.send_header("Content-Type", response.content_type)
        self.send_header("Content-Length", str(len(response.body)))
        for name, value in {**COMMON_HEADERS, **response.headers}.items():
            self.send_header(name, value)
        self.end_headers()
        if not head:
            self.wfile.write(response.body)

    def _stream(self, events: Events) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream; charset=utf-8")
        for name, value in COMMON_HEADERS.items():
            self.send_header(name, value)
        self.end_headers()
        last: int | None = None
        try:
            self.wfile.write(b"retry: 1000\n\n")  # reconnect after a second when cut
            self.wfile.flush()
            while True:
                event = events.next_event(last, self.server.keep_alive)
                if event is None:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    last, name, data = event
                    lines = "".join(f"data: {line}\n" for line in data.split("\n"))
                    self.wfile.write(f"id: {last}\nevent: {name}\n{lines}\n".encode())
                self.wfile.flush()
        except (Stopped, OSError):  # stopping, or the reader has gone
            return

    def log_message(self, format: str, *_args: object) -> None:
        pass  # the command says what changes; requests are not news


def start(
    routes: Routes,
    events: Mapping[str, Events] | None = None,
    port: int = 0,
    keep_alive: float = KEEP_ALIVE_S,
) -> tuple[Server, threading.Thread]:
    """A server listening on 127.0.0.1 (``port`` 0: one the system picks), serving in a
    thread of its own; raises OSError when it cannot listen."""
    server = Server(port, routes, events or {}, keep_alive)
    thread = threading.Thread(target=server.serve_forever, name="blueprint-serve", daemon=True)
    thread.start()
    return server, thread


def stop(server: Server, thread: threading.Thread) -> None:
    """Stop serving and close the socket (the events streams end with their source)."""
    server.shutdown()
    server.server_close()
    thread.join(timeout=5)
