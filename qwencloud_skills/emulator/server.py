"""The Emulator: a real local HTTP server playing DashScope: its services' tasks, uploads and results."""

from __future__ import annotations

import logging
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Dict, Iterable, List, Optional, Set
from urllib.parse import urlsplit

from .blobs import BlobStore
from .clock import Clock
from .config import EmulatorConfig, Fault
from .faults import FaultBook
from .pypi import VersionIndex
from .quotas import RateBook
from .results import ResultStore
from .routing import UPLOAD_PATH, Outcome, classify, handle
from .scheduler import SlotBook
from .service import Service
from .services import ServiceTable, discover
from .stats import Counters, EmulatorStats
from .tasks import TaskStore
from .timing import Draws
from .uploads import UploadService
from .wire import Headers, Request

log = logging.getLogger(__name__)


class _Handler(BaseHTTPRequestHandler):
    """One connection; keep-alive, Content-Length framed both ways."""

    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes: with Nagle's algorithm on, the client's delayed ACK
    # would hold every answer back ~40 ms (a poll loop could not reach the service's 20 queries/s).
    disable_nagle_algorithm = True
    server_version = "DashScopeEmulator/1.0"
    sys_version = ""
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        log.debug("%s %s", self.address_string(), format % args)

    def _read_body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is not None:
            return self.rfile.read(int(length))
        if self.headers.get("Transfer-Encoding"):
            self.close_connection = True  # chunked uploads are not supported: do not reuse the stream
        return b""

    def _serve(self) -> None:
        try:
            body = self._read_body()
        except (ValueError, OSError):
            self.close_connection = True
            return
        emulator = self.server.emulator
        route, handler = classify(emulator, self.command, urlsplit(self.path).path)
        request = Request(
            method=self.command,
            path=self.path,
            headers=Headers(self.headers.items()),
            body=body,
            route=route,
            received_at=time.time(),
            client_port=int(self.client_address[1]) if len(self.client_address) > 1 else 0,
        )
        emulator._record(request)
        self._write(handle(emulator, request, handler))

    def _write(self, outcome: Outcome) -> None:
        response = outcome.response
        if response is None:  # "drop": read the request, answer nothing
            self.close_connection = True
            return
        length = response.content_length
        try:
            self.send_response(response.status)
            for name, value in response.headers:
                self.send_header(name, value)
            self.send_header("Content-Length", str(length))
            self.end_headers()
            if self.command == "HEAD":
                return
            limit = length // 2 if outcome.truncate else length
            sent = 0
            for chunk in response.stream() if response.stream is not None else (response.body,):
                if sent >= limit:
                    break
                piece = chunk[: limit - sent]
                self.wfile.write(piece)
                sent += len(piece)
            self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError, socket.timeout):
            self.close_connection = True
            return
        if outcome.truncate:
            self.close_connection = True

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = _serve


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    request_queue_size = 512  # the default backlog of 5 drops connections when a batch submits at once

    def __init__(self, address: Any, emulator: Emulator, family: int) -> None:
        self.address_family = family
        self.emulator = emulator
        self._connections: Set[socket.socket] = set()
        self._connections_lock = threading.Lock()
        super().__init__(address, _Handler)

    def process_request(self, request: Any, client_address: Any) -> None:
        with self._connections_lock:
            self._connections.add(request)
        super().process_request(request, client_address)

    def shutdown_request(self, request: Any) -> None:
        with self._connections_lock:
            self._connections.discard(request)
        super().shutdown_request(request)

    def close_connections(self) -> None:
        """End idle keep-alive connections so stop() leaves no thread blocked on a socket."""
        with self._connections_lock:
            connections = list(self._connections)
        for connection in connections:
            try:
                connection.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass


