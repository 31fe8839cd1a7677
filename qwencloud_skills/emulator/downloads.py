"""Routes outside the API: result videos, benchmark blobs and the PyPI stand-in."""

from __future__ import annotations

import os
from datetime import datetime, timezone
from email.utils import formatdate
from typing import TYPE_CHECKING, Callable, Iterator, List, Optional, Tuple

from .api import media_spec
from .media import MediaUnavailable
from .ranges import RangeNotSatisfiable, parse_range
from .tasks import SUCCEEDED
from .wire import ApiError, Request, Response, json_response, oss_error

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator

CHUNK = 64 * 1024


def _iso(wall: float) -> str:
    return datetime.fromtimestamp(wall, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def serve_media(emu: Emulator, request: Request, task_id: str) -> Response:
    """The result video of a SUCCEEDED task, until its URL expires."""
    task = emu.store.get(task_id)
    now = emu.clock.monotonic()
    if task is None or task.status_at(now) != SUCCEEDED:
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
    if emu.config.result_size_bytes is not None:
        blob = emu.blob_store.get(f"result-{task.task_id}") or emu.blob_store.add(
            f"result-{task.task_id}", int(emu.config.result_size_bytes)
        )
        return ranged(request, blob.size, "video/mp4", blob.etag, blob.chunks)
    try:
        path = emu.renderer.ensure(media_spec(emu, task), emu.config.media_cache_dir, emu.config.render_media)
    except MediaUnavailable as exc:
        raise ApiError(500, "InternalError", str(exc)) from exc
    size = os.path.getsize(path)
    etag = '"' + os.path.basename(path) + '"'
    extra = [("Last-Modified", formatdate(task.wall_at(task.end_mono), usegmt=True))]
    return ranged(request, size, "video/mp4", etag, lambda a, b: _file_chunks(path, a, b), extra)


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
        wanted = parse_range(header, size)
    except RangeNotSatisfiable:
        return Response(416, [*headers, ("Content-Range", f"bytes */{size}")])
    if wanted is None:
        if size == 0:
            return Response(200, headers)
        return Response(200, headers, stream=lambda: chunks(0, size - 1), length=size)
    start, end = wanted
    headers.append(("Content-Range", f"bytes {start}-{end}/{size}"))
    return Response(206, headers, stream=lambda: chunks(start, end), length=end - start + 1)


def serve_pypi(emu: Emulator, request: Request, distribution: str) -> Response:
    payload = emu.version_index.payload(distribution)
    if payload is None:
        return json_response(404, {"message": "Not Found"}, request.request_id)
    return json_response(200, payload, request.request_id)
