"""The records of a job's lifecycle: a status answer, a submission, a saved result, and how they end.

Plain data with no I/O, shared by the sync and async clients (:mod:`.tasks`) and the CLI.
"""

from __future__ import annotations

import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Mapping, Optional, Sequence

from .errors import ServiceError, TaskFailedError
from .registry import Output
from .results import ResultItem, find_results

RUNNING_STATUSES = frozenset({"PENDING", "RUNNING", "SUSPENDED"})
FAILED_STATUSES = frozenset({"FAILED", "CANCELED", "UNKNOWN"})
KNOWN_STATUSES = RUNNING_STATUSES | FAILED_STATUSES | {"SUCCEEDED"}
DEFAULT_INTERVAL = 15.0
DEFAULT_TIMEOUT = 600.0
_STATUS_TOKEN = re.compile(r"[^A-Z0-9_]")

StatusCallback = Callable[["TaskStatus", float], None]
ResultFinder = Callable[[Mapping[str, Any]], Sequence[Optional[str]]]


class UnknownStatusWarning(UserWarning):
    """The service reported a task status this version does not know; it is treated as still running."""


def _status_word(value: Any) -> str:
    """The service's status as a short upper-case token (it is printed and stored)."""
    word = _STATUS_TOKEN.sub("", str(value).upper())[:32] if value else ""
    return word or "UNKNOWN"


@dataclass
class TaskStatus:
    """One poll answer (or a synchronous call's answer), parsed: the status and every result."""

    task_id: str
    status: str
    results: List[ResultItem] = field(default_factory=list)
    code: Optional[str] = None
    message: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, task_id: str, data: Mapping[str, Any], finder: Optional[ResultFinder] = None) -> TaskStatus:
        """Parse a status answer for ``task_id``; an answer about another task is an error.

        ``finder`` locates the result URLs in ``output`` (the skill's Output.result_urls); None: the default.
        """
        output = data.get("output") if isinstance(data.get("output"), Mapping) else {}
        named = output.get("task_id")
        if named not in (None, "", task_id):
            shown = str(named)[:80]
            raise ServiceError(None, "InvalidResponse",
                               f"the status answer for task {task_id} is about another task ({shown!r}); "
                               "nothing was recorded from it")
        status = cls(
            task_id=task_id,
            status=_status_word(output.get("task_status")),
            results=find_results(output, finder),
            code=str(output["code"]) if output.get("code") else None,
            message=str(output["message"]) if output.get("message") else None,
            raw=dict(data),
        )
        if status.status not in KNOWN_STATUSES:
            warnings.warn(f"the service reported task status {status.status}, which this version does not know; "
                          "treating the task as still running", UnknownStatusWarning, stacklevel=2)
        return status

    @property
    def running(self) -> bool:
        """Still going: a known running status, or one this version does not know yet (e.g. QUEUED)."""
        return self.status in RUNNING_STATUSES or self.status not in KNOWN_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    @property
    def usage(self) -> Dict[str, Any]:
        return dict(self.raw.get("usage") or {})

    @property
    def urls(self) -> List[str]:
        """The URLs of the results that were made, in order."""
        return [item.url for item in self.results if item.url]

    @property
    def url(self) -> Optional[str]:
        """The first result's URL (None when there is none)."""
        return self.urls[0] if self.urls else None

    @property
    def failures(self) -> List[ResultItem]:
        """Results the service could not make (the others are still saved)."""
        return [item for item in self.results if not item.ok]

    def raise_for_failure(self) -> None:
        if self.status == "UNKNOWN" and not (self.code or self.message):
            raise TaskFailedError(
                self.task_id, self.status, "UnknownTask", None,
                explanation="the service does not know this task id: mistyped, older than 24 hours, or submitted "
                "to another region or account",
            )
        if self.succeeded and not self.urls and not (self.code or self.message):
            failed = next((item for item in self.failures if item.code or item.message), None)
            if failed is not None:
                raise TaskFailedError(self.task_id, self.status, failed.code, failed.message)
            raise TaskFailedError(self.task_id, self.status, None, None,
                                  explanation="the service reported success but named no result URL")
        if self.status in FAILED_STATUSES or (self.succeeded and not self.urls):
            raise TaskFailedError(self.task_id, self.status, self.code, self.message)


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
    output: Output = field(default_factory=Output)

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


def output_from_record(record: Mapping[str, Any]) -> Output:
    """An Output back from the ledger; unknown or odd values fall back to the neutral defaults."""
    fields = {name: record[name] for name in RECORDED_OUTPUT_FIELDS
              if isinstance(record.get(name), type(getattr(Output(), name)))}
    return Output(**fields)


def _part_key(task_id: str, index: int) -> str:
    """Names a result's partial download, so an interrupted one resumes (result 0 keeps the task id)."""
    return task_id if index == 0 else f"{task_id}.{index}"


def _stat_of(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"
