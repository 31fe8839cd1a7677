"""What each line of a batch needs, from the ledger, and how fast the batch may go.

Every submit of a batch carries an origin, ``batch:<key>/<line id>#<fingerprint>``, written with
its intent (before it leaves): the key names the batch (a hash of its file's absolute path), the
fingerprint the line's content. On a rerun the newest task of the same id and fingerprint
decides: done (its files are on disk), fetch (made, not saved yet), poll (still running), failed,
or an unknown outcome to settle from the service's task list. A line with no such task is
submitted; an edited line (same id, another fingerprint) is a new job. Lanes hold the per-model
limits: slots running at once and submits per second (the plugin's documented figures).
"""

from __future__ import annotations

import hashlib
import math
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

from ..ledger import PLACEHOLDER_PREFIX, SETTLED_PLACEHOLDER_STATUSES, SUBMITTING, UNKNOWN_OUTCOME, billed_key
from .lines import CheckedBatch, CheckedLine, LineProblem

DEFAULT_CONCURRENCY = 2  # a model whose plugin documents no limits
DEFAULT_SUBMITS_PER_SECOND = 2.0
SUBMIT, POLL, FETCH, DONE, FAILED, UNKNOWN, BUSY = "submit", "poll", "fetch", "done", "failed", "unknown", "busy"
ENDED_WITHOUT_RESULT = ("FAILED", "CANCELED", "UNKNOWN")


def batch_key(name: str) -> str:
    """The key a batch's tasks are tagged with in the ledger (a hash: any name is safe in an origin)."""
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:16]


def file_key(path: str) -> str:
    """A batch file's key: its absolute path, hashed (the same file resumes wherever it is run from)."""
    return batch_key(str(Path(path).expanduser().resolve()))


def origin_of(key: str, line_id: str, fingerprint: str) -> str:
    return f"batch:{key}/{line_id}#{fingerprint}"


def _split_origin(origin: str, prefix: str) -> Tuple[str, str]:
    line_id, _, fingerprint = origin[len(prefix):].rpartition("#")
    return line_id, fingerprint


def recorded_rows(ledger: Any, key: str) -> Dict[str, List[Dict[str, Any]]]:
    """The batch's task rows by line id, oldest first (dead processes' intents settled to unknown first)."""
    ledger.settle_interrupted()
    prefix = f"batch:{key}/"
    with ledger.connection() as db:
        rows = db.execute("SELECT task_id, status, origin, error, submitted_at, model, base_url, pid FROM tasks"
                          " WHERE origin >= ? AND origin < ? ORDER BY id", (prefix, prefix + "\U0010ffff")).fetchall()
    found: Dict[str, List[Dict[str, Any]]] = {}
    for row in rows:
        data = dict(row)
        data["line_id"], data["fingerprint"] = _split_origin(data["origin"], prefix)
        found.setdefault(data["line_id"], []).append(data)
    return found


@dataclass
class LineState:
    """A valid line and what this run does with it."""

    checked: CheckedLine
    action: str
    task_id: Optional[str] = None
    note: str = ""
    row: Optional[Dict[str, Any]] = None  # the ledger row the action comes from

    @property
    def number(self) -> int:
        return self.checked.line.number

    @property
    def id(self) -> str:
        return self.checked.line.id


def line_state(checked: CheckedLine, rows: List[Dict[str, Any]], client: Any, output_dir: Path,
               retry_failed: bool = False) -> LineState:
    """What ``checked`` needs, from its rows in the ledger (newest decides)."""
    same = [row for row in rows if row["fingerprint"] == checked.fingerprint]
    for row in reversed(same):
        status, task_id = row["status"], row["task_id"]
        if task_id.startswith(PLACEHOLDER_PREFIX):
            if status in SETTLED_PLACEHOLDER_STATUSES:
                continue  # resolved (the real task has its own row) or certainly not created
            if status == SUBMITTING:
                return LineState(checked, BUSY, task_id, f"another process (pid {row.get('pid')}) is submitting it",
                                 row)
            if status == UNKNOWN_OUTCOME:
                return LineState(checked, UNKNOWN, task_id, "its submit's outcome is unknown: settled from the "
                                 "service's task list", row)
            continue
        if status in ENDED_WITHOUT_RESULT:
            if retry_failed:
                return LineState(checked, SUBMIT, None, f"submitted again: task {task_id} ended {status}", row)
            return LineState(checked, FAILED, task_id, f"task {task_id} ended {status}: {row.get('error') or ''}"
                             .rstrip(": "), row)
        if status == "SUCCEEDED":
            saved = client.saved_result(task_id, output_dir)
            if saved is not None:
                return LineState(checked, DONE, task_id, "done: " + ", ".join(str(p) for p in saved.files), row)
            return LineState(checked, FETCH, task_id, f"task {task_id} succeeded: its results are saved now", row)
        return LineState(checked, POLL, task_id, f"task {task_id} {status}: followed, not submitted again", row)
    others = [row for row in rows if not row["task_id"].startswith(PLACEHOLDER_PREFIX)]
    if others:
        return LineState(checked, SUBMIT, None, f"the line changed since task {others[-1]['task_id']} was submitted: "
                         "submitted as a new job")
    return LineState(checked, SUBMIT, None, "new")