class Emulator:
    """Local DashScope service; see the package docstring for faults.

    It answers the services the installed plugins register (``plugins=False``: none) plus
    ``services``; :meth:`add_service` adds one later, e.g. from a test.
    """

    def __init__(
        self,
        config: Optional[EmulatorConfig] = None,
        host: str = "127.0.0.1",
        port: int = 0,
        services: Iterable[Service] = (),
        plugins: bool = True,
    ) -> None:
        self._config = config if config is not None else EmulatorConfig()
        self.host = host
        self.port = port
        self.clock = Clock()
        self.store = TaskStore(self.clock)
        self.fault_book = FaultBook()
        self.upload_service = UploadService(self.clock)
        self.services = ServiceTable(discover() if plugins else ())
        for service in services:
            self.services.add(service)
        self._service_state: Dict[str, Dict[str, Any]] = {}
        self._service_state_lock = threading.Lock()
        self.results = ResultStore()
        self.blob_store = BlobStore()
        self.version_index = VersionIndex()
        self.rates = RateBook()  # submit and query windows (EmulatorConfig.enforce_quotas)
        self.slots = SlotBook()  # running slots per account and model
        self.draws = Draws()  # generation times (EmulatorConfig.generation_model)
        self.counters = Counters()
        self._requests: List[Request] = []
        self._requests_lock = threading.Lock()
        self._server: Optional[_Server] = None
        self._thread: Optional[threading.Thread] = None

    # -- lifecycle -------------------------------------------------------------
    def start(self) -> Emulator:
        """Bind (port 0 picks a free port) and serve from a background thread."""
        if self._server is not None:
            return self
        family = socket.AF_INET6 if ":" in self.host else socket.AF_INET
        server = _Server((self.host, self.port), self, family)
        self.port = server.server_address[1]
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, kwargs={"poll_interval": 0.05}, name="dashscope-emulator", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        server, thread = self._server, self._thread
        if server is None:
            return
        server.shutdown()
        server.close_connections()
        server.server_close()
        if thread is not None:
            thread.join(timeout=5)
        self._server = None
        self._thread = None

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> Emulator:
        return self.start()

    def __exit__(self, *exc: Any) -> None:
        self.stop()

    # -- addresses ---------------------------------------------------------------
    @property
    def base_url(self) -> str:
        if self._server is None and self.port == 0:
            raise RuntimeError("the emulator is not started (its port is chosen at start)")
        host = self.host
        if host in ("", "0.0.0.0"):
            host = "127.0.0.1"
        elif host == "::":
            host = "::1"
        if ":" in host:
            host = f"[{host}]"
        return f"http://{host}:{self.port}"

    @property
    def api_base(self) -> str:
        return self.base_url + "/api/v1"

    @property
    def upload_host(self) -> str:
        return self.base_url + UPLOAD_PATH

    @property
    def pypi_base(self) -> str:
        """Prefix for the PyPI JSON API stand-in: ``{pypi_base}/<dist>/json``."""
        return self.base_url + "/pypi"

    # -- configuration and faults ---------------------------------------------------
    @property
    def config(self) -> EmulatorConfig:
        return self._config

    @config.setter
    def config(self, value: EmulatorConfig) -> None:
        self._config = value

    def inject(self, fault: Fault) -> Fault:
        return self.fault_book.add(fault)

    def clear_faults(self) -> None:
        self.fault_book.clear()

    @property
    def faults(self) -> List[Fault]:
        """Faults not used up yet, in injection order."""
        return self.fault_book.active()

    def add_service(self, service: Service) -> Service:
        """Answer ``service``'s paths too (replacing a service of the same name or path); works while running."""
        self.services.add(service)
        return service

    def service_state(self, name: str) -> Dict[str, Any]:
        """The scratch dict a service keeps on this emulator (its caches survive between requests)."""
        with self._service_state_lock:
            return self._service_state.setdefault(name, {})

    def advance_time(self, seconds: float) -> None:
        """Move the emulator's clock forward (task states and queues, URL and task expiry, policies, rate windows)."""
        self.clock.advance(seconds)

    # -- observation -----------------------------------------------------------------
    def _record(self, request: Request) -> None:
        with self._requests_lock:
            self._requests.append(request)

    @property
    def requests(self) -> List[Request]:
        with self._requests_lock:
            return list(self._requests)

    def clear_requests(self) -> None:
        with self._requests_lock:
            self._requests.clear()

    @property
    def tasks(self) -> TaskStore:
        return self.store

    def stats(self) -> EmulatorStats:
        """Submits accepted and throttled, polls per task id, tasks running now and at most so far."""
        return self.counters.reading(self.store.snapshot(), self.clock.monotonic())

    @property
    def uploaded_objects(self) -> Dict[str, bytes]:
        return self.upload_service.objects()

    # -- extra content -------------------------------------------------------------------
    def add_version(self, distribution: str, version: str) -> None:
        """Publish ``version`` at GET /pypi/<distribution>/json (PyPI JSON API shape)."""
        self.version_index.add(distribution, version)

    def add_blob(self, name: str, size_bytes: int) -> str:
        """Serve ``size_bytes`` deterministic bytes at the returned URL (Range supported)."""
        self.blob_store.add(name, size_bytes)
        return f"{self.base_url}/blobs/{name}"

    def blob_sha256(self, name: str) -> str:
        blob = self.blob_store.get(name)
        if blob is None:
            raise KeyError(name)
        return blob.sha256()
