"""Checks for the ``input.media`` protocol (wan2.7 and wan3.0) and what such a request renders.

Written from the reference docs: which media types each model takes and how often, the
resolution/ratio/duration rules, and how long the result and the billed input are. Where the
docs leave a gap the emulator is strict on purpose (``size`` is refused rather than ignored,
wan3.0 refuses ``negative_prompt``), so a client sending the wrong field notices in tests.
"""

from __future__ import annotations

import math
from collections import Counter
from typing import Any, Dict, FrozenSet, List, Optional, Tuple

from qwencloud_skills.emulator.service import invalid

from .facts import Lookup, MediaFacts
from .models import AUDIO_ALWAYS, RATIO_SIZES, RATIOS, ModelSpec

DEFAULT_RESOLUTION = "1080P"
MODEL_CHOSEN_SECONDS = 5  # what wan3.0 picks for duration -1 (the real length is up to the model)
MAX_WAN30_TOTAL = 30
SEED_MAX = 2147483647
IMAGE_TYPES = frozenset({"first_frame", "last_frame", "reference_image"})
VIDEO_TYPES = frozenset({"first_clip", "reference_video", "video"})
IMAGE_PIXELS = (240, 8000)
VIDEO_PIXELS = (240, 4096)

I2V_SETS: Tuple[FrozenSet[str], ...] = tuple(
    frozenset(s)
    for s in (
        {"first_frame"},
        {"first_frame", "driving_audio"},
        {"first_frame", "last_frame"},
        {"first_frame", "last_frame", "driving_audio"},
        {"first_clip"},
        {"first_clip", "last_frame"},
    )
)
WAN30_LIMITS = {
    "first_frame": 1,
    "last_frame": 1,
    "reference_image": 10,
    "reference_video": 5,
    "reference_audio": 5,
    "file": 1,
    "link": 1,
}


