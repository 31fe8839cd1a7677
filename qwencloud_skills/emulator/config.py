"""Run-time knobs of the emulator and the faults tests can inject into it."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Dict, Optional, Set

ROUTES = frozenset({"submit", "task", "cancel", "list", "policy", "upload", "download", "pypi", "*"})
KINDS = frozenset({"status", "drop", "delay", "truncate", "fail_task", "never_finish"})
TASK_KINDS = frozenset({"fail_task", "never_finish"})


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
    media_cache_dir: Optional[str] = None  # None: one temp dir per process
    fps: int = 8
    render_media: bool = True
    # Model id -> ModelSpec (or a dict of ModelSpec fields) added to the built-in table.
    extra_models: Dict[str, Any] = field(default_factory=dict)
    # False: accept any even W*H up to 4096 instead of only the published presets.
    strict_sizes: bool = True
    policy_expire_seconds: int = 300
    region: str = "ap-southeast-1"
    # Serve every result video as this many deterministic bytes instead of rendered media
    # (large-download benchmarks); None renders real MP4s.
    result_size_bytes: Optional[int] = None
    # What the emulator may assume about input media it does not download (wan2.7 / wan3.0):
    # URL -> MediaFacts or {"width", "height", "duration"}. Uploaded oss:// objects are probed
    # with ffmpeg instead; any other input video is taken to last assumed_input_video_seconds.
    input_media: Dict[str, Any] = field(default_factory=dict)
    assumed_input_video_seconds: float = 5.0


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
