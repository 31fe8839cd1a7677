"""Maps a request to its route, applies injected faults, and runs the route's handler."""

from __future__ import annotations

import logging
import re
import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable, Optional, Tuple

from . import api, downloads
from .config import Fault
from .wire import ApiError, Request, Response, default_error, error_response

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator

log = logging.getLogger(__name__)

API = "/api/v1"
UPLOAD_PATH = "/oss-upload"
API_ROUTES = frozenset({"submit", "task", "cancel", "list", "policy"})

Handler = Callable[["Emulator", Request], Response]


def _upload(emu: Emulator, request: Request) -> Response:
    return emu.upload_service.receive(request.body, request.headers.get("Content-Type", ""), request.request_id)


TASK_PATH = re.compile(API + r"/tasks/([^/]+)/?")

_TABLE: Tuple[Tuple[str, re.Pattern[str], str, Callable[..., Response]], ...] = (
    ("GET", re.compile(API + r"/tasks/?"), "list", api.list_tasks),
    ("GET", TASK_PATH, "task", api.get_task),
    ("POST", re.compile(API + r"/tasks/([^/]+)/cancel/?"), "cancel", api.cancel_task),
    ("GET", re.compile(API + r"/uploads/?"), "policy", api.get_policy),
    ("POST", re.compile(re.escape(UPLOAD_PATH) + r"/?"), "upload", _upload),
    ("GET", re.compile(r"/media/([A-Za-z0-9-]+)(?:_(\d{1,4}))?\.([A-Za-z0-9]{1,16})"), "download",
     downloads.serve_result),
    ("GET", re.compile(r"/blobs/([^/]+)"), "download", downloads.serve_blob),
    ("GET", re.compile(r"/pypi/([^/]+)/json/?"), "pypi", downloads.serve_pypi),
)


def classify(emu: Emulator, method: str, path: str) -> Tuple[str, Optional[Handler]]:
    """Route name (the fault key) and a bound handler, or ("other", None).

    A registered service's paths are the "submit" route, whether they answer with a task or at
    once; the core's own routes come first, so no service can shadow them.
    """
    verb = "GET" if method == "HEAD" else method
    for table_method, pattern, route, function in _TABLE:
        match = pattern.fullmatch(path)
        if match is None or table_method != verb:
            continue
        args = tuple(group or "" for group in match.groups())
        return route, (lambda emu, request, f=function, a=args: f(emu, request, *a))
    if verb == "POST" and emu.services.route(path) is not None:
        return "submit", (lambda emu, request, p=path: api.submit(emu, request, p))
    return "other", None


@dataclass
class Outcome:
    """What the server writes: a response (None = drop the connection) possibly cut in half."""

    response: Optional[Response]
    truncate: bool = False


def fault_response(fault: Fault, request: Request) -> Outcome:
    if fault.kind == "drop":
        return Outcome(None)
    code, message = default_error(fault.status)
    headers = []
    if fault.retry_after is not None:
        value = fault.retry_after
        headers.append(("Retry-After", str(int(value)) if float(value).is_integer() else str(value)))
    response = error_response(fault.status, fault.code or code, fault.message or message, request.request_id, headers)
    return Outcome(response)


def handle(emu: Emulator, request: Request, handler: Optional[Handler]) -> Outcome:
    """Faults first (delays, then one status/drop/truncate), then auth, then the route."""
    if request.route == "task":
        match = TASK_PATH.fullmatch(request.url_path)
        if match is not None:
            emu.counters.poll(match.group(1))
    for fault in emu.fault_book.take_delays(request.route):
        time.sleep(max(0.0, fault.delay))
    fault = emu.fault_book.take_terminal(request.route)
    if fault is not None and fault.kind in ("status", "drop") and not fault.after_accept:
        return fault_response(fault, request)
    response = _run(emu, request, handler)
    if fault is not None and fault.kind in ("status", "drop"):
        return fault_response(fault, request)  # after_accept: the action happened
    return Outcome(response, truncate=fault is not None and fault.kind == "truncate")


def _run(emu: Emulator, request: Request, handler: Optional[Handler]) -> Response:
    try:
        if handler is None:
            raise ApiError(404, "NotFound", f"No route for {request.method} {request.url_path}.")
        if request.route in API_ROUTES:
            api.authorize(emu, request)
        return handler(emu, request)
    except ApiError as exc:
        return error_response(exc.status, exc.code, exc.message, request.request_id, exc.headers)
    except Exception:  # noqa: BLE001 - a bug must still produce an answer
        log.exception("emulator route %s failed", request.route)
        code, message = default_error(500)
        return error_response(500, code, message, request.request_id)