class Request:
    """One media-protocol submission being checked; ``plan`` fields are filled as checks pass."""

    def __init__(
        self, spec: ModelSpec, model: str, inputs: Dict[str, Any], params: Dict[str, Any], facts: Lookup,
        assumed_video_seconds: float,
    ) -> None:
        self.spec, self.model, self.inputs, self.params = spec, model, inputs, params
        self.facts = facts
        self.assumed_video_seconds = float(assumed_video_seconds)
        self.media: List[Dict[str, Any]] = []
        self.failure: Optional[Tuple[str, str]] = None

    # -- shared pieces -------------------------------------------------------------
    def prompt(self, required: bool) -> bool:
        value = self.inputs.get("prompt")
        if value is None or (isinstance(value, str) and not value.strip()):
            if required:
                raise invalid(f"Required parameter 'input.prompt' is missing for {self.model}.")
            return False
        if not isinstance(value, str):
            raise invalid(f"Parameter 'input.prompt' must be a string, got {type(value).__name__}.")
        limit = self.spec.prompt_limit
        if limit is not None and len(value) > limit:
            raise invalid(
                f"Parameter 'input.prompt' is {len(value)} characters long; {self.model} accepts at most {limit}."
            )
        return True

    def common_parameters(self) -> None:
        if "size" in self.params:
            raise invalid(
                f"Parameter 'size' is not supported by {self.model}; use 'resolution' "
                f"({', '.join(self.spec.tiers or ())}) and, where the model has it, 'ratio'."
            )
        seed = self.params.get("seed")
        if seed is not None and (isinstance(seed, bool) or not isinstance(seed, int) or not 0 <= seed <= SEED_MAX):
            raise invalid(f"Parameter 'seed' must be an integer from 0 to {SEED_MAX}, got {seed!r}.")

    def tier(self) -> str:
        value = self.params.get("resolution")
        if value is None:
            return DEFAULT_RESOLUTION
        tier = str(value).strip().upper()
        allowed = self.spec.tiers or ()
        if tier not in allowed:
            raise invalid(f"Parameter 'resolution' {value!r} is not supported by {self.model}; "
                          f"allowed: {', '.join(allowed)}.")
        return tier

    def ratio(self, allowed: Tuple[str, ...], default: Optional[str]) -> Optional[str]:
        value = self.params.get("ratio")
        if value is None:
            return default
        if value not in allowed:
            raise invalid(
                f"Parameter 'ratio' {value!r} is not supported by {self.model}; allowed: {', '.join(allowed)}."
            )
        return str(value)

    def duration(self, allowed: Tuple[int, ...], describe: str) -> int:
        value = self.params.get("duration")
        if value is None:
            return self.spec.default_duration
        if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
            raise invalid(f"Parameter 'duration' must be an integer number of seconds, got {value!r}.")
        if int(value) not in allowed:
            raise invalid(f"Parameter 'duration' {int(value)} is not supported by {self.model}; allowed: {describe}.")
        return int(value)

    def read_media(self, required: bool) -> List[Dict[str, Any]]:
        media = self.inputs.get("media")
        if media is None:
            if required:
                raise invalid(f"Required parameter 'input.media' is missing for {self.model}.")
            return []
        if not isinstance(media, list) or (required and not media):
            raise invalid("Parameter 'input.media' must be a non-empty list of {type, url} objects.")
        for index, item in enumerate(media):
            if not isinstance(item, dict) or not isinstance(item.get("type"), str):
                raise invalid(f"'input.media[{index}]' must be an object with a 'type' and a 'url'.")
            url = item.get("url")
            if not isinstance(url, str) or not url.strip():
                raise invalid(f"'input.media[{index}].url' ({item['type']}) is missing.")
            _check_url(url, f"input.media[{index}].url", allow_data=item["type"] in IMAGE_TYPES)
        self.media = media
        return media

    def types(self, known: FrozenSet[str]) -> Counter:
        counts: Counter = Counter()
        for index, item in enumerate(self.media):
            if item["type"] not in known:
                raise invalid(f"'input.media[{index}].type' {item['type']!r} is not supported by {self.model}; "
                              f"allowed: {', '.join(sorted(known))}.")
            counts[item["type"]] += 1
        return counts

    def items(self, kind: str) -> List[Dict[str, Any]]:
        return [item for item in self.media if item["type"] == kind]

    def fact(self, item: Dict[str, Any]) -> Optional[MediaFacts]:
        facts = self.facts(item["url"])
        if facts is not None and facts.width and facts.height:
            low, high = IMAGE_PIXELS if item["type"] in IMAGE_TYPES else VIDEO_PIXELS
            width, height = facts.width, facts.height
            if not (low <= width <= high and low <= height <= high) or max(width, height) > 8 * min(width, height):
                raise invalid(f"The {item['type']} {item['url']} is {width}x{height}; each side must be {low}-{high} "
                              "pixels and the aspect ratio between 1:8 and 8:1.")
        return facts

    def video_seconds(self, item: Dict[str, Any], low: float, high: float) -> Tuple[float, bool]:
        """Length of an input video (checked) and True when known; else the configured assumption and False."""
        facts = self.fact(item)
        if facts is None or facts.duration is None:
            return self.assumed_video_seconds, False
        seconds = float(facts.duration)
        if not low <= seconds <= high:
            raise invalid(f"The {item['type']} {item['url']} is {seconds:.2f} s long; it must be {low:g}-{high:g} s.")
        return seconds, True

    def follow(self, tier: str, items: List[Dict[str, Any]]) -> Tuple[int, int]:
        """Output size following the first known input's aspect, else the tier's 16:9 size."""
        for item in items:
            facts = self.fact(item)
            if facts is not None and facts.width and facts.height:
                return aspect_size(tier, facts.width, facts.height)
        return RATIO_SIZES[tier]["16:9"]


def _check_url(url: str, field: str, allow_data: bool) -> None:
    schemes = ("http://", "https://", "oss://") + (("data:",) if allow_data else ())
    if not url.startswith(schemes):
        raise invalid(f"'{field}' must be an http(s) or oss:// URL{' or a data: URI' if allow_data else ''}; "
                      f"got {url[:60]!r}.")


def aspect_size(tier: str, width: int, height: int) -> Tuple[int, int]:
    """The tier's pixel count at the input's aspect, each side floored to a multiple of 16."""
    base_w, base_h = RATIO_SIZES[tier]["16:9"]
    area = base_w * base_h
    ratio = min(8.0, max(1 / 8, width / height))
    for name in ("16:9", "9:16"):  # 16:9-class inputs get the tier's own size (480P is not exactly 16:9)
        pixels = RATIO_SIZES[tier][name]
        if abs(ratio / (pixels[0] / pixels[1]) - 1) < 0.03:
            return pixels
    out_w = int(math.sqrt(area * ratio) + 1e-6) // 16 * 16
    out_h = int(math.sqrt(area / ratio) + 1e-6) // 16 * 16
    return out_w, out_h


def ratio_label(tier: str, size: Tuple[int, int]) -> str:
    for name, pixels in RATIO_SIZES[tier].items():
        if pixels == size:
            return name
    return "adaptive"


