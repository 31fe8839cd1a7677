"""A status answer, parsed: the task's state and its results (plain data, no I/O).

Kept apart from the other lifecycle records (:mod:`.taskrecords`) so that checking a task
imports nothing else.
"""

from __future__ import annotations

import re
import warnings
from collections.abc import Mapping

from .errors import ServiceError, TaskFailedError
from .results import ResultItem, find_results

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, List, Optional

    from .taskrecords import ResultFinder

RUNNING_STATUSES = frozenset({"PENDING", "RUNNING", "SUSPENDED"})
FAILED_STATUSES = frozenset({"FAILED", "CANCELED", "UNKNOWN"})
KNOWN_STATUSES = RUNNING_STATUSES | FAILED_STATUSES | {"SUCCEEDED"}
_STATUS_TOKEN = re.compile(r"[^A-Z0-9_]")



class UnknownStatusWarning(UserWarning):
    """The service reported a task status this version does not know; it is treated as still running."""


def _status_word(value: Any) -> str:
    """The service's status as a short upper-case token (it is printed and stored)."""
    word = _STATUS_TOKEN.sub("", str(value).upper())[:32] if value else ""
    return word or "UNKNOWN"


class TaskStatus:
    """One poll answer (or a synchronous call's answer), parsed: the status and every result.

    A plain class rather than a dataclass: a status check is the hottest path of an agent's
    session, and the ``dataclasses`` module (with ``inspect``) costs it more than the GET.
    """

    __slots__ = ("task_id", "status", "results", "code", "message", "raw")

    def __init__(self, task_id: str, status: str, results: Optional[List[ResultItem]] = None,
                 code: Optional[str] = None, message: Optional[str] = None,
                 raw: Optional[Dict[str, Any]] = None) -> None:
        self.task_id = task_id
        self.status = status
        self.results: List[ResultItem] = results if results is not None else []
        self.code = code
        self.message = message
        self.raw: Dict[str, Any] = raw if raw is not None else {}

    def _fields(self) -> tuple:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TaskStatus):
            return NotImplemented
        return self._fields() == other._fields()

    __hash__ = None  # type: ignore[assignment] - mutable lists inside, as with a dataclass

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"TaskStatus({shown})"

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


