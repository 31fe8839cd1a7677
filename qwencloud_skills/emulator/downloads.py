"""Routes outside the API: result files, benchmark blobs and the PyPI stand-in."""

from __future__ import annotations

import hashlib
import os
from datetime import datetime, timezone
from email.utils import formatdate
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional, Tuple

from .ranges import RangeNotSatisfiable, parse_range
from .service import ResultUnavailable
from .tasks import SUCCEEDED
from .wire import ApiError, Request, Response, json_response, oss_error

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator

CHUNK = 64 * 1024


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def serve_result(emu: Emulator, request: Request, task_id: str, index: str, extension: str) -> Response:
    """Result file ``index`` (empty: the first) of a SUCCEEDED task, until its URL expires."""
    task = emu.store.get(task_id)
    now = emu.clock.monotonic()
    number = int(index) if index else 0
    results = task.plan.results if task is not None else ()
    if (
        task is None
        or task.status_at(now) != SUCCEEDED
        or number >= len(results)
        or results[number].extension != extension
        or (index and number == 0)  # the first result has one address only
    ):
        return oss_error(404, "NoSuchKey", "The specified key does not exist.", request.request_id)
    expires_mono = task.end_mono + emu.config.url_ttl_seconds
    if now > expires_mono:
        return oss_error(
            403,
            "AccessDenied",
            "Request has expired.",
            request.request_id,
            Expires=_iso(task.wall_at(expires_mono)),
            ServerTime=_iso(emu.clock.wall()),
        )
    content_type = results[number].content_type
    if emu.config.result_size_bytes is not None:
        name = f"result-{task.task_id}" + (f"-{number}" if number else "")
        blob = emu.blob_store.get(name) or emu.blob_store.add(name, int(emu.config.result_size_bytes))
        return ranged(request, blob.size, content_type, blob.etag, blob.chunks)
    try:
        produced = emu.results.get(emu, task, number)
    except ResultUnavailable as exc:
        raise ApiError(500, "InternalError", str(exc)) from exc
    extra = [("Last-Modified", formatdate(task.wall_at(task.end_mono), usegmt=True))]
    if isinstance(produced, bytes):
        etag = '"' + hashlib.md5(produced).hexdigest() + '"'
        return ranged(request, len(produced), content_type, etag, lambda a, b: iter((produced[a : b + 1],)), extra)
    size = os.path.getsize(produced)
    etag = '"' + os.path.basename(produced) + '"'
    return ranged(request, size, content_type, etag, lambda a, b: _file_chunks(produced, a, b), extra)


def _file_chunks(path: str, start: int, end: int) -> Iterator[bytes]:
    remaining = end - start + 1
    with open(path, "rb") as handle:
        handle.seek(start)
        while remaining > 0:
            data = handle.read(min(CHUNK, remaining))
            if not data:
                return
            remaining -= len(data)
            yield data


def serve_blob(emu: Emulator, request: Request, name: str) -> Response:
    blob = emu.blob_store.get(name)
    if blob is None:
        return oss_error(404, "NoSuchKey", "The specified key does not exist.", request.request_id)
    return ranged(request, blob.size, "application/octet-stream", blob.etag, blob.chunks)


def ranged(
    request: Request,
    size: int,
    content_type: str,
    etag: str,
    chunks: Callable[[int, int], Iterator[bytes]],
    extra: Optional[List[Tuple[str, str]]] = None,
) -> Response:
    """200 or 206 (single range, honouring If-Range) or 416, streamed from ``chunks``."""
    headers = [("Content-Type", content_type), ("Accept-Ranges", "bytes"), ("ETag", etag), *(extra or [])]
    header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if if_range is not None and if_range.strip() != etag:
        header = None  # the resource changed: send it whole
    try:
        span = parse_range(header, size)
    except RangeNotSatisfiable:
        return Response(416, [*headers, ("Content-Range", f"bytes */{size}")])
    if span is None:
        if size == 0:
            return Response(200, headers)
        return Response(200, headers, stream=lambda: chunks(0, size - 1), length=size)
    start, end = span
    headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
    return Response(206, headers, stream=lambda: chunks(start, end), length=end - start + 1)


def serve_pypi(emu: Emulator, request: Request, distribution: str) -> Response:
    payload = emu.version_index.payload(distribution)
    if payload is None:
        return json_response(404, {"message": "Not Found"}, request.request_id)
    return json_response(200, payload, request.request_id)
