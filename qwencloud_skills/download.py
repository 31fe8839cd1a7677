"""Save a result URL to disk: streamed, size-checked, resumed on a dropped connection, atomic.

Bytes go to a hidden temp file next to the target, then :func:`place_file`
moves it to the first free name, so a partial file never appears under a
final name and nothing is ever overwritten. Media URLs are pre-signed: the
client used here never carries the API key.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any, Optional, Union

import httpx

from .errors import DownloadError
from .output import place_file, prepare_output_dir
from .retry import RetryPolicy

CHUNK = 256 * 1024  # small enough that memory stays flat, large enough for few syscalls
EXPIRED_HINT = (
    "The result URL has expired (video URLs are valid for 24 hours) or was refused. "
    "The video cannot be fetched any more: the task must be generated again."
)


class _Progress:
    def __init__(self) -> None:
        self.written = 0
        self.expected: Optional[int] = None


def _expected_total(response: httpx.Response, progress: _Progress) -> Optional[int]:
    if response.status_code == 206:
        crange = response.headers.get("Content-Range", "")
        total = crange.rpartition("/")[2]
        return int(total) if total.isdigit() else None
    length = response.headers.get("Content-Length")
    return int(length) if length and length.isdigit() else None


def _check_status(response: httpx.Response, url: str) -> None:
    if response.status_code in (401, 403, 404, 410):
        raise DownloadError(f"{EXPIRED_HINT} (HTTP {response.status_code} for the video URL)", expired=True)
    if response.status_code >= 400:
        raise httpx.HTTPStatusError(f"HTTP {response.status_code}", request=response.request, response=response)


def _range_headers(progress: _Progress) -> dict:
    return {"Range": f"bytes={progress.written}-"} if progress.written else {}


def _accept(response: httpx.Response, handle: Any, progress: _Progress) -> None:
    """Prepare ``handle`` for this response's bytes (restart when the server ignored Range)."""
    if progress.written and response.status_code != 206:
        handle.seek(0)
        handle.truncate()
        progress.written = 0
    total = _expected_total(response, progress)
    if total is not None:
        progress.expected = total


def _finish(handle: Any, progress: _Progress, temp: Path, directory: Path, filename: str) -> Path:
    handle.flush()
    os.fsync(handle.fileno())
    handle.close()
    size = temp.stat().st_size
    if progress.expected is not None and size != progress.expected:
        raise DownloadError(f"Download incomplete: got {size} of {progress.expected} bytes")
    return place_file(temp, directory, filename)


def _open_temp(directory: Path, filename: str):
    fd, name = tempfile.mkstemp(prefix=f".{filename}.", suffix=".part", dir=str(directory))
    return os.fdopen(fd, "wb"), Path(name)


def download(
    url: str,
    directory: Union[str, Path],
    filename: str = "video.mp4",
    *,
    policy: Optional[RetryPolicy] = None,
    timeout: float = 60.0,
) -> Path:
    """Stream ``url`` into ``directory``/``filename`` (or a suffixed free name); return the path."""
    policy = policy or RetryPolicy()
    target_dir = prepare_output_dir(directory)
    handle, temp = _open_temp(target_dir, filename)
    progress = _Progress()
    try:
        with httpx.Client(timeout=timeout, follow_redirects=True) as http:
            for attempt in range(1, policy.max_attempts + 1):
                try:
                    with http.stream("GET", url, headers=_range_headers(progress)) as response:
                        _check_status(response, url)
                        _accept(response, handle, progress)
                        for chunk in response.iter_bytes(CHUNK):
                            handle.write(chunk)
                            progress.written += len(chunk)
                    if progress.expected is None or progress.written >= progress.expected:
                        break
                except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                    if attempt == policy.max_attempts:
                        raise DownloadError(f"Download failed after {attempt} attempts: {exc}") from None
                _sleep(policy.backoff(attempt))
            return _finish(handle, progress, temp, target_dir, filename)
    finally:
        if not handle.closed:
            handle.close()
        if temp.exists():
            temp.unlink()


async def adownload(
    url: str,
    directory: Union[str, Path],
    filename: str = "video.mp4",
    *,
    policy: Optional[RetryPolicy] = None,
    timeout: float = 60.0,
) -> Path:
    """The asyncio twin of :func:`download` (file writes are small, sequential and blocking)."""
    import asyncio

    policy = policy or RetryPolicy()
    target_dir = prepare_output_dir(directory)
    handle, temp = _open_temp(target_dir, filename)
    progress = _Progress()
    try:
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=True) as http:
            for attempt in range(1, policy.max_attempts + 1):
                try:
                    async with http.stream("GET", url, headers=_range_headers(progress)) as response:
                        _check_status(response, url)
                        _accept(response, handle, progress)
                        async for chunk in response.aiter_bytes(CHUNK):
                            handle.write(chunk)
                            progress.written += len(chunk)
                    if progress.expected is None or progress.written >= progress.expected:
                        break
                except (httpx.TransportError, httpx.HTTPStatusError) as exc:
                    if attempt == policy.max_attempts:
                        raise DownloadError(f"Download failed after {attempt} attempts: {exc}") from None
                await asyncio.sleep(policy.backoff(attempt))
            return _finish(handle, progress, temp, target_dir, filename)
    finally:
        if not handle.closed:
            handle.close()
        if temp.exists():
            temp.unlink()


def _sleep(seconds: float) -> None:
    import time

    time.sleep(seconds)
