"""The records of a job's lifecycle: a status answer, a submission, a saved result, and how they end.

Plain data with no I/O, shared by the sync and async clients (:mod:`.tasks`) and the CLI.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Sequence

from .taskstatus import (  # noqa: F401 - importable from here as before
    FAILED_STATUSES,
    KNOWN_STATUSES,
    RUNNING_STATUSES,
    TaskStatus,
    UnknownStatusWarning,
    _status_word,
)

if TYPE_CHECKING:  # pragma: no cover - the registry loads only where an Output is made (a status check needs none)
    from .registry import Output

DEFAULT_INTERVAL = 15.0
DEFAULT_TIMEOUT = 600.0

StatusCallback = Callable[["TaskStatus", float], None]
ResultFinder = Callable[[Mapping[str, Any]], Sequence[Optional[str]]]


class SubmitInterrupted(KeyboardInterrupt):
    """Ctrl-C (or cancellation) while a submit was in flight: the service may have created the task."""

    def __init__(self, placeholder: Optional[str]):
        super().__init__(placeholder)
        self.placeholder = placeholder


class SubmittedThenInterrupted(KeyboardInterrupt):
    """Ctrl-C right as the answer was recorded: the task exists, is in the ledger, and can be resumed."""

    def __init__(self, submission: Submission):
        super().__init__(submission.task_id)
        self.submission = submission


@dataclass
class Submission:
    task_id: str
    mode: str
    model: str
    request_id: Optional[str]
    status: str
    final: Optional[TaskStatus] = None  # a synchronous mode's answer: the job is done, nothing to poll


@dataclass
class Result:
    """A finished task saved to disk: every result file, in the order the service listed them."""

    task_id: str
    status: TaskStatus
    files: List[Path]
    response_path: Optional[Path]
    already_saved: bool = False  # an earlier run saved it; nothing was downloaded again
    output: Output = field(default_factory=lambda: _output())

    @property
    def local_path(self) -> Optional[Path]:
        """The first saved file."""
        return self.files[0] if self.files else None

    def as_dict(self) -> Dict[str, Any]:
        shown: Dict[str, Any] = {
            "task_id": self.task_id,
            "status": self.status.status,
            "results": self.status.urls,
            "files": [str(path) for path in self.files],
            "failed": [{"index": item.index, "code": item.code, "message": item.message}
                       for item in self.status.failures],
            "response_path": str(self.response_path) if self.response_path else None,
            "already_saved": self.already_saved,
            "usage": self.status.usage,
        }
        if self.output.url_key:
            shown[self.output.url_key] = self.status.url
        if self.output.path_key:
            shown[self.output.path_key] = str(self.local_path) if self.local_path else None
        return shown


RECORDED_OUTPUT_FIELDS = ("noun", "plural", "extension", "stem", "billing", "asynchronous", "url_key", "path_key")


def recorded_output(output: Output) -> Dict[str, Any]:
    """The plain fields of an Output, as the ledger keeps them for the task."""
    return {name: getattr(output, name) for name in RECORDED_OUTPUT_FIELDS}


def _output(**fields: Any) -> Output:
    from .registry import Output

    return Output(**fields)


def output_from_record(record: Mapping[str, Any]) -> Output:
    """An Output back from the ledger; unknown or odd values fall back to the neutral defaults."""
    fields = {name: record[name] for name in RECORDED_OUTPUT_FIELDS
              if isinstance(record.get(name), type(getattr(_output(), name)))}
    return _output(**fields)


def _part_key(task_id: str, index: int) -> str:
    """Names a result's partial download, so an interrupted one resumes (result 0 keeps the task id)."""
    return task_id if index == 0 else f"{task_id}.{index}"


def _stat_of(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"