@dataclass
class Lane:
    """One model on one host: the slots the batch fills and how fast it may submit there."""

    model: str
    host: str
    slots: int  # tasks running at once
    ahead: int  # more submitted to wait in the service's own queue, so a freed slot is taken at once
    submits_per_second: float
    documented: bool  # the figures come from the plugin (False: the cautious default)

    @property
    def window(self) -> int:
        """Tasks of this lane in flight (submitted, not ended) at most."""
        return self.slots + self.ahead

    def describe(self) -> str:
        source = "" if self.documented else " (no documented limits: cautious default)"
        ahead = f" + {self.ahead} waiting in the service's queue" if self.ahead else ""
        return (f"{self.model}: {self.slots} running at once{ahead}, under {self.submits_per_second:g} submits/s"
                f"{source}")


def lane_for(prepared: Any, concurrency: Optional[int], queue_ahead: Optional[int],
             submit_rate: Optional[float]) -> Lane:
    """The lane of a prepared request. ``concurrency`` None: the documented slots; at or above them, up to
    half as many again wait in the service's queue (``queue_ahead`` sets that number; 0 turns it off)."""
    spec = prepared.mode.model(prepared.model)
    documented_slots = getattr(spec, "concurrency", None)
    documented_rate = getattr(spec, "submits_per_second", None)
    known_slots = int(documented_slots or DEFAULT_CONCURRENCY)
    slots = int(concurrency) if concurrency else known_slots
    if queue_ahead is None:
        queue_ahead = max(1, math.ceil(known_slots / 2)) if slots >= known_slots else 0
    rate = float(submit_rate or documented_rate or DEFAULT_SUBMITS_PER_SECOND)
    return Lane(prepared.model, prepared.base_url or "", slots, max(0, int(queue_ahead)), rate,
                documented_slots is not None and documented_rate is not None)


