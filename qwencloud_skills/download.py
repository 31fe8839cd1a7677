"""Save a result URL to disk: streamed, stall-limited, resumed with Range, checked complete, atomic.

Bytes go to a hidden ``.part`` file next to the target as they arrive, then
:func:`place_file` moves it to the first free name, so a partial file never
appears under a final name and nothing is ever overwritten. A file counts as
complete when its size matches the announced length, or, without one, when its
container is whole (:mod:`.mediacheck`). With a ``part_key`` the ``.part`` file
has a fixed name, so a run that was killed is resumed by the next one.
Result URLs are pre-signed: the client used here (:mod:`.httpconfig`'s
``download`` purpose: follows redirects, timeouts and proxy set there) never
carries the API key.

All decisions (headers, accepting an answer, stall accounting, completeness,
retries, the temp file, each attempt's request) live in :class:`_Transfer`;
:func:`download` and :func:`adownload` only move bytes between it and httpx.
"""

from __future__ import annotations

import errno
import hashlib
import os
import re
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Optional, Tuple, Union

import httpx

from .errors import DownloadError
from .httpconfig import async_client, sync_client, timeout_for
from .mediacheck import check_file
from .output import place_file, prepare_output_dir
from .retry import RetryPolicy, parse_retry_after

DEFAULT_STALL_SECONDS = 60.0
DEFAULT_MIN_RATE = 1024.0  # bytes/s averaged over the stall window; slower than this is a trickle, not a download
STALE_PART_SECONDS = 48 * 3600  # result URLs live 24 h: a .part older than this can never be resumed
EXPIRED_STATUSES = (401, 403, 404, 410)
EXPIRED_HINT = (
    "The result URL has expired (result URLs are valid for 24 hours) or was refused. "
    "The file cannot be fetched any more: the task must be generated again."
)
_SPACE_ERRORS = (errno.ENOSPC, errno.EFBIG, getattr(errno, "EDQUOT", errno.ENOSPC))
_OUR_PART = re.compile(r"^\..+\.[^.]+\.part$")
_CONTENT_RANGE = re.compile(r"^\s*bytes\s+(\d+)-(\d+)/(\d+|\*)\s*$", re.IGNORECASE)


class _AttemptFailed(Exception):
    """Internal: this attempt failed in a way another attempt may fix."""

    def __init__(self, reason: str, retry_after: Optional[float] = None):
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def _part_name(filename: str, part_key: str) -> str:
    key = re.sub(r"[^A-Za-z0-9_-]", "_", part_key)
    name = f".{filename}.{key}.part"
    if len(name.encode("utf-8")) > 200:  # stay well under the usual 255-byte name limit
        digest = hashlib.sha256(f"{filename}\0{part_key}".encode()).hexdigest()[:24]
        name = f".{digest}.{key[:16] or 'key'}.part"
    return name


def _remove_stale_parts(directory: Path, keep: Optional[Path], now: float) -> None:
    """Delete our ``.part`` files older than :data:`STALE_PART_SECONDS` (killed runs nobody resumed)."""
    try:
        entries = list(os.scandir(directory))
    except OSError:
        return
    for entry in entries:
        if not _OUR_PART.match(entry.name) or (keep is not None and entry.name == keep.name):
            continue
        try:
            if entry.is_file(follow_symlinks=False) and now - entry.stat().st_mtime > STALE_PART_SECONDS:
                os.unlink(entry.path)
        except OSError:
            pass  # another process removed it, or the folder is read-only: not our problem here


def _content_range(value: Optional[str]) -> Optional[Tuple[int, int, Optional[int]]]:
    match = _CONTENT_RANGE.match(value or "")
    if not match:
        return None
    start, end, total = match.groups()
    return int(start), int(end), None if total == "*" else int(total)


def _int_header(headers: httpx.Headers, name: str) -> Optional[int]:
    value = (headers.get(name) or "").strip()
    return int(value) if value.isdigit() else None


def _strong_etag(headers: httpx.Headers) -> Optional[str]:
    etag = headers.get("ETag")
    return etag if etag and not etag.startswith("W/") else None


