"""Result files of finished tasks: produced once each, ahead of the download when possible.

Producing may be slow (rendering media), so it starts in the background as soon as a task
is seen finished; a download arriving first waits for the same single production.
"""

from __future__ import annotations

import atexit
import os
import shutil
import tempfile
import threading
from typing import TYPE_CHECKING, Dict, Optional, Tuple, Union

from .service import ResultContext, ResultFile

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator
    from .tasks import Task

Result = Union[bytes, str]  # the bytes, or the path of a file holding them

_default_dir: Optional[str] = None
_default_dir_lock = threading.Lock()


def default_cache_dir() -> str:
    """One temp dir per process, removed at exit, shared by every emulator in it."""
    global _default_dir
    with _default_dir_lock:
        if _default_dir is None or not os.path.isdir(_default_dir):
            _default_dir = tempfile.mkdtemp(prefix="qwencloud-emulator-media-")
            atexit.register(shutil.rmtree, _default_dir, True)
        return _default_dir


def context_for(emu: Emulator, task: Task) -> ResultContext:
    config = emu.config
    service = emu.services.get(task.service)
    options = service.resolve_options(config) if service is not None else {}
    directory = config.media_cache_dir or default_cache_dir()
    os.makedirs(directory, exist_ok=True)
    return ResultContext(config=config, cache_dir=directory, options=options)


class ResultStore:
    """(task id, result index) -> produced result; thread-safe, one production per key."""

    def __init__(self) -> None:
        self._done: Dict[Tuple[str, int], Result] = {}
        self._locks: Dict[Tuple[str, int], threading.Lock] = {}
        self._started: set = set()
        self._guard = threading.Lock()

    def _lock_for(self, key: Tuple[str, int]) -> threading.Lock:
        with self._guard:
            return self._locks.setdefault(key, threading.Lock())

    def get(self, emu: Emulator, task: Task, index: int) -> Result:
        """The produced result; may raise the producer's ResultUnavailable."""
        key = (task.task_id, index)
        with self._lock_for(key):
            if key not in self._done:
                result = task.plan.results[index]
                self._done[key] = _normalize(result, result.produce(context_for(emu, task)))
            return self._done[key]

    def start(self, emu: Emulator, task: Task) -> None:
        """Produce every result of ``task`` in a background thread, once per task."""
        with self._guard:
            if task.task_id in self._started or not task.plan.results:
                return
            self._started.add(task.task_id)

        def work() -> None:
            for index in range(len(task.plan.results)):
                try:
                    self.get(emu, task, index)
                except Exception:  # noqa: BLE001 - the download route reports the failure
                    pass

        threading.Thread(target=work, name=f"emulator-results-{task.task_id[:8]}", daemon=True).start()


def _normalize(result: ResultFile, produced: object) -> Result:
    if isinstance(produced, (bytes, bytearray, memoryview)):
        return bytes(produced)
    if isinstance(produced, (str, os.PathLike)):
        return os.fsdecode(os.fspath(produced))
    raise TypeError(f"a result file ({result.extension}) must be produced as bytes or a path, "
                    f"got {type(produced).__name__}")