@dataclass
class BatchPlan:
    """The whole batch before anything is sent: each valid line's state, the invalid lines, the lanes."""

    key: str
    name: str
    states: List[LineState]
    problems: List[LineProblem]
    lanes: Dict[Tuple[str, str], Lane] = field(default_factory=dict)
    output_dir: Optional[Path] = None

    @property
    def total(self) -> int:
        return len(self.states) + len(self.problems)

    def lane_of(self, state: LineState) -> Lane:
        prepared = state.checked.prepared
        return self.lanes[(prepared.model, prepared.base_url or "")]

    def count(self, *actions: str) -> int:
        return sum(1 for state in self.states if state.action in actions)

    @property
    def to_submit(self) -> List[LineState]:
        return [state for state in self.states if state.action == SUBMIT]

    def billed(self) -> Tuple[Dict[str, float], List[str]]:
        """What the lines to submit bill, summed by unit; the ids of lines whose plugin says nothing."""
        sums: Dict[str, float] = {}
        unstated: List[str] = []
        for state in self.to_submit:
            prepared = state.checked.prepared
            amounts = prepared.mode.billed_amounts(prepared.request, prepared.model)
            if not amounts:
                unstated.append(state.id)
            for unit, amount in amounts.items():
                sums[unit] = sums.get(unit, 0.0) + amount
        return sums, unstated

    def billed_text(self) -> str:
        sums, unstated = self.billed()
        jobs = len(self.to_submit)
        if not jobs:
            return "nothing (no line needs submitting)"
        parts = [f"{amount:g} {unit}" for unit, amount in sums.items()]
        text = " + ".join(parts) if parts else "not stated by the plugin"
        if parts and unstated:
            text += f" (plus {len(unstated)} job{'s' if len(unstated) != 1 else ''} not stated)"
        return f"{text}, in {jobs} job{'s' if jobs != 1 else ''}"

    def expected_seconds(self, ledger: Any) -> Optional[float]:
        """A rough wall time for the lines to submit: waves of each lane's slots times a typical job."""
        from ..waiting import Expectation

        longest = None
        by_lane: Dict[Tuple[str, str], List[LineState]] = {}
        for state in self.to_submit:
            prepared = state.checked.prepared
            by_lane.setdefault((prepared.model, prepared.base_url or ""), []).append(state)
        for key, states in by_lane.items():
            prepared = states[0].checked.prepared
            billed = billed_key(prepared.mode.billed_amounts(prepared.request, prepared.model))
            history = ledger.run_history(prepared.model, billed) if ledger is not None else []
            typical = Expectation.from_samples(history, prepared.mode.expected_time(prepared.request,
                                                                                     prepared.model)).typical
            seconds = math.ceil(len(states) / self.lanes[key].slots) * typical
            longest = seconds if longest is None else max(longest, seconds)
        return longest

    def as_dict(self, ledger: Any = None) -> Dict[str, Any]:
        sums, unstated = self.billed()
        return {
            "batch": self.name, "key": self.key, "lines": self.total, "valid": len(self.states),
            "invalid": [{"line": p.number, "id": p.id, "issues": [issue.as_dict() for issue in p.issues]}
                        for p in self.problems],
            "output_dir": str(self.output_dir) if self.output_dir else None,
            "plan": [{"line": s.number, "id": s.id, "action": s.action, "task_id": s.task_id, "note": s.note,
                      "mode": s.checked.prepared.mode.name, "model": s.checked.prepared.model,
                      "billing": s.checked.prepared.mode.billing_summary(s.checked.prepared.request,
                                                                         s.checked.prepared.model),
                      "local_files": sorted(s.checked.files)} for s in self.states],
            "lanes": [lane.describe() for lane in self.lanes.values()],
            "billed": sums, "billed_unstated": unstated, "billed_text": self.billed_text(),
            "expected_seconds": self.expected_seconds(ledger),
        }

    def lines(self, ledger: Any = None, uploads: Optional[Tuple[int, int]] = None) -> List[str]:
        """The plan as a person reads it (``uploads``: distinct local files, and how many of them go up)."""
        out = [f"Batch {self.name}: {self.total} lines, {len(self.states)} valid"
               + (f", {len(self.problems)} invalid" if self.problems else "")]
        width = max([len(state.id) for state in self.states] + [2])
        for state in self.states:
            prepared = state.checked.prepared
            billing = prepared.mode.billing_summary(prepared.request, prepared.model)
            what = f"{prepared.mode.name} | {prepared.model}" + (f" | {billing}" if billing else "")
            out.append(f"  {state.number:>4}  {state.id:<{width}}  {what}  [{state.action}: {state.note}]")
        for problem in self.problems:
            out.append(f"  {problem.number:>4}  invalid: {problem.summary()}")
        if uploads is not None and uploads[0]:
            files, sending = uploads
            out.append(f"Local files: {files} distinct, {sending} to upload (each once), {files - sending} reused")
        for lane in self.lanes.values():
            out.append(f"Pace: {lane.describe()}")
        out.append(f"Billed in all: {self.billed_text()}")
        seconds = self.expected_seconds(ledger)
        if seconds:
            out.append(f"Expected time: about {_duration(seconds)} (from this machine's history, or the plugin's "
                       "estimate)")
        return out


def _duration(seconds: float) -> str:
    if seconds < 90:
        return f"{seconds:.0f} s"
    if seconds < 5400:
        return f"{seconds / 60:.0f} min"
    return f"{seconds / 3600:.1f} h"


def make_plan(client: Any, checked: CheckedBatch, key: str, name: str, output_dir: Path, *,
              concurrency: Optional[int] = None, queue_ahead: Optional[int] = None,
              submit_rate: Optional[float] = None, retry_failed: bool = False) -> BatchPlan:
    """Every valid line's state from the ledger, and the lanes they run in (no network)."""
    rows = recorded_rows(client.ledger, key)
    states = [line_state(line, rows.get(line.line.id, []), client, output_dir, retry_failed)
              for line in checked.valid]
    lanes: Dict[Tuple[str, str], Lane] = {}
    for state in states:
        prepared = state.checked.prepared
        lane_key = (prepared.model, prepared.base_url or "")
        if lane_key not in lanes:
            lanes[lane_key] = lane_for(prepared, concurrency, queue_ahead, submit_rate)
    return BatchPlan(key, name, states, list(checked.problems), lanes, output_dir)
