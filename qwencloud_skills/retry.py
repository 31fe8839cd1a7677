"""The retry policy: which failures are retried, how long to wait, when to stop.

Two classes of request. Safe requests (polls, lists, cancels, downloads) retry
on 429, 502/503/504 and connection failures. A submit retries only when the
service certainly did not accept it (429, connection refused, connect
timeout): a read timeout, a dropped connection or a 5xx after the request was
sent leaves the outcome unknown, and submitting again could pay twice.
tenacity runs the loop; this module only decides.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from typing import Optional

RETRY_STATUSES = frozenset({429, 502, 503, 504})


@dataclass(frozen=True)
class RetryPolicy:
    max_attempts: int = 5
    max_total_seconds: float = 90.0
    initial_delay: float = 0.5
    max_delay: float = 20.0
    jitter: float = 0.5

    def backoff(self, attempt: int) -> float:
        """Exponential backoff with jitter for attempt number ``attempt`` (1-based)."""
        base = min(self.max_delay, self.initial_delay * (2 ** (attempt - 1)))
        return min(self.max_delay, base + random.uniform(0, self.jitter * base))


class RetryableError(Exception):
    """Internal signal: this attempt failed in a way that is safe to retry."""

    def __init__(self, cause: BaseException, retry_after: Optional[float] = None):
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after


def parse_retry_after(value: Optional[str]) -> Optional[float]:
    """Seconds to wait from a Retry-After header (delta-seconds or HTTP date)."""
    if not value:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        from datetime import datetime, timezone

        when = parsedate_to_datetime(value)
        if when.tzinfo is None:
            when = when.replace(tzinfo=timezone.utc)
        return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
    except (TypeError, ValueError, IndexError):
        return None


def make_wait(policy: RetryPolicy):
    """A tenacity wait callable: Retry-After when the service gave one, else backoff."""

    def wait(retry_state) -> float:
        exc = retry_state.outcome.exception() if retry_state.outcome else None
        if isinstance(exc, RetryableError) and exc.retry_after is not None:
            return min(exc.retry_after, policy.max_delay)
        return policy.backoff(retry_state.attempt_number)

    return wait


def tenacity_kwargs(policy: RetryPolicy) -> dict:
    from tenacity import retry_if_exception_type, stop_after_attempt, stop_after_delay

    return {
        "retry": retry_if_exception_type(RetryableError),
        "stop": stop_after_attempt(policy.max_attempts) | stop_after_delay(policy.max_total_seconds),
        "wait": make_wait(policy),
        "reraise": True,
    }
