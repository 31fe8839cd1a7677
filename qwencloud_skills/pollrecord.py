"""What one status answer changes in the ledger, in one place for every path that polls.

The task clients (:mod:`.tasks`) and the standard-library status check
(:mod:`.quickpoll`) both record an answer through :func:`record_status`, so a
task looks the same in the ledger however it was checked.
"""

from __future__ import annotations

import time

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Optional

ENDED = ("SUCCEEDED", "FAILED", "CANCELED")


def record_status(ledger: Any, status: Any, *, skill: Optional[str], base_url: str) -> None:
    """Record ``status`` (a TaskStatus) for its task; a task unknown to the ledger is tracked from now on.

    The service forgets tasks after 24 hours: an UNKNOWN answer never overwrites an ended task.
    """
    if ledger is None:
        return
    now = time.time()
    fields: Dict[str, Any] = {"status": status.status, "checked_at": now}
    if not status.running:
        fields["result"] = status.raw
    if status.succeeded:
        from .waiting import run_seconds

        known = ledger.get(status.task_id) or {}
        if known.get("run_seconds") is None:
            fields["run_seconds"] = run_seconds(status.raw, known.get("submitted_at"), now)
    if status.code or status.message:
        fields["error"] = f"{status.code}: {status.message}"
    if status.status != "UNKNOWN":
        # A task submitted elsewhere (another tool, another machine) is tracked from now on.
        ledger.adopt(status.task_id, skill=skill, base_url=base_url)
    else:
        known = ledger.get(status.task_id)
        if known and known.get("status") in ENDED:
            return
    ledger.update(status.task_id, **fields)
    record_results(ledger, status)


def record_results(ledger: Any, status: Any) -> None:
    """Each result's URL or failure, once the task has ended."""
    if ledger is None or status.running:
        return
    for item in status.results:
        ledger.record_result(status.task_id, item.index, url=item.url, code=item.code, message=item.message)
