"""The emulator's own model catalog, written from the reference docs (not shared with the client)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple

MODES = ("t2v", "i2v", "kf2v", "r2v", "vace")
AUDIO_ALWAYS = "always"
AUDIO_OPTIONAL = "optional"  # on unless parameters.audio is false
AUDIO_NONE = "none"

TIER_PRESETS: Dict[str, Tuple[str, ...]] = {
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}
RESOLUTION_SIZES: Dict[str, Tuple[int, int]] = {"480P": (832, 480), "720P": (1280, 720), "1080P": (1920, 1080)}


def endpoint_for(mode: str) -> str:
    """kf2v has its own service path; every other mode shares video-generation."""
    return "image2video" if mode == "kf2v" else "video-generation"


def tier_of(size: str) -> Optional[str]:
    for tier, sizes in TIER_PRESETS.items():
        if size in sizes:
            return tier
    return None


@dataclass(frozen=True)
class ModelSpec:
    """What the service accepts for one model; ``tiers`` None means any preset size."""

    mode: str
    audio: str = AUDIO_NONE
    durations: Tuple[int, ...] = (5,)
    tiers: Optional[Tuple[str, ...]] = None
    default_size: str = "1280*720"

    def __post_init__(self) -> None:
        if self.mode not in MODES:
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.audio not in (AUDIO_ALWAYS, AUDIO_OPTIONAL, AUDIO_NONE):
            raise ValueError(f"unknown audio rule {self.audio!r}")
        object.__setattr__(self, "durations", tuple(int(d) for d in self.durations))
        if self.tiers is not None:
            object.__setattr__(self, "tiers", tuple(self.tiers))

    @property
    def default_duration(self) -> int:
        return 5 if 5 in self.durations else min(self.durations)


def _span(low: int, high: int) -> Tuple[int, ...]:
    return tuple(range(low, high + 1))


ALL_TIERS = ("480P", "720P", "1080P")

BUILTIN_MODELS: Dict[str, ModelSpec] = {
    # text-to-video
    "wan2.6-t2v": ModelSpec("t2v", AUDIO_ALWAYS, _span(2, 15), ("720P", "1080P")),
    "wan2.5-t2v-preview": ModelSpec("t2v", AUDIO_ALWAYS, (5, 10), ALL_TIERS),
    "wan2.2-t2v-plus": ModelSpec("t2v", AUDIO_NONE, (5,), ("480P", "1080P"), "1920*1080"),
    "wan2.1-t2v-turbo": ModelSpec("t2v"),
    "wan2.1-t2v-plus": ModelSpec("t2v"),
    # image-to-video (first frame)
    "wan2.6-i2v-flash": ModelSpec("i2v", AUDIO_OPTIONAL, _span(2, 15), ("720P", "1080P")),
    "wan2.6-i2v": ModelSpec("i2v", AUDIO_ALWAYS, _span(2, 15), ("720P", "1080P")),
    "wan2.5-i2v-preview": ModelSpec("i2v", AUDIO_ALWAYS, (5, 10), ALL_TIERS),
    "wan2.2-i2v-plus": ModelSpec("i2v"),
    "wan2.2-i2v-flash": ModelSpec("i2v"),
    "wan2.1-i2v-turbo": ModelSpec("i2v", AUDIO_NONE, _span(3, 5)),
    "wan2.1-i2v-plus": ModelSpec("i2v", AUDIO_NONE, _span(3, 5)),
    # first + last frame
    "wan2.2-kf2v-flash": ModelSpec("kf2v", AUDIO_NONE, (5,), ALL_TIERS),
    "wan2.1-kf2v-plus": ModelSpec("kf2v"),
    # reference-based
    "wan2.6-r2v": ModelSpec("r2v", AUDIO_ALWAYS, _span(2, 10), ("720P", "1080P")),
    "wan2.6-r2v-flash": ModelSpec("r2v", AUDIO_OPTIONAL, _span(2, 10), ("720P", "1080P")),
    # editing
    "wan2.1-vace-plus": ModelSpec("vace", AUDIO_NONE, _span(1, 5), ("720P",)),
}


def find_model(model_id: str, extra: Optional[Mapping[str, Any]] = None) -> Optional[ModelSpec]:
    """Look a model up, test-added models first; dict specs are accepted for convenience."""
    if extra and model_id in extra:
        spec = extra[model_id]
        return spec if isinstance(spec, ModelSpec) else ModelSpec(**dict(spec))
    return BUILTIN_MODELS.get(model_id)
