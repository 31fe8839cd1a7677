"""A small hostile HTTP server for tests: every answer is scripted by the test.

The emulator plays the service as documented; this server plays it badly: HTML
instead of JSON, answers that trickle in byte by byte, bodies cut short,
connections dropped after the request was read, other task ids, huge bodies.
A test registers a *script* per route (a callable taking the request and
returning a :class:`Reply`), then points the client at ``server.base_url``.
Every request is recorded, so tests count what the server received.

    with HostileServer() as server:
        server.on("POST", "/api/v1/services/", lambda req: Reply(200, b"<html>oops</html>"))
        ...
        assert server.count("POST") == 1
"""

from __future__ import annotations

import json
import socket
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Dict, Iterable, List, Optional, Tuple, Union


@dataclass
class Seen:
    """One request as the server received it."""

    method: str
    path: str
    headers: Dict[str, str]
    body: bytes
    at: float

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Reply:
    """What to send back.

    ``body`` is bytes, or an iterable of byte chunks (a generator may sleep
    between chunks to trickle). ``length`` overrides Content-Length (None: the
    body's real length when it is bytes; "omit": no Content-Length, connection
    closes at the end). ``cut_after`` sends only that many body bytes, then
    closes the connection. ``drop`` reads the request and closes without any
    answer. ``per_byte_delay`` trickles a bytes body one byte at a time.
    """

    status: int = 200
    body: Union[bytes, Iterable[bytes]] = b""
    headers: Dict[str, str] = field(default_factory=dict)
    length: Union[int, str, None] = None
    cut_after: Optional[int] = None
    drop: bool = False
    per_byte_delay: float = 0.0

    @classmethod
    def json(cls, data: Any, status: int = 200, **kwargs: Any) -> Reply:
        headers = {"Content-Type": "application/json", **kwargs.pop("headers", {})}
        return cls(status, json.dumps(data).encode(), headers=headers, **kwargs)


Script = Callable[[Seen], Reply]


class HostileServer:
    """A threaded HTTP/1.1 server on a free loopback port whose answers tests script."""

    def __init__(self) -> None:
        self.requests: List[Seen] = []
        self._scripts: List[Tuple[str, str, Script]] = []
        self._lock = threading.Lock()
        self._server: Optional[ThreadingHTTPServer] = None

    # -- scripting -------------------------------------------------------------
    def on(self, method: str, path_prefix: str, script: Union[Script, Reply, List[Reply]]) -> None:
        """Answer requests whose path starts with ``path_prefix``; later registrations win.

        A :class:`Reply` answers every such request; a list of replies answers
        them in turn (the last one repeats).
        """
        if isinstance(script, Reply):
            reply = script
            script = lambda _req: reply  # noqa: E731
        elif isinstance(script, list):
            replies = list(script)

            def script(_req: Seen, _replies: List[Reply] = replies) -> Reply:
                return _replies.pop(0) if len(_replies) > 1 else _replies[0]

        with self._lock:
            self._scripts.insert(0, (method.upper(), path_prefix, script))

    def count(self, method: Optional[str] = None, path_prefix: str = "") -> int:
        with self._lock:
            return sum(1 for r in self.requests
                       if (method is None or r.method == method.upper()) and r.path.startswith(path_prefix))

    def seen(self, method: Optional[str] = None, path_prefix: str = "") -> List[Seen]:
        with self._lock:
            return [r for r in self.requests
                    if (method is None or r.method == method.upper()) and r.path.startswith(path_prefix)]

    @property
    def base_url(self) -> str:
        assert self._server is not None, "start the server first"
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    @property
    def api_base(self) -> str:
        return self.base_url + "/api/v1"

    # -- lifecycle ---------------------------------------------------------------
    def start(self) -> HostileServer:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self))
        server.daemon_threads = True
        self._server = server
        threading.Thread(target=server.serve_forever, name="hostile-server", daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    def _script_for(self, method: str, path: str) -> Optional[Script]:
        with self._lock:
            for wanted, prefix, script in self._scripts:
                if wanted in (method, "*") and path.startswith(prefix):
                    return script
        return None

    def _record(self, seen: Seen) -> None:
        with self._lock:
            self.requests.append(seen)


def _handler(owner: HostileServer) -> type:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args: Any) -> None:
            pass

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            seen = Seen(self.command, self.path, dict(self.headers.items()), body, time.time())
            owner._record(seen)
            script = owner._script_for(self.command, self.path)
            reply = script(seen) if script else Reply.json({"code": "NotScripted", "message": self.path}, 404)
            try:
                self._send(reply)
            except (BrokenPipeError, ConnectionResetError, socket.timeout):
                self.close_connection = True

        def _send(self, reply: Reply) -> None:
            if reply.drop:
                self.close_connection = True
                return
            chunks: Iterable[bytes] = [reply.body] if isinstance(reply.body, bytes) else reply.body
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if reply.length == "omit" or (reply.length is None and not isinstance(reply.body, bytes)):
                self.close_connection = True
                self.send_header("Connection", "close")
            else:
                declared = reply.length if reply.length is not None else len(reply.body)  # type: ignore[arg-type]
                self.send_header("Content-Length", str(declared))
            self.end_headers()
            sent = 0
            for chunk in chunks:
                if reply.cut_after is not None:
                    chunk = chunk[: max(0, reply.cut_after - sent)]
                if reply.per_byte_delay:
                    for index in range(len(chunk)):
                        self.wfile.write(chunk[index:index + 1])
                        self.wfile.flush()
                        time.sleep(reply.per_byte_delay)
                else:
                    self.wfile.write(chunk)
                    self.wfile.flush()
                sent += len(chunk)
                if reply.cut_after is not None and sent >= reply.cut_after:
                    self.close_connection = True
                    return

        do_GET = do_POST = do_PUT = do_HEAD = do_DELETE = _serve

    return Handler
