"""Pacing requests under a per-second limit: additive increase, multiplicative decrease, Retry-After honoured.

The service counts requests in a sliding window ("5 per 1 s"), so the pacer keeps one too: at
most ``burst`` requests in any ``burst / rate`` seconds. It starts just under the documented
limit (a first burst goes out at once, as the service allows). Each 429 halves the rate (and
with it the burst) and holds every request back until the service's Retry-After has passed;
each request let through adds a twentieth of the ceiling back. A busier account (other
processes, a lower real quota) is thus found in a few throttled requests, and the full rate
comes back when the pressure goes.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from typing import Callable, Deque, Optional

HEADROOM = 0.9  # stay this far under the documented limit: arrival times jitter
DECREASE = 0.5
INCREASE_STEPS = 20  # requests let through to climb from nothing back to the ceiling
FLOOR = 0.1  # requests per second, at the lowest


class Pacer:
    """When the next request of one kind may start. Not thread-safe: one asyncio loop uses it."""

    def __init__(self, per_second: float, *, headroom: float = HEADROOM, clock: Callable[[], float] = time.monotonic):
        if not per_second > 0:
            raise ValueError(f"a rate must be above 0 per second, got {per_second!r}")
        self.limit = per_second
        self.ceiling = per_second * headroom
        self.rate = self.ceiling
        self.floor = min(FLOOR, self.ceiling)
        self.throttled = 0  # 429 answers seen
        self._clock = clock
        self._starts: Deque[float] = deque(maxlen=max(1, int(per_second)))
        self._hold = 0.0  # nothing starts before this (a Retry-After)
        self._lock: Optional[asyncio.Lock] = None

    @property
    def burst(self) -> int:
        """Requests allowed back to back: the documented count, fewer while the rate is lowered."""
        return max(1, min(int(self.limit), math.ceil(self.rate - 1e-9)))

    @property
    def window(self) -> float:
        """The sliding window the burst is counted in, in seconds."""
        return self.burst / self.rate

    def delay(self) -> float:
        """Seconds until the next request may start."""
        now = self._clock()
        wait = self._hold - now
        if len(self._starts) >= self.burst:
            wait = max(wait, self._starts[-self.burst] + self.window - now)
        return max(0.0, wait)

    def take(self) -> None:
        """A request starts now."""
        self._starts.append(self._clock())

    def answered(self) -> None:
        """The request that started last was answered now: the window counts from here. The service saw it
        no later than this, so the next request's distance from it cannot shrink on the way."""
        if self._starts:
            self._starts[-1] = self._clock()

    async def wait(self) -> None:
        """Sleep until a request may start, then count it as started (callers queue in turn)."""
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            while self.delay() > 0:
                await asyncio.sleep(self.delay())
            self.take()

    def succeeded(self) -> None:
        """A request got through: climb back towards the ceiling, a step at a time."""
        self.rate = min(self.ceiling, self.rate + self.ceiling / INCREASE_STEPS)

    def throttle(self, retry_after: Optional[float] = None) -> None:
        """The service answered 429: halve the rate; nothing starts before its Retry-After has passed."""
        self.throttled += 1
        self.rate = max(self.floor, self.rate * DECREASE)
        pause = retry_after if retry_after is not None else 1.0 / self.rate
        self._hold = max(self._hold, self._clock() + pause)