def _describe(exc: Exception, stall_seconds: float) -> str:
    if isinstance(exc, httpx.ReadTimeout):
        return f"the download stalled: no data arrived for {stall_seconds:g} s"
    if isinstance(exc, httpx.ConnectTimeout):
        return "could not connect to the download server in time"
    if isinstance(exc, httpx.ConnectError):
        return f"could not connect to the download server ({exc})"
    if isinstance(exc, httpx.RemoteProtocolError):
        return f"the connection was cut ({exc})"
    return f"{type(exc).__name__}: {exc}" if str(exc) else type(exc).__name__


class _Transfer:
    """Everything about one download except the network: state, decisions and the temp file."""

    def __init__(self, url: str, directory: Union[str, Path], filename: str, policy: Optional[RetryPolicy],
                 timeout: Optional[float], stall_seconds: float, min_rate: float, part_key: Optional[str]) -> None:
        self.url = url
        self.filename = filename
        self.policy = policy or RetryPolicy()
        self.stall_seconds = max(0.001, float(stall_seconds))
        self.min_rate = max(0.0, float(min_rate))
        base = timeout_for("download", timeout)
        # httpx's read timeout is the time between two chunks: never longer than a stall
        self.timeout = httpx.Timeout(connect=base.connect, read=min(base.read or self.stall_seconds,
                                                                     self.stall_seconds),
                                     write=base.write, pool=base.pool)
        self.directory = prepare_output_dir(directory)
        self.keep_part = part_key is not None
        self.path: Optional[Path] = None
        self.handle: Any = None
        self.written = 0  # bytes in the temp file, all of them a prefix of the result
        self.expected: Optional[int] = None  # the whole file's size, when the server said
        self.etag: Optional[str] = None
        self.attempt = 0
        self._window_start = 0.0
        self._window_bytes = 0
        planned = self.directory / _part_name(filename, part_key) if part_key is not None else None
        _remove_stale_parts(self.directory, planned, time.time())
        self._open(planned)

    # -- the temp file ------------------------------------------------------------
    def _io_error(self, action: str, exc: OSError) -> DownloadError:
        keep = (f" The {self.written} bytes received so far are kept; running the download again resumes them."
                if self.keep_part and self.written else "")
        reason = exc.strerror or str(exc)
        if exc.errno in _SPACE_ERRORS:
            fix = "free disk space (or raise the file size limit) or choose another output folder"
        else:
            fix = "choose a writable output folder (or fix its permissions)"
        return DownloadError(
            f"Cannot {action} for {self.filename} in {self.directory}: {reason}. "
            f"Fix: {fix}, then run the download again.{keep}"
        )

    def _open(self, planned: Optional[Path]) -> None:
        try:
            if planned is None:
                fd, name = tempfile.mkstemp(prefix=f".{self.filename}.", suffix=".part", dir=str(self.directory))
                self.path = Path(name)
            else:
                fd = os.open(planned, os.O_RDWR | os.O_CREAT, 0o600)  # novermin: bit flags, not a type union
                self.path = planned
            self.handle = os.fdopen(fd, "r+b")
            self.written = self.handle.seek(0, os.SEEK_END)  # a killed run's bytes: resumed with Range
        except OSError as exc:
            raise self._io_error("create the temporary file", exc) from None

    def _size_on_disk(self) -> int:
        try:
            return os.fstat(self.handle.fileno()).st_size
        except OSError:
            return 0

    def _restart(self) -> None:
        try:
            self.handle.seek(0)
            self.handle.truncate()
        except OSError as exc:
            raise self._io_error("reset the temporary file", exc) from None
        self.written = 0
        self.expected = None

    def write(self, chunk: bytes) -> None:
        """Append ``chunk`` at once (a cut connection loses nothing), then check the pace."""
        try:
            self.handle.write(chunk)
            self.handle.flush()
        except OSError as exc:
            self.written = self._size_on_disk()  # part of the chunk may have landed: still a prefix
            raise self._io_error("write the temporary file", exc) from None
        self.written += len(chunk)
        self._check_pace(time.monotonic())

    # -- one attempt --------------------------------------------------------------
    def request(self) -> Dict[str, Any]:
        """Start an attempt: the arguments of its ``stream()`` (a GET, with a Range from what is on disk)."""
        return {"method": "GET", "url": self.url, "headers": self.request_headers()}

    def request_headers(self) -> Dict[str, str]:
        """The headers of this attempt's GET."""
        self.attempt += 1
        self._window_start, self._window_bytes = time.monotonic(), self.written
        headers = {"Accept-Encoding": "identity"}  # byte offsets and lengths must be those of the file
        if self.written:
            headers["Range"] = f"bytes={self.written}-"
            if self.etag:
                headers["If-Range"] = self.etag  # the file changed: the server sends all of it again
        return headers

    def accept(self, response: httpx.Response) -> bool:
        """Check the answer's status and headers; True when its body is to be read."""
        status, headers = response.status_code, response.headers
        if status in EXPIRED_STATUSES:
            raise DownloadError(f"{EXPIRED_HINT} (HTTP {status} for the result URL)", expired=True)
        if status == 416:
            crange = (headers.get("Content-Range") or "").strip()
            total = crange.rpartition("/")[2]
            if self.written and crange.startswith("bytes */") and total.isdigit() and int(total) == self.written:
                self.expected = self.written  # an earlier run had it all, only the placing was missing
                return False
            self._restart()
            raise _AttemptFailed("the server refused the resume point (HTTP 416)")
        if status not in (200, 206):
            retry_after = parse_retry_after(headers.get("Retry-After")) if status in (429, 503) else None
            raise _AttemptFailed(f"the server answered HTTP {status}", retry_after)
        encoded = (headers.get("Content-Encoding") or "identity").strip().lower() != "identity"
        etag = _strong_etag(headers)
        if status == 200:
            if self.written:
                self._restart()  # Range ignored, or the file changed (If-Range): start from byte 0
            self.expected = None if encoded else _int_header(headers, "Content-Length")
            self.etag = etag
            return True
        parsed = _content_range(headers.get("Content-Range"))
        if parsed is None or encoded:
            self._restart()
            raise _AttemptFailed("the server sent a partial answer without a usable Content-Range")
        start, _end, total = parsed
        if start == 0 and self.written:
            self._restart()
        changed = (self.etag and etag and etag != self.etag) or (
            self.expected is not None and total is not None and total != self.expected)
        if start != self.written or changed:
            self._restart()
            raise _AttemptFailed(f"the server resumed inconsistently (Content-Range {headers.get('Content-Range')})")
        self.expected = total
        self.etag = etag or self.etag
        return True

    def _check_pace(self, now: float) -> None:
        elapsed = now - self._window_start
        if elapsed < self.stall_seconds:
            return
        received = self.written - self._window_bytes
        if received < self.min_rate * elapsed:
            raise _AttemptFailed(
                f"the download stalled: {received} bytes in {elapsed:.1f} s, "
                f"below the minimum of {self.min_rate:g} bytes/s"
            )
        self._window_start, self._window_bytes = now, self.written

    def check_complete(self) -> None:
        """After a body ended cleanly: the file must be whole, else another attempt resumes it."""
        size, expected = self.written, self.expected
        if expected is not None and size < expected:
            raise _AttemptFailed(f"the connection closed after {size} of {expected} bytes")
        if expected is not None and size > expected:
            self._restart()
            raise _AttemptFailed(f"the server sent {size} bytes where it announced {expected}")
        if size == 0:
            raise _AttemptFailed("the server sent an empty file")
        if expected is None:
            problem = check_file(self.path, self.filename)
            if problem:
                raise _AttemptFailed(f"the file arrived incomplete ({problem}) and the server gave no length")

    def retry_delay(self, exc: Exception) -> float:
        """Seconds to wait before the next attempt, or the final DownloadError when none is left."""
        if isinstance(exc, _AttemptFailed):
            reason, retry_after = exc.reason, exc.retry_after
        else:
            reason, retry_after = _describe(exc, self.timeout.read or self.stall_seconds), None
        if self.attempt >= self.policy.max_attempts:
            if self.keep_part and self.written:
                tail = (f"The {self.written} bytes received so far are kept; "
                        "running the download again resumes from there.")
            else:
                tail = "Run the download again later; the result URL stays valid for a limited time."
            attempts = "attempt" if self.attempt == 1 else "attempts"
            raise DownloadError(
                f"Could not download {self.filename}: {reason} ({self.attempt} {attempts}). {tail}"
            ) from None
        if retry_after is not None:
            return min(retry_after, self.policy.max_delay)
        return self.policy.backoff(self.attempt)

    # -- the end ------------------------------------------------------------------
    def place(self) -> Path:
        """Make the complete temp file durable and give it its final, free name."""
        try:
            self.handle.flush()
            os.fsync(self.handle.fileno())
            self.handle.close()
            placed = place_file(self.path, self.directory, self.filename)
        except OSError as exc:
            raise self._io_error("save the finished file", exc) from None
        self.path = None
        return placed

    def abandon(self, exc: BaseException) -> None:
        """On any failure: keep a resumable ``.part`` (with a part_key), remove it otherwise."""
        if self.handle is not None and not self.handle.closed:
            try:
                self.handle.close()
            except OSError:
                pass
        expired = isinstance(exc, DownloadError) and exc.expired
        if self.path is not None and (expired or not self.keep_part or not self.written):
            try:
                self.path.unlink()
            except OSError:
                pass


