"""Inter-process locks in the state dir: one process at a time saves a given task's result.

Two agents resuming the same task would otherwise download (and place) it
twice. The lock is an OS file lock (flock on POSIX, msvcrt on Windows), so it
is released when its process dies, however it dies.
"""

from __future__ import annotations

import hashlib
import os
import time
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path
from typing import IO, AsyncIterator, Callable, Iterator, Optional

from .errors import QwenSkillsError

POLL_SECONDS = 0.1


class LockTimeoutError(QwenSkillsError):
    """Another process kept the lock for longer than we were willing to wait."""


def _lock_path(name: str, folder: Optional[Path]) -> Path:
    if folder is None:
        from .settings import state_dir

        folder = state_dir() / "locks"
    folder.mkdir(parents=True, exist_ok=True)
    return folder / (hashlib.sha256(name.encode("utf-8")).hexdigest()[:32] + ".lock")


def _try_lock(handle: IO[bytes]) -> bool:
    if os.name == "nt":  # pragma: no cover - exercised on Windows only
        import msvcrt

        try:
            msvcrt.locking(handle.fileno(), msvcrt.LK_NBLCK, 1)
        except OSError:
            return False
        return True
    import fcntl

    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)  # novermin: bit flags, not a type union
    except (BlockingIOError, PermissionError):
        return False
    return True


def _unlock(handle: IO[bytes]) -> None:
    if os.name == "nt":  # pragma: no cover
        import msvcrt

        handle.seek(0)
        msvcrt.locking(handle.fileno(), msvcrt.LK_UNLCK, 1)
        return
    import fcntl

    fcntl.flock(handle.fileno(), fcntl.LOCK_UN)


class TaskLock:
    """An exclusive lock called ``name``, taken without blocking; the waiting loops are below."""

    def __init__(self, name: str, folder: Optional[Path] = None):
        self.name = name
        self.path = _lock_path(name, folder)
        self._handle: Optional[IO[bytes]] = None

    def try_acquire(self) -> bool:
        handle = open(self.path, "a+b")  # noqa: SIM115 - kept open while the lock is held
        if _try_lock(handle):
            self._handle = handle
            return True
        handle.close()
        return False

    def release(self) -> None:
        if self._handle is not None:
            try:
                _unlock(self._handle)
            finally:
                self._handle.close()
                self._handle = None

    def busy_error(self, timeout: float) -> LockTimeoutError:
        return LockTimeoutError(
            f"another process has held {self.name!r} for over {timeout:.0f} s (lock file {self.path}); "
            "try again when it is done"
        )


def _pauses(lock: TaskLock, timeout: float, on_wait: Optional[Callable[[], None]]) -> Iterator[float]:
    """How long to sleep between attempts until ``lock`` is taken (the sync and async waits share it)."""
    deadline = time.monotonic() + timeout
    while not lock.try_acquire():
        if on_wait is not None:
            on_wait()
            on_wait = None
        if time.monotonic() >= deadline:
            raise lock.busy_error(timeout)
        yield POLL_SECONDS


@contextmanager
def exclusive(name: str, *, timeout: float = 3600.0, folder: Optional[Path] = None,
              on_wait: Optional[Callable[[], None]] = None) -> Iterator[None]:
    """Hold the lock called ``name`` while the block runs; wait up to ``timeout`` seconds for it.

    ``on_wait`` is called once if the lock is busy (to tell the user why nothing happens).
    """
    lock = TaskLock(name, folder)
    for pause in _pauses(lock, timeout, on_wait):
        time.sleep(pause)
    try:
        yield
    finally:
        lock.release()


@asynccontextmanager
async def aexclusive(name: str, *, timeout: float = 3600.0, folder: Optional[Path] = None,
                     on_wait: Optional[Callable[[], None]] = None) -> AsyncIterator[None]:
    """:func:`exclusive` for asyncio: waiting for the lock does not block the event loop."""
    import asyncio

    lock = TaskLock(name, folder)
    for pause in _pauses(lock, timeout, on_wait):
        await asyncio.sleep(pause)
    try:
        yield
    finally:
        lock.release()
