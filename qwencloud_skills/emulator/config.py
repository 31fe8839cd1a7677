"""Run-time knobs of the emulator and the faults tests can inject into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Set

ROUTES = frozenset({"submit", "task", "cancel", "list", "policy", "upload", "download", "pypi", "*"})
KINDS = frozenset({"status", "drop", "delay", "truncate", "fail_task", "never_finish"})
TASK_KINDS = frozenset({"fail_task", "never_finish"})
GENERATION_MODELS = ("realistic",)  # how timing.py may draw generation times


@dataclass
class EmulatorConfig:
    """Mutable at run time: every request reads the current values.

    Timing values are captured per task when it is created, so changing them
    affects tasks submitted afterwards.
    """

    accepted_keys: Optional[Set[str]] = None  # None: any "Bearer sk-..." key
    pending_seconds: float = 0.2
    generation_seconds: float = 1.0
    url_ttl_seconds: float = 86400.0
    task_ttl_seconds: float = 86400.0
    max_file_size_mb: int = 100
    media_cache_dir: Optional[str] = None  # where services keep produced result files; None: a temp dir per process
    render_media: bool = True  # False: services produce cheap placeholder results instead of real content
    # Model id -> a spec of the service that serves it (its own type, or a dict of its fields),
    # added to that service's built-in table.
    extra_models: Dict[str, Any] = field(default_factory=dict)
    policy_expire_seconds: int = 300
    region: str = "ap-southeast-1"
    # Serve every result file as this many deterministic bytes instead of producing it
    # (large-download benchmarks); None produces real results.
    result_size_bytes: Optional[int] = None
    # What services may assume about input files they do not download: URL -> facts in the
    # service's terms (e.g. {"width", "height", "duration"} for media).
    input_media: Dict[str, Any] = field(default_factory=dict)
    # Service knobs by name (each service declares its own and their defaults; see Service.options).
    options: Dict[str, Any] = field(default_factory=dict)
    # The service's per-account limits (see quotas.py): off by default, so tasks never wait for each other.
    enforce_quotas: bool = False
    submit_rate_limit: Optional[float] = None  # submits per second per account and model; None: the model's
    concurrency_limit: Optional[int] = None  # tasks RUNNING at once per account and model; None: the model's
    queue_limit: Optional[int] = None  # tasks waiting PENDING per account and model; None: the model's
    query_rate_limit: Optional[float] = None  # task query / list / cancel requests per second; None: 20
    # Model id -> quotas.ModelLimits (or a dict of its fields), over the service's own table.
    model_limits: Dict[str, Any] = field(default_factory=dict)
    # Drawn generation times (see timing.py): None keeps the fixed generation_seconds.
    generation_model: Optional[str] = None  # "realistic"
    generation_jitter: float = 0.2  # drawn times lie within +-this fraction of the mean
    time_scale: float = 1.0  # multiplies drawn times (0.01: a hundred times faster)
    seed: Optional[int] = None  # seeds the draws, for reproducible runs; None: random
    base_seconds: Dict[str, float] = field(default_factory=dict)  # model -> mean time of its reference job

    def __post_init__(self) -> None:
        if self.generation_model is not None and self.generation_model not in GENERATION_MODELS:
            raise ValueError(
                f"generation_model {self.generation_model!r} is unknown; expected None or one of {GENERATION_MODELS}"
            )
        if not self.time_scale > 0:
            raise ValueError(f"time_scale must be above 0, got {self.time_scale!r}")
        for name in ("submit_rate_limit", "query_rate_limit"):
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{name} must be above 0 (or None for the model's), got {value!r}")
        if self.concurrency_limit is not None and self.concurrency_limit < 1:
            raise ValueError(f"concurrency_limit must be at least 1, got {self.concurrency_limit!r}")
        if self.queue_limit is not None and self.queue_limit < 0:
            raise ValueError(f"queue_limit must be at least 0, got {self.queue_limit!r}")


@dataclass
class Fault:
    """One injected misbehaviour; the kinds are described in the package docstring.

    ``count`` is how many requests (or, for fail_task/never_finish, how many
    created tasks) it affects; None means forever.
    """

    route: str
    kind: str
    status: int = 503
    code: str = ""
    message: str = ""
    retry_after: Optional[float] = None
    delay: float = 0.0
    count: Optional[int] = 1
    after_accept: bool = False

    def __post_init__(self) -> None:
        if self.route not in ROUTES:
            raise ValueError(f"unknown fault route {self.route!r}; expected one of {sorted(ROUTES)}")
        if self.kind not in KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; expected one of {sorted(KINDS)}")
        if self.kind in TASK_KINDS and self.route not in ("submit", "*"):
            raise ValueError(f"fault kind {self.kind!r} applies to task creation: use route 'submit' or '*'")
        if self.count is not None and self.count < 1:
            raise ValueError("count must be at least 1 (or None for forever)")
