"""Settling an interrupted submit from the service's own task list, when the answer is unambiguous.

A submit cut off before its answer was recorded (kill -9, a lost connection) may or may not have
created a task. The service lists its tasks by model: a task of that model, created within
moments of the intent and unknown to this ledger, is that submit's task; none at all means
nothing was created. Anything less clear (two candidates, or another unsettled submit of the
same model at the same time) is left to a person, as before.
"""

from __future__ import annotations

import time
from datetime import datetime, timezone
from typing import Any, List, Mapping, Optional, Tuple

from .errors import QwenSkillsError
from .ledger import UNKNOWN_OUTCOME

MATCH_WINDOW = 120.0  # seconds between the intent and the task's creation time as listed
LIST_SETTLE_SECONDS = 5.0  # an intent younger than this may not be listed yet
# The list's creation times carry no zone; the service has been seen in UTC and in Beijing time (UTC+8).
ZONE_OFFSETS = (0.0, 8 * 3600.0)
PAGE_SIZE = 100

NOT_CREATED = ""


class AmbiguousSubmitError(QwenSkillsError):
    """The task list cannot say which task (if any) an interrupted submit created."""

    exit_code = 5


def _created_at(value: Any) -> Optional[float]:
    """A listed creation time as epoch seconds in UTC (milliseconds, or "YYYY-MM-DD HH:MM:SS[.mmm]")."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value) / (1000.0 if value > 1e11 else 1.0)
    if isinstance(value, str):
        for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y%m%d%H%M%S"):
            try:
                return datetime.strptime(value.strip(), pattern).replace(tzinfo=timezone.utc).timestamp()
            except ValueError:
                continue
    return None


def _near(created: Optional[float], intended: float) -> bool:
    if created is None:
        return False
    return any(abs(created - offset - intended) <= MATCH_WINDOW for offset in ZONE_OFFSETS)


def candidates(listing: Mapping[str, Any], row: Mapping[str, Any], known: Any) -> List[str]:
    """Listed tasks of the row's model, created near its intent, that ``known(task_id)`` does not know."""
    found = []
    for item in listing.get("data") or []:
        if not isinstance(item, Mapping) or item.get("model_name") not in (None, row.get("model")):
            continue
        task_id = item.get("task_id")
        if isinstance(task_id, str) and task_id and not known(task_id) and _near(
                _created_at(item.get("gmt_create")), float(row["submitted_at"])):
            found.append(task_id)
    return found


def settle_from_service(client: Any, row: Mapping[str, Any]) -> Tuple[str, str]:
    """Settle the unknown-outcome ``row``: ("created", task id) or ("not created", ""), recorded in the
    ledger; raises AmbiguousSubmitError when the list cannot tell."""
    ledger = client.ledger
    age = time.time() - float(row["submitted_at"])
    if age < LIST_SETTLE_SECONDS:
        time.sleep(LIST_SETTLE_SECONDS - age)
    rivals = [other for other in ledger.list(status=UNKNOWN_OUTCOME, limit=500)
              if other["task_id"] != row["task_id"] and other.get("model") == row.get("model")
              and abs(float(other["submitted_at"]) - float(row["submitted_at"])) <= 2 * MATCH_WINDOW]
    service = client.service_at(row.get("base_url") or client.base_url)
    listing = service.list_tasks(model_name=row.get("model"), page_size=PAGE_SIZE)
    found = candidates(listing, row, lambda task_id: ledger.get(task_id) is not None)
    placeholder = row["task_id"]
    if not found and not rivals:
        ledger.resolve(placeholder, None)
        return "not created", NOT_CREATED
    if len(found) == 1 and not rivals:
        ledger.resolve(placeholder, found[0])
        return "created", found[0]
    why = (f"{len(found)} unknown tasks of {row.get('model')} were created then" if len(found) != 1
           else f"{len(rivals)} other interrupted submit(s) of {row.get('model')} happened at the same time")
    raise AmbiguousSubmitError(
        f"The interrupted submit {placeholder} cannot be matched to the service's task list ({why}). "
        f"Check `qwencloud-skills tasks remote --model {row.get('model')}`, then "
        f"`qwencloud-skills tasks resolve {placeholder} TASK_ID` (or without TASK_ID when none is yours)."
    )
