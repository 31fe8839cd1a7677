"""Generation times drawn per task, so waiting and batching meet times like the service's.

With ``EmulatorConfig.generation_model = "realistic"`` a task's time in its running slot is
drawn instead of the fixed ``generation_seconds``: the mean is the model's base time (for the
reference job: 5 s of output at 1280x720, or a single output for jobs without a duration)
times duration / 5 times a size factor ((pixels / 1280x720) ** 0.8); the draw is uniform within
±``generation_jitter`` of it, then multiplied by ``time_scale`` (0.01 runs a test 100x faster).
The draws come from one random generator per emulator seeded with ``EmulatorConfig.seed``:
the same submits in the same order get the same times. A service states its models' base
times (:attr:`Service.mean_seconds`); others get :data:`DEFAULT_BASE_SECONDS`.
"""

from __future__ import annotations

import random
import threading
from typing import TYPE_CHECKING, Any, Mapping, Optional, Tuple

if TYPE_CHECKING:  # pragma: no cover
    from .config import EmulatorConfig
    from .service import TaskPlan

DEFAULT_BASE_SECONDS = 45.0
REFERENCE_DURATION = 5.0
REFERENCE_PIXELS = 1280 * 720
SIZE_EXPONENT = 0.8


def _positive(value: Any) -> Optional[float]:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if value > 0 else None


def _pixels_of_text(text: Any) -> Optional[float]:
    """"1280*720" -> its pixels; "720P" -> a 16:9 frame of that height; "2K" -> 2048 squared."""
    if not isinstance(text, str) or not text.strip():
        return None
    text = text.strip().upper()
    width, star, height = text.replace("X", "*").partition("*")
    try:
        if star:
            return float(int(width) * int(height))
        if text.endswith("P"):
            side = int(text[:-1])
            return side * side * 16 / 9
        if text.endswith("K"):
            side = 1024 * int(text[:-1])
            return float(side * side)
    except ValueError:
        return None
    return None


def workload(plan: TaskPlan, payload: Any) -> Tuple[Optional[float], Optional[float]]:
    """(output seconds, pixels) of a job, from the service's plan details, else the request."""
    details = plan.details
    parameters = payload.get("parameters") if isinstance(payload, dict) else None
    parameters = parameters if isinstance(parameters, dict) else {}
    duration = _positive(getattr(details, "duration", None)) or _positive(parameters.get("duration"))
    width, height = _positive(getattr(details, "width", None)), _positive(getattr(details, "height", None))
    pixels = width * height if width and height else None
    if pixels is None:
        pixels = _pixels_of_text(parameters.get("size")) or _pixels_of_text(parameters.get("resolution"))
    return duration, pixels


def mean_seconds(base: float, duration: Optional[float], pixels: Optional[float]) -> float:
    """The mean generation time of a job with this much output."""
    length = duration / REFERENCE_DURATION if duration else 1.0
    size = min(4.0, max(0.25, (pixels / REFERENCE_PIXELS) ** SIZE_EXPONENT)) if pixels else 1.0
    return base * length * size


class Draws:
    """The emulator's seeded random generator (re-seeded when ``EmulatorConfig.seed`` changes)."""

    _UNSET = object()

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._seed: Any = self._UNSET
        self._random = random.Random()

    def uniform(self, low: float, high: float, seed: Optional[int]) -> float:
        with self._lock:
            if seed != self._seed:
                self._random = random.Random(seed)
                self._seed = seed
            return self._random.uniform(low, high)

    def generation_seconds(
        self, config: EmulatorConfig, table: Mapping[str, float], plan: TaskPlan, payload: Any
    ) -> float:
        """The time ``plan``'s task will run: drawn when a generation model is set, else the fixed time."""
        if config.generation_model is None:
            return config.generation_seconds
        base = config.base_seconds.get(plan.model) or table.get(plan.model) or table.get("*") or DEFAULT_BASE_SECONDS
        mean = mean_seconds(float(base), *workload(plan, payload))
        jitter = min(0.99, max(0.0, config.generation_jitter))
        return mean * self.uniform(1 - jitter, 1 + jitter, config.seed) * config.time_scale
