"""Request/response values shared by the routes, and the service's error body shapes."""

from __future__ import annotations

import json
import uuid
from collections import abc
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, Iterable, Iterator, List, Optional, Tuple
from urllib.parse import parse_qs, urlsplit
from xml.sax.saxutils import escape

JSON_TYPE = "application/json"

DEFAULT_CODES = {
    400: ("InvalidParameter", "The request is invalid."),
    401: ("InvalidApiKey", "Invalid API-key provided."),
    403: ("AccessDenied", "Access denied."),
    404: ("NotFound", "The requested resource was not found."),
    408: ("RequestTimeOut", "Request timed out, please try again later."),
    409: ("Conflict", "The request conflicts with the current state."),
    429: ("Throttling", "Requests rate limit exceeded, please try again later."),
}
SERVER_ERROR = ("InternalError", "An internal error has occured, please try again later or contact service support.")


def default_error(status: int) -> Tuple[str, str]:
    """Code and message the service typically pairs with an HTTP status."""
    if status >= 500:
        return SERVER_ERROR
    return DEFAULT_CODES.get(status, ("BadRequest", "The request failed."))


def new_request_id() -> str:
    return str(uuid.uuid4())


class Headers(abc.Mapping):
    """Case-insensitive read-only header mapping, since HTTP header names ignore case."""

    def __init__(self, items: Iterable[Tuple[str, str]] = ()):
        self._items: List[Tuple[str, str]] = list(items)
        self._index: Dict[str, str] = {}
        self._names: Dict[str, str] = {}
        for name, value in self._items:
            low = name.lower()
            if low in self._index:
                self._index[low] = self._index[low] + ", " + value
            else:
                self._index[low] = value
                self._names[low] = name

    def __getitem__(self, key: str) -> str:
        return self._index[key.lower()]

    def __contains__(self, key: object) -> bool:
        return isinstance(key, str) and key.lower() in self._index

    def __iter__(self) -> Iterator[str]:
        return iter(self._names.values())

    def __len__(self) -> int:
        return len(self._index)

    def items_raw(self) -> List[Tuple[str, str]]:
        """Headers as received, duplicates and original case kept."""
        return list(self._items)

    def __repr__(self) -> str:
        return f"Headers({dict(self)!r})"


@dataclass(frozen=True)
class Request:
    """One received request, as recorded for tests and handed to the routes."""

    method: str
    path: str  # includes the query string
    headers: Headers
    body: bytes
    route: str = "other"
    request_id: str = field(default_factory=new_request_id)
    received_at: float = 0.0
    client_port: int = 0  # tells tests whether requests shared one keep-alive connection

    @property
    def url_path(self) -> str:
        return urlsplit(self.path).path

    @property
    def query(self) -> Dict[str, str]:
        """First value of each query parameter."""
        return {k: v[0] for k, v in parse_qs(urlsplit(self.path).query, keep_blank_values=True).items()}

    def json(self) -> Any:
        return json.loads(self.body.decode("utf-8"))


@dataclass
class Response:
    """What a route answers; ``stream`` plus ``length`` replace ``body`` for large files."""

    status: int
    headers: List[Tuple[str, str]] = field(default_factory=list)
    body: bytes = b""
    stream: Optional[Callable[[], Iterator[bytes]]] = None
    length: Optional[int] = None

    @property
    def content_length(self) -> int:
        return self.length if self.stream is not None and self.length is not None else len(self.body)


class ApiError(Exception):
    """Raised by a route to answer a DashScope-style JSON error."""

    def __init__(self, status: int, code: str, message: str, headers: Iterable[Tuple[str, str]] = ()):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = list(headers)


def json_response(
    status: int, payload: Dict[str, Any], request_id: str, headers: Iterable[Tuple[str, str]] = ()
) -> Response:
    """JSON answer that always carries the request id, like every DashScope reply."""
    body = dict(payload)
    body.setdefault("request_id", request_id)
    data = json.dumps(body, ensure_ascii=False).encode("utf-8")
    all_headers = [("Content-Type", JSON_TYPE), ("X-Request-Id", request_id), *headers]
    return Response(status, all_headers, data)


def error_response(
    status: int,
    code: str,
    message: str,
    request_id: str,
    headers: Iterable[Tuple[str, str]] = (),
) -> Response:
    return json_response(status, {"request_id": request_id, "code": code, "message": message}, request_id, headers)


def oss_error(status: int, code: str, message: str, request_id: str, **extra: str) -> Response:
    """XML error the way the object store (OSS) answers, not the API gateway."""
    parts = [f"<Code>{escape(code)}</Code>", f"<Message>{escape(message)}</Message>"]
    parts.append(f"<RequestId>{escape(request_id)}</RequestId>")
    parts.append("<HostId>emulator.oss.local</HostId>")
    parts.extend(f"<{k}>{escape(v)}</{k}>" for k, v in extra.items())
    body = '<?xml version="1.0" encoding="UTF-8"?>\n<Error>\n  ' + "\n  ".join(parts) + "\n</Error>\n"
    return Response(
        status,
        [("Content-Type", "application/xml"), ("x-oss-request-id", request_id)],
        body.encode("utf-8"),
    )