def download(
    url: str,
    directory: Union[str, Path],
    filename: str,
    *,
    policy: Optional[RetryPolicy] = None,
    timeout: Optional[float] = None,
    stall_seconds: float = DEFAULT_STALL_SECONDS,
    min_rate: float = DEFAULT_MIN_RATE,
    part_key: Optional[str] = None,
) -> Path:
    """Stream ``url`` into ``directory``/``filename`` (or a suffixed free name); return the path.

    An attempt ends when no byte arrives for ``stall_seconds`` or fewer than
    ``min_rate`` bytes/s arrive over that long; the next one resumes with
    Range. With ``part_key`` (e.g. the task id) the temp file survives a
    failed or killed run and the next run with the same key resumes it.
    ``timeout`` (seconds) overrides the download timeouts of :mod:`.httpconfig`.
    """
    transfer = _Transfer(url, directory, filename, policy, timeout, stall_seconds, min_rate, part_key)
    try:
        with sync_client("download", timeout=transfer.timeout) as http:
            while True:
                try:
                    with http.stream(**transfer.request()) as response:
                        if transfer.accept(response):
                            for chunk in response.iter_bytes():
                                transfer.write(chunk)
                    transfer.check_complete()
                    return transfer.place()
                except (httpx.RequestError, _AttemptFailed) as exc:
                    time.sleep(transfer.retry_delay(exc))
    except BaseException as exc:
        transfer.abandon(exc)
        raise


async def adownload(
    url: str,
    directory: Union[str, Path],
    filename: str,
    *,
    policy: Optional[RetryPolicy] = None,
    timeout: Optional[float] = None,
    stall_seconds: float = DEFAULT_STALL_SECONDS,
    min_rate: float = DEFAULT_MIN_RATE,
    part_key: Optional[str] = None,
) -> Path:
    """The asyncio twin of :func:`download` (file writes are small, sequential and blocking)."""
    import asyncio

    transfer = _Transfer(url, directory, filename, policy, timeout, stall_seconds, min_rate, part_key)
    try:
        async with async_client("download", timeout=transfer.timeout) as http:
            while True:
                try:
                    async with http.stream(**transfer.request()) as response:
                        if transfer.accept(response):
                            async for chunk in response.aiter_bytes():
                                transfer.write(chunk)
                    transfer.check_complete()
                    return transfer.place()
                except (httpx.RequestError, _AttemptFailed) as exc:
                    await asyncio.sleep(transfer.retry_delay(exc))
    except BaseException as exc:
        transfer.abandon(exc)
        raise
