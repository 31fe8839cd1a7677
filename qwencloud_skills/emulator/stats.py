"""Counters a test or benchmark reads back: submits let through or throttled, polls per task,
and the most tasks seen running at once (from the tasks' own start and end times)."""

from __future__ import annotations

import math
import threading
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import DefaultDict, Dict, Iterable, List, Tuple

from .tasks import PENDING, RUNNING, Task


@dataclass(frozen=True)
class EmulatorStats:
    """One reading of ``Emulator.stats()``.

    ``submits_throttled`` counts every submit the quotas refused with 429, ``submits_queue_full``
    the part of them refused for a full queue; ``polls`` is task id -> GET /tasks/{id} requests
    received (also the ones answered by an injected fault or a 429). ``max_running`` is the most
    tasks RUNNING at one moment so far, ``max_running_by_model`` the same per model.
    """

    submits_accepted: int = 0
    submits_throttled: int = 0
    submits_queue_full: int = 0
    queries_throttled: int = 0
    polls: Dict[str, int] = field(default_factory=dict)
    running: int = 0
    pending: int = 0
    max_running: int = 0
    max_running_by_model: Dict[str, int] = field(default_factory=dict)


class Counters:
    """Thread-safe tallies kept as requests are answered."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._tally: Counter = Counter()
        self._polls: Counter = Counter()

    def count(self, name: str) -> None:
        with self._lock:
            self._tally[name] += 1

    def poll(self, task_id: str) -> None:
        with self._lock:
            self._polls[task_id] += 1

    def reading(self, tasks: Iterable[Task], now: float) -> EmulatorStats:
        tasks = [task for task in tasks if not task.sync]
        spans: DefaultDict[str, List[Tuple[float, float]]] = defaultdict(list)
        states = [task.status_at(now) for task in tasks]
        for task in tasks:
            span = task.running_span(now)
            if span is not None:
                spans[task.model].append(span)
        by_model = {model: most_at_once(found) for model, found in spans.items()}
        with self._lock:
            tally, polls = dict(self._tally), dict(self._polls)
        return EmulatorStats(
            submits_accepted=tally.get("submits_accepted", 0),
            submits_throttled=tally.get("submits_throttled", 0),
            submits_queue_full=tally.get("submits_queue_full", 0),
            queries_throttled=tally.get("queries_throttled", 0),
            polls=polls,
            running=states.count(RUNNING),
            pending=states.count(PENDING),
            max_running=most_at_once([span for found in spans.values() for span in found]),
            max_running_by_model=by_model,
        )


def most_at_once(spans: Iterable[Tuple[float, float]]) -> int:
    """The most spans overlapping at one moment; a span ending when another starts does not overlap."""
    events = []
    for start, end in spans:
        if end > start or math.isinf(end):
            events += [(start, 1), (end, -1)]
    events.sort(key=lambda event: (event[0], event[1]))  # ends before starts at the same moment
    best = current = 0
    for _, step in events:
        current += step
        best = max(best, current)
    return best
