"""Thread-safe book of injected faults, consumed as matching requests arrive."""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import List, Optional

from .config import TASK_KINDS, Fault

TERMINAL_KINDS = ("status", "drop", "truncate")


@dataclass
class _Entry:
    fault: Fault
    remaining: Optional[int]


class FaultBook:
    """Faults apply in the order injected; each use counts down its ``count``."""

    def __init__(self) -> None:
        self._entries: List[_Entry] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault) -> Fault:
        with self._lock:
            self._entries.append(_Entry(fault, fault.count))
        return fault

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()

    def active(self) -> List[Fault]:
        with self._lock:
            return [entry.fault for entry in self._entries]

    def _take(self, route: str, kinds: tuple, first_only: bool) -> List[Fault]:
        taken: List[Fault] = []
        with self._lock:
            for entry in list(self._entries):
                fault = entry.fault
                if fault.kind not in kinds or fault.route not in (route, "*"):
                    continue
                taken.append(fault)
                if entry.remaining is not None:
                    entry.remaining -= 1
                    if entry.remaining <= 0:
                        self._entries.remove(entry)
                if first_only:
                    break
        return taken

    def take_delays(self, route: str) -> List[Fault]:
        """All delay faults for this request (they add up)."""
        return self._take(route, ("delay",), first_only=False)

    def take_terminal(self, route: str) -> Optional[Fault]:
        """The first status/drop/truncate fault for this request, if any."""
        found = self._take(route, TERMINAL_KINDS, first_only=True)
        return found[0] if found else None

    def take_task_fault(self) -> Optional[Fault]:
        """The first fail_task/never_finish fault for a task being created."""
        found = self._take("submit", tuple(TASK_KINDS), first_only=True)
        return found[0] if found else None
