"""What a Wan video model can do, as plain data the validators and help text read.

A model change is a data change: add or edit a :class:`VideoModel` in
:mod:`qwencloud_video.models` (first party) or register one through
``register_models`` (third party). Nothing else needs to know about it.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from typing import Dict, FrozenSet, Iterable, Optional, Tuple

from qwencloud_skills.registry import ModelSpec

# Published `size` presets of the Wan family, by quality tier.
SIZE_TIERS: Dict[str, Tuple[str, ...]] = {
    "480P": ("832*480", "480*832", "624*624"),
    "720P": ("1280*720", "720*1280", "960*960", "1088*832", "832*1088"),
    "1080P": ("1920*1080", "1080*1920", "1440*1440", "1632*1248", "1248*1632"),
}

# Audio capabilities a model can have.
AUDIO_AUTO = "auto"  # auto-dubbing, or custom audio through audio_url
AUDIO_FORCEABLE_SILENT = "auto_forceable_silent"  # like auto, and `audio: false` makes it silent
AUDIO_SILENT = "silent"  # no sound at all
AUDIO_KINDS = (AUDIO_AUTO, AUDIO_FORCEABLE_SILENT, AUDIO_SILENT)

# ASCII digits only, and few of them: "١٢٨٠*720" or a 5000-digit side must not reach int().
SIZE_PATTERN = re.compile(r"^\s*(\d{1,7})\s*([*xX×])\s*(\d{1,7})\s*$", re.ASCII)


def span(low: int, high: int) -> Tuple[int, ...]:
    """Every whole second from ``low`` to ``high`` inclusive."""
    return tuple(range(low, high + 1))


def sizes_for(*tiers: str) -> Tuple[str, ...]:
    """The published sizes of the given tiers, in tier order."""
    return tuple(size for tier in tiers for size in SIZE_TIERS[tier])


def parse_size(value: str) -> Optional[Tuple[int, int]]:
    """(width, height) of a "W*H" string (also "WxH"), or None when it is not one."""
    match = SIZE_PATTERN.match(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(3))


def tier_of_size(value: str) -> Optional[str]:
    """The tier ("720P") a size belongs to: the published table first, else the nearest pixel count."""
    parsed = parse_size(value)
    if parsed is None:
        return None
    canonical = f"{parsed[0]}*{parsed[1]}"
    for tier, sizes in SIZE_TIERS.items():
        if canonical in sizes:
            return tier
    if min(parsed) <= 0:
        return None
    area = parsed[0] * parsed[1]
    return min(SIZE_TIERS, key=lambda tier: abs(math.log(area / _tier_area(tier))))


def closest_size(value: str, choices: Iterable[str]) -> Optional[str]:
    """The choice nearest in shape (aspect ratio first) and then in pixel count."""
    parsed = parse_size(value)
    options = [(choice, parse_size(choice)) for choice in choices]
    options = [(choice, dims) for choice, dims in options if dims]
    options = [(choice, dims) for choice, dims in options if min(dims) > 0]
    if parsed is None or min(parsed) <= 0 or not options:
        return None
    ratio, area = parsed[0] / parsed[1], parsed[0] * parsed[1]

    def distance(item: Tuple[str, Tuple[int, int]]) -> float:
        width, height = item[1]
        return 4 * abs(math.log(ratio / (width / height))) + abs(math.log(area / (width * height)))

    return min(options, key=distance)[0]


def describe_seconds(seconds: Tuple[int, ...]) -> str:
    """Allowed seconds as help text: "2-15 s", "5 or 10 s", "5 s"."""
    if not seconds:
        return "any"
    ordered = sorted(set(seconds))
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]} s"
    if len(ordered) == 1:
        return f"{ordered[0]} s"
    return ", ".join(str(s) for s in ordered[:-1]) + f" or {ordered[-1]} s"


@dataclass(frozen=True)
class MediaRule:
    """One ``input.media`` item type a model takes (wan2.7 / wan3.0 protocol), with its limits."""

    type: str
    kinds: Tuple[str, ...]  # file suffixes, e.g. (".mp4", ".mov")
    max_count: int = 1
    max_mb: Optional[float] = None
    seconds: Optional[Tuple[float, float]] = None  # playing time of each item
    total_seconds: Optional[float] = None  # playing time of all items of this type together
    inline: bool = False  # also takes data:{mime};base64,... URLs
    voice: bool = False  # an item may carry its own reference_voice (audio URL)

    def describe(self) -> str:
        parts = [f"up to {self.max_count}" if self.max_count > 1 else "one",
                 "/".join(kind.lstrip(".") for kind in self.kinds)]
        if self.seconds:
            parts.append(f"{self.seconds[0]:g}-{self.seconds[1]:g} s")
        if self.total_seconds:
            parts.append(f"{self.total_seconds:g} s in all")
        if self.max_mb:
            parts.append(f"{self.max_mb:g} MB")
        return f"{self.type} ({', '.join(parts)})"


@dataclass(frozen=True)
class VideoModel(ModelSpec):
    """One Wan model's limits. Size-based modes read ``sizes``; resolution-based modes read ``resolutions``.

    ``resolutions`` always lists the quality tiers the model offers, so a size
    given to a resolution-based mode (or the reverse) can be converted for the user.
    """

    durations: Tuple[int, ...] = ()
    default_duration: Optional[int] = None
    sizes: Tuple[str, ...] = ()
    default_size: Optional[str] = None
    resolutions: Tuple[str, ...] = ()
    default_resolution: Optional[str] = None
    audio: str = AUDIO_SILENT
    custom_audio: bool = True  # with sound: also takes your own track through audio_url
    audio_url_seconds: Tuple[float, float] = (3.0, 30.0)  # playing time of that track
    own_audio_hint: str = ""  # without audio_url: where a user's own track goes instead (a fix text)
    multi_shot: bool = False
    prompt_max: int = 800
    dimension: Optional[str] = None  # "size" or "resolution" when the model differs from its mode
    ratios: Tuple[str, ...] = ()  # aspect ratios the `ratio` parameter takes (none: no ratio parameter)
    ratio_with_first_frame: bool = True  # False: the first frame sets the shape, a ratio is refused
    shots_in_prompt: bool = False  # no shot_type: shots are described in the prompt
    negative_prompt: bool = True
    prompt_required: Optional[bool] = None  # None: as the mode says
    # The input.media protocol: item types, the exact type sets allowed (empty: any within the counts),
    # (types, most items of them together), and type groups that cannot be mixed in one request.
    media: Tuple[MediaRule, ...] = ()
    media_sets: Tuple[FrozenSet[str], ...] = ()
    media_groups: Tuple[Tuple[Tuple[str, ...], int], ...] = ()
    media_exclusive: Tuple[Tuple[str, ...], ...] = ()
    media_needs: Tuple[str, ...] = ()  # item types a request must have (each at least once)
    durations_with_video: Tuple[int, ...] = ()  # allowed lengths when a reference video is given
    duration_includes_clip: bool = False  # duration is the total, input clip included
    auto_duration: bool = False  # duration -1: the model picks the length (billed length unknown until done)
    video_total_max: Optional[int] = None  # input video seconds + output seconds at most this
    bills_input_video: bool = False  # input video seconds are billed too
    audio_settings: Tuple[str, ...] = ()  # values of audio_setting (video edit)

    def media_rule(self, kind: str) -> Optional[MediaRule]:
        for rule in self.media:
            if rule.type == kind:
                return rule
        return None

    def __post_init__(self) -> None:
        if self.audio not in AUDIO_KINDS:
            raise ValueError(f"{self.id}: audio must be one of {AUDIO_KINDS}, not {self.audio!r}")

    @property
    def has_audio(self) -> bool:
        return self.audio != AUDIO_SILENT

    @property
    def can_force_silent(self) -> bool:
        return self.audio == AUDIO_FORCEABLE_SILENT

    def describe(self) -> Dict[str, str]:
        limits: Dict[str, str] = {}
        if self.durations:
            text = describe_seconds(self.durations)
            if self.default_duration is not None:
                text += f" (default {self.default_duration})"
            limits["duration"] = text
        if self.sizes:
            text = ", ".join(self.sizes)
            if self.default_size:
                text += f" (default {self.default_size})"
            limits["size"] = text
        if self.resolutions:
            text = ", ".join(self.resolutions)
            if self.default_resolution:
                text += f" (default {self.default_resolution})"
            # Size-based models list their tiers only to explain sizes; they take no resolution field.
            limits["tiers" if self.sizes else "resolution"] = text
        own_track = ", or your own track via audio_url" if self.custom_audio else ""
        limits["audio"] = {
            AUDIO_AUTO: f"auto-generated sound{own_track}",
            AUDIO_FORCEABLE_SILENT: f"auto-generated sound{own_track}; audio=false makes it silent",
            AUDIO_SILENT: "silent only",
        }[self.audio]
        if self.ratios:
            limits["ratio"] = ", ".join(self.ratios)
        if self.media:
            limits["media"] = "; ".join(rule.describe() for rule in self.media)
        if self.auto_duration:
            limits["duration"] = limits.get("duration", "") + "; -1 lets the model pick"
        if self.bills_input_video:
            limits["billing"] = "input video seconds are billed too"
        limits["multi-shot"] = ("describe the shots in the prompt" if self.shots_in_prompt
                                else "yes (shot_type=multi)" if self.multi_shot else "no")
        limits["prompt"] = f"up to {self.prompt_max} characters"
        return limits


def _tier_area(tier: str) -> int:
    width, height = parse_size(SIZE_TIERS[tier][0]) or (1, 1)
    return width * height
