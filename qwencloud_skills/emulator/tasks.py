"""Tasks and their store; a task's state follows from elapsed time, so no worker thread runs.

A task in a slot group (quotas enforced) starts when its group gives it a running slot
(:mod:`.scheduler`); any other task starts ``pending_seconds`` after its submit.
"""

from __future__ import annotations

import math
import threading
import uuid
from collections import abc
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Dict, Iterator, List, Optional, Tuple

from .clock import Clock
from .service import TaskPlan

if TYPE_CHECKING:  # pragma: no cover
    from .scheduler import SlotGroup

PENDING = "PENDING"
RUNNING = "RUNNING"
SUCCEEDED = "SUCCEEDED"
FAILED = "FAILED"
CANCELED = "CANCELED"
UNKNOWN = "UNKNOWN"


@dataclass
class Task:
    """One accepted submission; read ``status`` for its state right now.

    Attributes a task does not have are read from ``plan.details``, the service's own
    record (so a test may write ``task.width`` for a service whose details have a width).
    ``sync`` marks the record behind a synchronous answer: its results are served, but the
    task routes do not show it.
    """

    task_id: str
    plan: TaskPlan
    input: Dict[str, Any]
    parameters: Dict[str, Any]
    request_id: str
    clock: Clock = field(repr=False)
    created_mono: float = 0.0
    created_wall: float = 0.0
    pending_seconds: float = 0.0
    generation_seconds: float = 0.0
    fail_code: Optional[str] = None
    fail_message: Optional[str] = None
    never_finish: bool = False
    canceled_mono: Optional[float] = None
    service: str = ""
    sync: bool = False
    account: str = ""  # the API key that submitted it
    started_mono: Optional[float] = None  # set by its slot group when it gets a running slot
    group: Optional[SlotGroup] = field(default=None, repr=False)

    def __getattr__(self, name: str) -> Any:
        plan = self.__dict__.get("plan")  # absent while copying or unpickling
        if name.startswith("_") or plan is None or plan.details is None:
            raise AttributeError(name)
        try:
            return getattr(plan.details, name)
        except AttributeError:
            raise AttributeError(f"task has no attribute {name!r} (nor has its plan details)") from None

    @property
    def model(self) -> str:
        return self.plan.model

    @property
    def failed(self) -> bool:
        return self.fail_code is not None

    @property
    def status(self) -> str:
        return self.status_at(self.clock.monotonic())

    @property
    def ready_mono(self) -> float:
        """When it may start at the earliest (its slot group may make it wait longer)."""
        return self.created_mono + self.pending_seconds

    def start_at(self, now: float) -> Optional[float]:
        """When it started, if it had by ``now``."""
        if self.group is None:
            start: Optional[float] = self.ready_mono
        else:
            self.group.advance(now)
            start = self.started_mono
        return start if start is not None and now >= start else None

    def status_at(self, now: float) -> str:
        if self.canceled_mono is not None:
            return CANCELED
        start = self.start_at(now)
        if start is None:
            return PENDING
        if self.never_finish or now - start < self.generation_seconds:
            return RUNNING
        return FAILED if self.failed else SUCCEEDED

    def running_span(self, now: float) -> Optional[Tuple[float, float]]:
        """(start, end) of its time in a running slot up to ``now``; None if it never started."""
        start = None if self.canceled_mono is not None else self.start_at(now)  # only waiting tasks cancel
        if start is None:
            return None
        end = math.inf if self.never_finish else start + self.generation_seconds
        return start, min(end, now)

    def age(self, now: float) -> float:
        return now - self.created_mono

    def wall_at(self, mono: float) -> float:
        return self.created_wall + (mono - self.created_mono)

    @property
    def scheduled_mono(self) -> float:
        """When it got (or gets) its running slot; infinity while its group keeps it waiting."""
        if self.group is None:
            return self.ready_mono
        return self.started_mono if self.started_mono is not None else math.inf

    @property
    def end_mono(self) -> float:
        if self.canceled_mono is not None:
            return self.canceled_mono
        return self.scheduled_mono + self.generation_seconds


def _block(payload: Any, name: str) -> Dict[str, Any]:
    """``payload[name]`` when both are objects (a service may accept other shapes)."""
    value = payload.get(name) if isinstance(payload, dict) else None
    return dict(value) if isinstance(value, dict) else {}


class TaskStore(abc.Mapping):
    """Thread-safe mapping task id -> Task (read-only for users of ``Emulator.tasks``)."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._tasks: Dict[str, Task] = {}
        self._lock = threading.Lock()

    def create(
        self,
        plan: TaskPlan,
        payload: Any,
        request_id: str,
        pending_seconds: float,
        generation_seconds: float,
        fail: Optional[Any] = None,
        service: str = "",
        sync: bool = False,
        account: str = "",
        group: Optional[SlotGroup] = None,
        capacity: Optional[int] = None,
    ) -> Task:
        """Store a new task; ``fail`` is a fail_task/never_finish Fault, if one applies.

        With ``group`` the task waits for one of its ``capacity`` running slots.
        """
        task = Task(
            task_id=str(uuid.uuid4()),
            plan=plan,
            input=_block(payload, "input"),
            parameters=_block(payload, "parameters"),
            request_id=request_id,
            clock=self._clock,
            created_mono=self._clock.monotonic(),
            created_wall=self._clock.wall(),
            pending_seconds=max(0.0, float(pending_seconds)),
            generation_seconds=max(0.0, float(generation_seconds)),
            service=service,
            sync=sync,
            account=account,
            group=group,
        )
        if fail is not None and fail.kind == "never_finish":
            task.never_finish = True
        elif fail is not None:
            task.fail_code = fail.code or "InternalError.Algo"
            task.fail_message = fail.message or "Generation failed (emulated failure)."
        if group is not None:  # before it is visible, so no one sees it outside its group
            group.add(task, capacity)
        with self._lock:
            self._tasks[task.task_id] = task
        return task

    def cancel_if_pending(self, task_id: str) -> Optional[str]:
        """Cancel a PENDING task; returns the state seen (None if unknown)."""
        with self._lock:
            task = self._tasks.get(task_id)
            if task is None:
                return None
            now = self._clock.monotonic()
            if task.group is not None:
                return PENDING if task.group.cancel(task, now) else task.status_at(now)
            state = task.status_at(now)
            if state == PENDING:
                task.canceled_mono = now
            return state

    def snapshot(self) -> List[Task]:
        with self._lock:
            return list(self._tasks.values())

    def __getitem__(self, task_id: str) -> Task:
        with self._lock:
            return self._tasks[task_id]

    def __iter__(self) -> Iterator[str]:
        with self._lock:
            return iter(list(self._tasks))

    def __len__(self) -> int:
        with self._lock:
            return len(self._tasks)
