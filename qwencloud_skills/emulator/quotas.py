"""The service's per-account limits: submits per second, tasks running at once, tasks queued.

DashScope publishes, per model, how many submits an account may make per period, how many of
its tasks run at once (the rest wait PENDING in a queue) and how long that queue may grow;
task queries, lists and cancels each have their own per-account rate. A service states its
models' limits (:attr:`Service.model_limits`); a model it does not name gets
:data:`DEFAULT_LIMITS`, the values most models publish. Everything here is off unless
``EmulatorConfig.enforce_quotas`` is set.

An "account" is the API key: the real service counts per main account, and the emulator has
no notion of keys sharing one.
"""

from __future__ import annotations

import math
import threading
from collections import deque
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any, Deque, Dict, Mapping, Optional, Tuple

from .wire import ApiError

if TYPE_CHECKING:  # pragma: no cover
    from .config import EmulatorConfig

#: The throttling code the reference names for the service's rate limits.
RATE_CODE = "Throttling.RateQuota"
#: A full queue answers the same code. The reference names no other throttling code. The
#: service's general error list also has ``Throttling.AllocationQuota``, but that one means
#: "your allocation is used up, raise it", which a client should not retry. A full queue
#: empties by itself, so "retry later" (RateQuota) is the right signal to give a client.
QUEUE_FULL_CODE = RATE_CODE
#: Task query, task list and cancel: requests per second per account, each route on its own.
QUERY_RATE = 20.0
QUERY_ROUTES = ("task", "list", "cancel")


@dataclass(frozen=True)
class ModelLimits:
    """What one account may do with one model at once.

    ``submits`` accepted submits per ``period`` seconds (a sliding window), ``concurrency``
    tasks RUNNING at once, ``queue`` tasks waiting PENDING for a slot.
    """

    submits: int = 5
    period: float = 1.0
    concurrency: int = 5
    queue: int = 500

    def __post_init__(self) -> None:
        if self.submits < 1 or self.period <= 0 or self.concurrency < 1 or self.queue < 0:
            raise ValueError(f"invalid limits {self!r}: submits, concurrency >= 1; period > 0; queue >= 0")


DEFAULT_LIMITS = ModelLimits()


def rate_window(per_second: float) -> Tuple[int, float]:
    """A rate as (count, period): 5 -> 5 per 1 s; 0.5 -> 1 per 2 s."""
    if not per_second > 0:
        raise ValueError(f"a rate must be above 0 per second, got {per_second!r}")
    if per_second >= 1:
        return int(per_second), 1.0
    return 1, 1.0 / per_second


def limits_for(model: str, config: EmulatorConfig, table: Mapping[str, ModelLimits]) -> ModelLimits:
    """The limits of ``model``: config.model_limits, else the service's table (its "*" entry
    for models it does not list), else the default; then the config's global overrides."""
    found = config.model_limits.get(model) or table.get(model) or table.get("*") or DEFAULT_LIMITS
    if not isinstance(found, ModelLimits):
        found = ModelLimits(**dict(found))
    changes: Dict[str, Any] = {}
    if config.submit_rate_limit is not None:
        changes["submits"], changes["period"] = rate_window(config.submit_rate_limit)
    if config.concurrency_limit is not None:
        changes["concurrency"] = int(config.concurrency_limit)
    if config.queue_limit is not None:
        changes["queue"] = int(config.queue_limit)
    return replace(found, **changes) if changes else found


def retry_after(seconds: float) -> Tuple[str, str]:
    """The Retry-After header: whole seconds (HTTP allows no fraction), at least 1."""
    return ("Retry-After", str(max(1, math.ceil(seconds - 1e-9))))


def throttled(message: str, wait: float, code: str = RATE_CODE) -> ApiError:
    return ApiError(429, code, message, [retry_after(wait)])


class SlidingWindow:
    """The times of the requests let through in the last period."""

    def __init__(self) -> None:
        self._times: Deque[float] = deque()

    def take(self, now: float, count: int, period: float) -> Optional[float]:
        """Let one more through (None), or return the seconds until one may pass."""
        while self._times and self._times[0] <= now - period:
            self._times.popleft()
        if len(self._times) >= count:
            return max(0.0, self._times[len(self._times) - count] + period - now)
        self._times.append(now)
        return None


class RateBook:
    """Sliding windows keyed by (account, what): submits per model, queries per route."""

    def __init__(self) -> None:
        self._windows: Dict[Tuple[str, str], SlidingWindow] = {}
        self._lock = threading.Lock()
        #: Held while a submit checks the queue and creates its task, so concurrent submits
        #: cannot overfill a queue between the check and the creation.
        self.submit_lock = threading.Lock()

    def take(self, key: Tuple[str, str], now: float, count: int, period: float) -> Optional[float]:
        with self._lock:
            window = self._windows.setdefault(key, SlidingWindow())
            return window.take(now, count, period)

    def gate_submit(self, account: str, model: str, limits: ModelLimits, now: float) -> None:
        """Count one submit, or raise the service's 429 (the refused submit is not counted)."""
        wait = self.take(("submit", account + "\0" + model), now, limits.submits, limits.period)
        if wait is not None:
            span = f"{limits.period:g} s"
            raise throttled(
                f"Requests rate limit exceeded: at most {limits.submits} submits per {span} for model "
                f"{model!r} on this account. Retry after the Retry-After header's seconds.",
                wait,
            )

    def gate_query(self, account: str, route: str, per_second: float, now: float) -> None:
        count, period = rate_window(per_second)
        wait = self.take((route, account), now, count, period)
        if wait is not None:
            raise throttled(
                f"Requests rate limit exceeded: at most {count} task {route} requests per {period:g} s "
                "on this account. Retry after the Retry-After header's seconds.",
                wait,
            )


def queue_full(model: str, limits: ModelLimits, wait: float) -> ApiError:
    return throttled(
        f"Too many queued tasks: at most {limits.queue} tasks of model {model!r} may wait for one of the "
        f"{limits.concurrency} running slots of this account. Retry when some have started.",
        wait,
        QUEUE_FULL_CODE,
    )