def plan_media(
    spec: ModelSpec, model: str, inputs: Dict[str, Any], params: Dict[str, Any], facts: Lookup,
    assumed_video_seconds: float = 5.0,
) -> Dict[str, Any]:
    """Check one media-protocol body; returns the fields of the Plan (see submit.Plan)."""
    req = Request(spec, model, inputs, params, facts, assumed_video_seconds)
    req.common_parameters()
    checker = {"t2v": _t2v, "i2v": _i2v, "r2v": _r2v, "videoedit": _videoedit, "video": _wan30}[spec.mode]
    plan = checker(req)
    plan.setdefault("audio", spec.audio == AUDIO_ALWAYS or params.get("audio") is not False)
    plan.setdefault("input_video_seconds", 0.0)
    plan["failure"] = req.failure
    return plan


def _t2v(req: Request) -> Dict[str, Any]:
    req.prompt(required=True)
    if "media" in req.inputs:
        raise invalid(f"{req.model} takes no 'input.media'; give a soundtrack as 'input.audio_url'.")
    audio_url = req.inputs.get("audio_url")
    if audio_url is not None:
        if not isinstance(audio_url, str) or not audio_url.strip():
            raise invalid("Parameter 'input.audio_url' must be a URL string.")
        _check_url(audio_url, "input.audio_url", allow_data=False)
    tier = req.tier()
    ratio = req.ratio(RATIOS, "16:9") or "16:9"
    duration = req.duration(req.spec.durations, "2-15 seconds")
    width, height = RATIO_SIZES[tier][ratio]
    return {"width": width, "height": height, "duration": duration, "tier": tier, "ratio": ratio}


def _i2v(req: Request) -> Dict[str, Any]:
    req.prompt(required=False)
    req.read_media(required=True)
    counts = req.types(frozenset({"first_frame", "last_frame", "driving_audio", "first_clip"}))
    repeated = sorted(kind for kind, n in counts.items() if n > 1)
    if repeated:
        raise invalid(f"'input.media' may hold each type once; {', '.join(repeated)} appears more than once.")
    if frozenset(counts) not in I2V_SETS:
        allowed = "; ".join("+".join(sorted(s)) for s in I2V_SETS)
        raise invalid(f"'input.media' types {'+'.join(sorted(counts))} are not a valid combination for "
                      f"{req.model}; use one of: {allowed}.")
    if "ratio" in req.params:
        raise invalid(f"{req.model} has no 'ratio' parameter: the aspect follows the input image or clip.")
    tier = req.tier()
    duration = req.duration(req.spec.durations, "2-15 seconds")
    clips = req.items("first_clip")
    if clips:
        seconds, known = req.video_seconds(clips[0], 2, 10)
        if known and seconds >= duration:
            raise invalid(f"Parameter 'duration' {duration} is the total output length and must exceed the "
                          f"{seconds:.2f} s first_clip.")
    width, height = req.follow(tier, req.items("first_frame") + clips)
    return {"width": width, "height": height, "duration": duration, "tier": tier,
            "ratio": ratio_label(tier, (width, height))}


def _r2v(req: Request) -> Dict[str, Any]:
    req.prompt(required=True)
    req.read_media(required=True)
    counts = req.types(frozenset({"reference_image", "reference_video", "first_frame"}))
    references = counts["reference_image"] + counts["reference_video"]
    if counts["first_frame"] > 1:
        raise invalid("'input.media' may hold at most one first_frame.")
    if references < 1:
        raise invalid(f"{req.model} needs at least one reference_image or reference_video in 'input.media'.")
    if references > 5:
        raise invalid(f"'input.media' holds {references} references; reference_image and reference_video "
                      "together may be at most 5.")
    for index, item in enumerate(req.media):
        voice = item.get("reference_voice")
        if voice is None:
            continue
        if item["type"] == "first_frame":
            raise invalid(f"'input.media[{index}].reference_voice' belongs on a reference_image or reference_video.")
        if not isinstance(voice, str) or not voice.strip():
            raise invalid(f"'input.media[{index}].reference_voice' must be an audio URL.")
        _check_url(voice, f"input.media[{index}].reference_voice", allow_data=False)
    if counts["first_frame"] and "ratio" in req.params:
        raise invalid("Parameter 'ratio' cannot be used with a first_frame: the aspect follows that image.")
    tier = req.tier()
    ratio = req.ratio(RATIOS, "16:9")
    videos = req.items("reference_video")
    if videos:
        duration = req.duration(tuple(range(2, 11)), "2-10 seconds when a reference_video is given")
    else:
        duration = req.duration(req.spec.durations, "2-15 seconds")
    input_seconds = sum(req.video_seconds(item, 1, 30)[0] for item in videos)
    for item in req.items("reference_image"):
        req.fact(item)
    if counts["first_frame"]:
        width, height = req.follow(tier, req.items("first_frame"))
        ratio = ratio_label(tier, (width, height))
    else:
        width, height = RATIO_SIZES[tier][ratio or "16:9"]
    return {"width": width, "height": height, "duration": duration, "tier": tier, "ratio": ratio,
            "input_video_seconds": round(input_seconds, 2)}


