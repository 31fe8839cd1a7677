"""When to poll a running task: sparsely until it may be done, densely while it should finish, then back off.

The expected time comes from this machine's ledger: finished tasks of the same model that billed
the same amounts (the plugin's ``Mode.billed``, e.g. the same resolution and length) took so long
from submit to end. A fresh machine starts from the plugin's prior (``Mode.expected_seconds``) or a
neutral default. A fixed interval (``--poll-interval N``) keeps the seed's plain loop.
"""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Mapping
from datetime import datetime

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Optional, Sequence

DEFAULT_PRIOR_SECONDS = 60.0
MIN_INTERVAL = 1.0  # never poll more often than this (the task-query quota is shared by the account)
MAX_INTERVAL = 30.0  # when a task runs long, polls back off to this
WINDOW_POLLS = 6  # polls spread over the window in which tasks like this one usually finish
MAX_DENSE_INTERVAL = 4.0
HISTORY = 30  # finished tasks consulted
FIRST_LOOK = 2.0  # without a history: the first pause, growing by GROWTH x the time waited
GROWTH = 0.8
GUESS_STEP_CAP = 15.0  # ...but never longer than the seed's fixed interval while the guess is all there is
ENOUGH_SAMPLES = 3  # below this the window is widened around the typical time


class Expectation(namedtuple("Expectation", ["low", "typical", "high", "samples"])):
    """Seconds from submit: rarely done before ``low``, typically at ``typical``, nearly always by ``high``;
    ``samples``: the finished tasks it rests on (0: the prior). A namedtuple: typing.NamedTuple would
    import typing on every start."""

    __slots__ = ()

    @classmethod
    def from_samples(cls, samples: Sequence[float], prior: Optional[float] = None) -> Expectation:
        kept = sorted(value for value in samples if value and value > 0)
        if len(kept) >= ENOUGH_SAMPLES:
            spread = kept[-1] - kept[0]
            import statistics

            return cls(max(0.0, kept[0] - 0.05 * spread), statistics.median(kept), kept[-1] + 0.1 * spread + 1.0,
                       len(kept))
        typical = sum(kept) / len(kept) if kept else (prior or DEFAULT_PRIOR_SECONDS)
        return cls(0.6 * typical, typical, 1.6 * typical, len(kept))


class PollSchedule:
    """The pause before the next status check, from the seconds since the task was submitted."""

    def __init__(self, expectation: Optional[Expectation] = None, fixed: Optional[float] = None):
        self.expectation = expectation or Expectation.from_samples(())
        self.fixed = fixed

    @property
    def dense_interval(self) -> float:
        window = self.expectation.high - self.expectation.low
        # A measured window is polled densely; a guessed one (the prior) more loosely, in step with its size.
        cap = MAX_DENSE_INTERVAL if self.expectation.samples >= ENOUGH_SAMPLES else max(
            MAX_DENSE_INTERVAL, self.expectation.typical / 8)
        return min(cap, max(MIN_INTERVAL, window / WINDOW_POLLS))

    def next_delay(self, elapsed: float) -> float:
        if self.fixed is not None:
            return self.fixed
        low, high = self.expectation.low, self.expectation.high
        if elapsed < low:
            if self.expectation.samples < ENOUGH_SAMPLES:
                # Only a guess to go on: looks that grow with the time already waited (2 s, 3.6 s, 6.5 s, ...)
                # notice a job far quicker than guessed, or one that failed at once, without many polls.
                return max(MIN_INTERVAL, min(FIRST_LOOK + GROWTH * elapsed, low - elapsed, GUESS_STEP_CAP))
            return max(MIN_INTERVAL, low - elapsed)
        if elapsed <= high:
            return self.dense_interval
        overdue = elapsed - high  # running long: back off gently, but keep noticing
        return min(MAX_INTERVAL, self.dense_interval + overdue / 2)

    def expected_remaining(self, elapsed: float) -> Optional[float]:
        """Seconds until the task is typically done (None when it is overdue or the interval is fixed)."""
        if self.fixed is not None:
            return None
        left = self.expectation.typical - elapsed
        return left if left > 0 else None


def _moment(text: Any) -> Optional[float]:
    if not isinstance(text, str):
        return None
    for pattern in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S"):
        try:
            return datetime.strptime(text.strip(), pattern).timestamp()
        except ValueError:
            continue
    return None


def run_seconds(answer: Mapping[str, Any], submitted_at: Optional[float], seen_at: float) -> Optional[float]:
    """How long a finished task took from submit to end: the service's own times, else our first sight of it."""
    output = answer.get("output") if isinstance(answer.get("output"), Mapping) else {}
    start, end = _moment(output.get("submit_time")), _moment(output.get("end_time"))
    if start is not None and end is not None and end >= start:
        return end - start  # both in the service's clock: the time zone cancels out
    if submitted_at is not None and seen_at >= submitted_at:
        return seen_at - submitted_at
    return None


def schedule_for(ledger: Any, task_id: str, fixed: Optional[float] = None,
                 row: Optional[Mapping[str, Any]] = None) -> PollSchedule:
    """The schedule of a task this ledger recorded (its model's and amounts' history, or its prior);
    ``row``: the task's ledger row when the caller has just read it."""
    if fixed is not None or ledger is None:
        return PollSchedule(fixed=fixed)
    row = row if row is not None else (ledger.get(task_id) or {})
    samples = ledger.run_history(row.get("model"), row.get("billed")) if row.get("model") else []
    return PollSchedule(Expectation.from_samples(samples, row.get("prior_seconds")))


def check_again_hint(ledger: Any, task_id: str) -> str:
    """For a one-off check of a running task: when to look again, from the schedule a waiting run follows."""
    import time

    row = (ledger.get(task_id) if ledger is not None else None) or {}
    elapsed = max(0.0, time.time() - float(row["submitted_at"])) if row.get("submitted_at") else 0.0
    schedule = schedule_for(ledger, task_id, row=row)
    delay = schedule.next_delay(elapsed)
    left = schedule.expected_remaining(elapsed)
    expected = f"; similar jobs are done in about {left:.0f} s more" if left else ""
    return f"Still running after {elapsed:.0f} s: check again in {delay:.0f} s{expected}."
