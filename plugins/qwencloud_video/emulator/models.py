"""The emulator's own video model catalog, written from the reference docs (not shared with the client)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple

MODES = ("t2v", "i2v", "kf2v", "r2v", "vace")
# Modes only the media-list protocol (wan2.7 / wan3.0) has.
MEDIA_MODES = ("videoedit", "video")
LEGACY = "legacy"
WAN27 = "wan2.7"
WAN30 = "wan3.0"
PROTOCOLS = (LEGACY, WAN27, WAN30)
AUDIO_ALWAYS = "always"
AUDIO_OPTIONAL = "optional"  # on unless parameters.audio is false
AUDIO_NONE = "none"

TIER_PRESETS: Dict[str, Tuple[str, ...]] = {
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}
RESOLUTION_SIZES: Dict[str, Tuple[int, int]] = {"480P": (832, 480), "720P": (1280, 720), "1080P": (1920, 1080)}
RATIOS = ("16:9", "9:16", "1:1", "4:3", "3:4")
# wan2.7 / wan3.0 pixel map (tier, ratio) -> (width, height); 4:3 differs from the legacy 1088*832.
# The 480P row (wan3.0 only) is not published: 16:9/9:16/1:1 follow the legacy list, 4:3 is inferred.
RATIO_SIZES: Dict[str, Dict[str, Tuple[int, int]]] = {
    "480P": {"16:9": (832, 480), "9:16": (480, 832), "1:1": (624, 624), "4:3": (736, 544), "3:4": (544, 736)},
    "720P": {"16:9": (1280, 720), "9:16": (720, 1280), "1:1": (960, 960), "4:3": (1104, 832), "3:4": (832, 1104)},
    "1080P": {
        "16:9": (1920, 1080),
        "9:16": (1080, 1920),
        "1:1": (1440, 1440),
        "4:3": (1648, 1248),
        "3:4": (1248, 1648),
    },
}


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
    """What the service accepts for one model; ``tiers`` None means any preset size.

    ``protocol`` picks the request shape: legacy fields (img_url, size, ...) or the
    ``input.media`` list with resolution + ratio (wan2.7, wan3.0).
    """

    mode: str
    audio: str = AUDIO_NONE
    durations: Tuple[int, ...] = (5,)
    tiers: Optional[Tuple[str, ...]] = None
    default_size: str = "1280*720"
    protocol: str = LEGACY
    prompt_limit: Optional[int] = None

    def __post_init__(self) -> None:
        if self.protocol not in PROTOCOLS:
            raise ValueError(f"unknown protocol {self.protocol!r}")
        modes = MODES if self.protocol == LEGACY else MODES + MEDIA_MODES
        if self.mode not in modes:
            raise ValueError(f"unknown mode {self.mode!r}")
        if self.audio not in (AUDIO_ALWAYS, AUDIO_OPTIONAL, AUDIO_NONE):
            raise ValueError(f"unknown audio rule {self.audio!r}")
        object.__setattr__(self, "durations", tuple(int(d) for d in self.durations))
        if self.tiers is not None:
            object.__setattr__(self, "tiers", tuple(self.tiers))

    @property
    def default_duration(self) -> int:
        if self.mode == "videoedit":
            return 0
        return 5 if 5 in self.durations else min(self.durations)


def _span(low: int, high: int) -> Tuple[int, ...]:
    return tuple(range(low, high + 1))


ALL_TIERS = ("480P", "720P", "1080P")
HD_TIERS = ("720P", "1080P")
FULL_HD = "1920*1080"


def _wan27(mode: str, durations: Tuple[int, ...]) -> ModelSpec:
    return ModelSpec(mode, AUDIO_ALWAYS, durations, HD_TIERS, FULL_HD, WAN27, 5000)


def _wan30() -> ModelSpec:
    # duration -1 lets the model choose the length
    return ModelSpec("video", AUDIO_OPTIONAL, (-1,) + _span(2, 30), ALL_TIERS, FULL_HD, WAN30, 20000)


BUILTIN_MODELS: Dict[str, ModelSpec] = {
    # text-to-video
    "wan2.6-t2v": ModelSpec("t2v", AUDIO_ALWAYS, _span(2, 15), HD_TIERS, FULL_HD),
    "wan2.5-t2v-preview": ModelSpec("t2v", AUDIO_ALWAYS, (5, 10), ALL_TIERS, FULL_HD),
    "wan2.2-t2v-plus": ModelSpec("t2v", AUDIO_NONE, (5,), ("480P", "1080P"), "1920*1080"),
    "wan2.1-t2v-turbo": ModelSpec("t2v"),
    "wan2.1-t2v-plus": ModelSpec("t2v"),
    # image-to-video (first frame)
    "wan2.6-i2v-flash": ModelSpec("i2v", AUDIO_OPTIONAL, _span(2, 15), HD_TIERS, FULL_HD),
    "wan2.6-i2v": ModelSpec("i2v", AUDIO_ALWAYS, _span(2, 15), HD_TIERS, FULL_HD),
    "wan2.5-i2v-preview": ModelSpec("i2v", AUDIO_ALWAYS, (5, 10), ALL_TIERS, FULL_HD),
    "wan2.2-i2v-plus": ModelSpec("i2v", default_size=FULL_HD),
    "wan2.2-i2v-flash": ModelSpec("i2v"),
    "wan2.1-i2v-turbo": ModelSpec("i2v", AUDIO_NONE, _span(3, 5)),
    "wan2.1-i2v-plus": ModelSpec("i2v", AUDIO_NONE, _span(3, 5)),
    # first + last frame
    "wan2.2-kf2v-flash": ModelSpec("kf2v", AUDIO_NONE, (5,), ALL_TIERS),
    "wan2.1-kf2v-plus": ModelSpec("kf2v"),
    # reference-based
    "wan2.6-r2v": ModelSpec("r2v", AUDIO_ALWAYS, _span(2, 10), HD_TIERS, FULL_HD),
    "wan2.6-r2v-flash": ModelSpec("r2v", AUDIO_OPTIONAL, _span(2, 10), HD_TIERS, FULL_HD),
    # editing
    "wan2.1-vace-plus": ModelSpec("vace", AUDIO_NONE, _span(1, 5), ("720P",)),
    # wan2.7: input.media list, resolution + ratio (no size), sound always on
    "wan2.7-t2v": _wan27("t2v", _span(2, 15)),
    "wan2.7-i2v": _wan27("i2v", _span(2, 15)),
    "wan2.7-r2v": _wan27("r2v", _span(2, 15)),  # 2-10 once a reference video is given
    "wan2.7-videoedit": _wan27("videoedit", (0,) + _span(2, 10)),  # 0 keeps the input length
    # wan3.0 all-in-one (the real service serves them from workspace hosts only)
    "wan3.0-video": _wan30(),
    "wan3.0-video-prime": _wan30(),
}

# Dated snapshots seen in the docs answer like their family.
for _alias, _family in (
    ("wan2.7-t2v-2026-04-25", "wan2.7-t2v"),
    ("wan2.7-i2v-2026-04-25", "wan2.7-i2v"),
    ("wan2.7-r2v-2026-06-12", "wan2.7-r2v"),
):
    BUILTIN_MODELS[_alias] = BUILTIN_MODELS[_family]


def find_model(model_id: str, extra: Optional[Mapping[str, Any]] = None) -> Optional[ModelSpec]:
    """Look a model up, test-added models first; dict specs are accepted for convenience."""
    spec = extra.get(model_id) if extra else None
    if isinstance(spec, ModelSpec):
        return spec
    if isinstance(spec, Mapping):
        return ModelSpec(**dict(spec))
    return BUILTIN_MODELS.get(model_id)  # (a spec of another service's type is not a model of this one)