def _videoedit(req: Request) -> Dict[str, Any]:
    req.prompt(required=False)
    req.read_media(required=True)
    counts = req.types(frozenset({"video", "reference_image"}))
    if counts["video"] != 1:
        raise invalid(f"'input.media' must hold exactly one video for {req.model}, got {counts['video']}.")
    if counts["reference_image"] > 4:
        raise invalid(f"'input.media' holds {counts['reference_image']} reference_image items; at most 4.")
    setting = req.params.get("audio_setting", "auto")
    if setting not in ("auto", "origin"):
        raise invalid(f"Parameter 'audio_setting' must be 'auto' or 'origin', got {setting!r}.")
    tier = req.tier()
    ratio = req.ratio(RATIOS, None)
    duration = req.duration(req.spec.durations, "0 (keep the input length) or 2-10 seconds")
    video = req.items("video")[0]
    input_seconds, known = req.video_seconds(video, 2, 10)
    if duration and known and duration > input_seconds + 1e-6:
        raise invalid(f"Parameter 'duration' {duration} is longer than the {input_seconds:.2f} s input video.")
    for item in req.items("reference_image"):
        req.fact(item)
    output = round(input_seconds, 2) if duration == 0 else duration
    if ratio is not None:
        width, height = RATIO_SIZES[tier][ratio]
    else:
        width, height = req.follow(tier, [video])
        ratio = ratio_label(tier, (width, height))
    return {"width": width, "height": height, "duration": output, "tier": tier, "ratio": ratio,
            "input_video_seconds": round(input_seconds, 2)}


def _wan30(req: Request) -> Dict[str, Any]:
    if "negative_prompt" in req.inputs:
        raise invalid(f"{req.model} does not support 'input.negative_prompt'; describe what to avoid in the prompt.")
    has_prompt = req.prompt(required=False)
    req.read_media(required=False)
    if not has_prompt and not req.media:
        raise invalid(f"{req.model} needs 'input.prompt', 'input.media' or both.")
    counts = req.types(frozenset(WAN30_LIMITS))
    for kind, limit in WAN30_LIMITS.items():
        if counts[kind] > limit:
            raise invalid(f"'input.media' holds {counts[kind]} {kind} items; {req.model} accepts at most {limit}.")
    if counts["file"] and counts["link"]:
        raise invalid("'input.media' may hold a file or a link, not both.")
    frames = counts["first_frame"] + counts["last_frame"]
    references = sum(counts[k] for k in ("reference_image", "reference_video", "reference_audio", "file", "link"))
    if frames and references:
        # The service accepts the task and fails it.
        req.failure = ("InvalidParameter", "first_frame/last_frame and reference/file/link inputs: "
                                           "the two modes are mutually exclusive.")
    audio = req.params.get("audio", True)
    if not isinstance(audio, bool):
        raise invalid(f"Parameter 'audio' must be true or false, got {audio!r}.")
    tier = req.tier()
    ratio = req.ratio(("adaptive",) + RATIOS, "adaptive") or "adaptive"
    duration = req.duration(req.spec.durations, "-1 (the model chooses) or 2-30 seconds")
    videos = req.items("reference_video")
    lengths = [req.video_seconds(item, 1, 15)[0] for item in videos]
    input_seconds = sum(lengths)
    if input_seconds > 15 + 1e-6:
        raise invalid(f"The reference videos last {input_seconds:.2f} s together; at most 15 s.")
    if duration == -1:
        duration = min(MODEL_CHOSEN_SECONDS, int(MAX_WAN30_TOTAL - input_seconds))
    elif input_seconds + duration > MAX_WAN30_TOTAL + 1e-6:
        raise invalid(f"Input videos ({input_seconds:.2f} s) plus 'duration' {duration} exceed "
                      f"{MAX_WAN30_TOTAL} s.")
    for kind in ("first_frame", "last_frame", "reference_image"):
        for item in req.items(kind):
            req.fact(item)
    if ratio == "adaptive":
        candidates = req.items("first_frame") + req.items("reference_image") + videos
        width, height = req.follow(tier, candidates)
    else:
        width, height = RATIO_SIZES[tier][ratio]
    return {"width": width, "height": height, "duration": duration, "tier": tier, "ratio": ratio,
            "input_video_seconds": round(input_seconds, 2), "audio": audio}

