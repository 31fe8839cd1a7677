"""Running slots per account and model: tasks beyond the limit wait PENDING, first in, first out.

No worker thread runs. Each slot group replays its queue lazily up to the time asked about:
a waiting task starts at the earliest moment it is ready (its ``pending_seconds`` passed) and
a slot is free, in submit order among the ready ones. Start times, once reached, never change,
so moving the clock forward (``Emulator.advance_time``) simply lets more of the schedule happen.
"""

from __future__ import annotations

import heapq
import math
import threading
from typing import TYPE_CHECKING, Dict, List, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .tasks import Task


class SlotGroup:
    """The tasks of one account and model: at most ``capacity`` hold a slot at any time."""

    def __init__(self, capacity: int) -> None:
        self.capacity = max(1, int(capacity))
        self._waiting: List[Task] = []  # submit order
        self._busy: List[float] = []  # heap: end times of tasks that took a slot and may still hold it
        self._not_before = -math.inf  # nothing starts before this (until a task is added or canceled)
        self._lock = threading.RLock()

    def add(self, task: Task, capacity: Optional[int] = None) -> None:
        """Queue ``task`` (it starts at once when ready and a slot is free)."""
        with self._lock:
            if capacity is not None:
                self.capacity = max(1, int(capacity))
            self._waiting.append(task)
            self._not_before = -math.inf

    def _free_at(self) -> float:
        """The first moment fewer than ``capacity`` slots are held (given the starts so far)."""
        held = len(self._busy)
        if held < self.capacity:
            return -math.inf
        return heapq.nsmallest(held - self.capacity + 1, self._busy)[-1]

    def advance(self, now: float) -> None:
        """Start every waiting task whose start time is not after ``now``."""
        with self._lock:
            if now < self._not_before:  # polls between two starts cost nothing
                return
            while self._waiting:
                free_at = self._free_at()
                if free_at > now:
                    self._not_before = free_at
                    return
                index, start = min(
                    ((i, max(free_at, task.ready_mono)) for i, task in enumerate(self._waiting)),
                    key=lambda pair: (pair[1], pair[0]),
                )
                if start > now:
                    self._not_before = start
                    return
                task = self._waiting.pop(index)
                while self._busy and self._busy[0] <= start:
                    heapq.heappop(self._busy)
                end = math.inf if task.never_finish else start + task.generation_seconds
                heapq.heappush(self._busy, end)
                task.started_mono = start

    def cancel(self, task: Task, now: float) -> bool:
        """Take a task that has not started by ``now`` out of the queue (True if it was waiting)."""
        with self._lock:
            self.advance(now)
            for index, waiting in enumerate(self._waiting):
                if waiting is task:
                    del self._waiting[index]
                    task.canceled_mono = now
                    self._not_before = -math.inf
                    return True
            return False

    def waiting(self, now: float) -> int:
        """How many tasks wait for a slot at ``now``."""
        with self._lock:
            self.advance(now)
            return len(self._waiting)

    def next_start(self, now: float) -> float:
        """Seconds until a waiting task would start (a rough Retry-After for a full queue)."""
        with self._lock:
            self.advance(now)
            free_at = self._free_at()
            if not self._waiting or math.isinf(free_at):
                return 1.0
            ready = min(task.ready_mono for task in self._waiting)
            return max(0.0, max(free_at, ready) - now)


class SlotBook:
    """Slot groups keyed by (account, model), created on first use."""

    def __init__(self) -> None:
        self._groups: Dict[Tuple[str, str], SlotGroup] = {}
        self._lock = threading.Lock()

    def group(self, account: str, model: str, capacity: int) -> SlotGroup:
        with self._lock:
            found = self._groups.get((account, model))
            if found is None:
                found = self._groups[(account, model)] = SlotGroup(capacity)
            return found
