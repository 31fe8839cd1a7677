"""Checks shared by the video modes, each returning FieldIssues instead of raising.

Every check takes the value and the model's :class:`VideoModel` (None for a
model no plugin describes: then only rules true for every model apply), so a
request model can run them all and report every problem at once.
"""

from __future__ import annotations

import difflib
import posixpath
import re
from typing import Any, Iterable, List, Mapping, Optional, Sequence
from urllib.parse import urlparse

from qwencloud_skills.errors import FieldIssue

from .catalog import SIZE_TIERS, VideoModel, closest_size, describe_seconds, parse_size, tier_of_size

SEED_MAX = 2147483647
NEGATIVE_PROMPT_MAX = 500
# The most generous prompt limit of any known model; used for models nobody describes.
PERMISSIVE_PROMPT_MAX = 1500
AUDIO_EXTENSIONS = (".wav", ".mp3")
VIDEO_EXTENSIONS = (".mp4", ".mov", ".avi", ".mkv", ".webm")
SHOT_TYPES = ("single", "multi")
RESOLUTION_PATTERN = re.compile(r"^[1-9]\d{2,3}P$", re.ASCII)
# Bounds true for every model, known or not (a model no plugin describes is still held to them).
DURATION_MAX = 600
SIZE_SIDE_MIN = 128
SIZE_SIDE_MAX = 8192
RESOLUTION_MIN, RESOLUTION_MAX = 144, 4320
SIZE_ALLOWED = f"width*height, each side {SIZE_SIDE_MIN}-{SIZE_SIDE_MAX} px, e.g. 1280*720"

Issues = List[FieldIssue]


def one_of(field: str, value: Any, choices: Sequence[str], what: str = "") -> Issues:
    """``value`` must be one of ``choices``; suggest the nearest spelling."""
    if value in choices:
        return []
    guess = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
    fix = f"did you mean {guess[0]!r}?" if guess else f"use one of: {', '.join(choices)}"
    return [FieldIssue(field, value, what or "not an accepted value", ", ".join(choices), fix)]


def in_range(field: str, value: Optional[float], low: float, high: float, fix: str = "") -> Issues:
    if value is None or low <= value <= high:
        return []
    nearest = low if value < low else high
    return [
        FieldIssue(
            field,
            value,
            "out of range",
            f"{low} to {high}",
            fix or f"use a value between {low} and {high}, e.g. {nearest}",
        )
    ]


def prompt(value: Optional[str], spec: Optional[VideoModel], model_id: str, required: bool, mode: str,
           catalog: Sequence[VideoModel] = ()) -> Issues:
    if value is None or not value.strip():
        if required:
            return [FieldIssue("prompt", value, f"{mode} needs a prompt", "non-empty text", "describe the video")]
        return []
    limit = spec.prompt_max if spec else PERMISSIVE_PROMPT_MAX
    if len(value) <= limit:
        return []
    excess = len(value) - limit
    fix = f"shorten it by {excess} character{'s' if excess != 1 else ''}"
    roomier = [m.id for m in catalog if m.prompt_max > limit]
    if roomier:
        fix += f" (or use {', '.join(roomier)}: up to {max(m.prompt_max for m in catalog)})"
    return [
        FieldIssue("prompt", value, f"{len(value)} characters is too long for {model_id}",
                   f"at most {limit} characters", fix)
    ]


def negative_prompt(value: Optional[str]) -> Issues:
    if value is None or len(value) <= NEGATIVE_PROMPT_MAX:
        return []
    return [
        FieldIssue("negative_prompt", value, f"{len(value)} characters is too long",
                   f"at most {NEGATIVE_PROMPT_MAX} characters",
                   f"shorten it by {len(value) - NEGATIVE_PROMPT_MAX} character(s)")
    ]


def seed(value: Optional[int]) -> Issues:
    return in_range("seed", value, 0, SEED_MAX, f"pick a whole number from 0 to {SEED_MAX}")


# Where a length one job cannot make goes instead (the workflows that chain or pick jobs), by mode.
LONGER_VIDEOS = {
    "t2v": "qwencloud-video workflow run long-video --duration {value}",
    "i2v": "make {longest} s, then qwencloud-video workflow run extend --video RESULT.mp4 --seconds {rest}",
}
OTHER_LENGTHS = {"kf2v": "qwencloud-video workflow run transition --duration {value}"}


def duration(value: Optional[int], spec: Optional[VideoModel], model_id: str, mode: str = "") -> Issues:
    if value is None:
        return []
    if spec is None or not spec.durations:
        if 1 <= value <= DURATION_MAX:
            return []
        problem = "must be a positive number of seconds" if value < 1 else "is longer than any video model makes"
        return [FieldIssue("duration", value, problem, f"1 to {DURATION_MAX} seconds",
                           "give the length in whole seconds, e.g. 5")]
    if value in spec.durations:
        return []
    nearest = min(spec.durations, key=lambda allowed: (abs(allowed - value), allowed))
    longest = max(spec.durations)
    if value > longest > 0 and mode in LONGER_VIDEOS:
        instead = LONGER_VIDEOS[mode].format(value=value, longest=longest, rest=value - longest)
        return [FieldIssue("duration", value, f"{model_id} makes at most {longest} s", describe_seconds(spec.durations),
                           f"use {nearest}; for longer videos: {instead}")]
    return [
        FieldIssue("duration", value, f"{model_id} cannot make a {value}-second video",
                   describe_seconds(spec.durations), f"use {nearest}")
    ]


def fixed_duration(value: Optional[int], fixed: int, mode: str) -> Issues:
    if value is None or value == fixed:
        return []
    return [
        FieldIssue("duration", value, f"{mode} always makes {fixed}-second videos", f"{fixed}",
                   f"remove duration or set it to {fixed}"
                   + (f"; for other lengths: {OTHER_LENGTHS[mode].format(value=value)}" if mode in OTHER_LENGTHS
                      else ""))
    ]


def size(value: Optional[str], spec: Optional[VideoModel], model_id: str) -> Issues:
    if value is None:
        return []
    parsed = parse_size(value)
    if parsed is None:
        return [FieldIssue("size", value, "not a width*height size", SIZE_ALLOWED,
                           "write it as width*height, e.g. '1280*720'")]
    if not all(SIZE_SIDE_MIN <= side <= SIZE_SIDE_MAX for side in parsed):
        zero = " (a side of 0 has no picture)" if min(parsed) == 0 else ""
        fix = f"use {spec.default_size!r}" if spec and spec.default_size else "use e.g. '1280*720'"
        return [FieldIssue("size", value, f"{parsed[0]}*{parsed[1]} pixels is not a video size{zero}", SIZE_ALLOWED,
                           fix)]
    canonical = f"{parsed[0]}*{parsed[1]}"
    if canonical != value:
        return [FieldIssue("size", value, "sizes are written width*height with '*'", canonical,
                           f"write it as {canonical!r}")]
    if spec is None or not spec.sizes or value in spec.sizes:
        return []
    suggestion = closest_size(value, spec.sizes)
    return [
        FieldIssue("size", value, f"{model_id} does not offer this size", ", ".join(spec.sizes),
                   f"use {suggestion!r}" if suggestion else "pick one of the allowed sizes")
    ]


def resolution(value: Optional[str], spec: Optional[VideoModel], model_id: str) -> Issues:
    if value is None:
        return []
    allowed = spec.resolutions if spec and spec.resolutions else tuple(SIZE_TIERS)
    if not _resolution_token(value):
        upper = value.strip().upper()
        fix = f"write it as {upper!r}" if _resolution_token(upper) else f"use one of: {', '.join(allowed)}"
        return [FieldIssue("resolution", value, "not a resolution tier like '720P'", ", ".join(allowed), fix)]
    if spec is None or not spec.resolutions or value in spec.resolutions:
        return []
    return [
        FieldIssue("resolution", value, f"{model_id} does not offer {value}", ", ".join(spec.resolutions),
                   f"use {spec.default_resolution or spec.resolutions[-1]!r}")
    ]


def _resolution_token(value: str) -> bool:
    """A tier the way the service writes them: lines of picture plus "P", within what video uses."""
    return bool(RESOLUTION_PATTERN.match(value)) and RESOLUTION_MIN <= int(value[:-1]) <= RESOLUTION_MAX


def size_instead_of_resolution(value: Any, spec: Optional[VideoModel], mode: str) -> FieldIssue:
    """A size-based mode was given ``resolution``: name the size to use instead."""
    sizes = spec.sizes if spec and spec.sizes else tuple(s for tier in SIZE_TIERS.values() for s in tier)
    tier = str(value).strip().upper()
    in_tier = [s for s in SIZE_TIERS.get(tier, ()) if s in sizes]
    suggestion = in_tier[0] if in_tier else ((spec.default_size if spec else None) or sizes[0])
    return FieldIssue(
        "resolution",
        value,
        f"{mode} takes size (width*height), not resolution",
        ", ".join(sizes),
        f"use size {suggestion!r} instead of resolution {value!r}",
    )


def resolution_instead_of_size(value: Any, spec: Optional[VideoModel], mode: str) -> FieldIssue:
    """A resolution-based mode was given ``size``: name the tier to use instead."""
    tiers = spec.resolutions if spec and spec.resolutions else tuple(SIZE_TIERS)
    tier = tier_of_size(str(value))
    if tier not in tiers:
        tier = (spec.default_resolution if spec else None) or tiers[0]
    return FieldIssue(
        "size",
        value,
        f"{mode} takes resolution (480P/720P/1080P), not size",
        ", ".join(tiers),
        f"use resolution {tier!r} instead of size {value!r}",
    )


def shot_type(
    value: Optional[str],
    prompt_extend: Optional[bool],
    spec: Optional[VideoModel],
    model_id: str,
    catalog: Iterable[VideoModel],
) -> Issues:
    if value is None:
        return []
    issues = one_of("shot_type", value, SHOT_TYPES)
    if issues or value != "multi":
        return issues
    if spec is not None and not spec.multi_shot:
        capable = [m.id for m in catalog if m.multi_shot]
        issues.append(FieldIssue("shot_type", value, f"{model_id} cannot make multi-shot videos",
                                 ", ".join(capable) or "a multi-shot model",
                                 "use a multi-shot model or remove shot_type"))
    if prompt_extend is False:
        # Left out, prompt_extend is sent as true for you (see payload); only an explicit false is a conflict.
        issues.append(FieldIssue("shot_type", value, "multi-shot needs prompt_extend true (it is false)",
                                 "prompt_extend: true", "set prompt_extend to true (or leave it out)"))
    return issues


def audio_url(value: Optional[str], spec: Optional[VideoModel], model_id: str,
              catalog: Iterable[VideoModel]) -> Issues:
    if value is None:
        return []
    issues: Issues = []
    extension = file_extension(value)
    if extension and extension not in AUDIO_EXTENSIONS:
        issues.append(FieldIssue("audio_url", value, f"{extension} audio is not accepted", "wav, mp3 (3-30 s, 15 MB)",
                                 "convert the track to .mp3 or .wav"))
    if spec is not None and not spec.has_audio:
        with_audio = [m.id for m in catalog if m.has_audio]
        issues.append(FieldIssue("audio_url", value, f"{model_id} makes silent videos only",
                                 "models with audio: " + (", ".join(with_audio) or "none"),
                                 "pick a model with audio, or add the track after generation"))
    elif spec is not None and spec.custom_audio:
        issues += _track_length(value, spec, model_id)
    elif spec is not None:
        issues.append(_no_own_track(value, spec, model_id))
    return issues


def _no_own_track(value: str, spec: VideoModel, model_id: str) -> FieldIssue:
    """A model with sound that takes no audio_url: say where its own audio goes instead."""
    if spec.media_rule("driving_audio") is not None:
        return FieldIssue("audio_url", value, f"{model_id} takes its sound as driving_audio", "driving_audio_url",
                          "rename audio_url to driving_audio_url")
    if spec.own_audio_hint:
        return FieldIssue("audio_url", value, f"{model_id} takes no audio_url", "omit it", spec.own_audio_hint)
    return FieldIssue("audio_url", value, f"{model_id} takes no audio_url", "omit it",
                      "drop audio_url, or pick a model that takes your own track")


def _track_length(value: str, spec: VideoModel, model_id: str) -> Issues:
    """A local soundtrack must play as long as the model documents (links are left to the service)."""
    from .mediaitems import local_seconds

    seconds = local_seconds(value)
    low, high = spec.audio_url_seconds
    if seconds is None or low <= seconds <= high:
        return []
    fix = "trim it (see merge-media guidance)" if seconds > high else "use a longer track"
    return [FieldIssue("audio_url", value, f"plays {seconds:.2f} s", f"{low:g}-{high:g} s on {model_id}", fix)]


def audio_switch(value: Optional[bool], has_audio_url: bool, spec: Optional[VideoModel], model_id: str,
                 catalog: Iterable[VideoModel]) -> Issues:
    if value is None:
        return []
    if value is False and has_audio_url:
        return [FieldIssue("audio", value, "audio false contradicts audio_url", "one of them",
                           "remove audio_url for a silent video, or remove audio: false")]
    if spec is None:
        return []
    if value is False and not spec.can_force_silent and spec.has_audio:
        forceable = [m.id for m in catalog if m.can_force_silent]
        return [FieldIssue("audio", value, f"{model_id} always adds sound",
                           "models that can be silent: " + (", ".join(forceable) or "none"),
                           "remove audio, or use a model that can be forced silent")]
    if not spec.has_audio:
        return [FieldIssue("audio", value, f"{model_id} makes silent videos only", "omit it",
                           "remove audio (the video is silent anyway)")]
    return []


def extras(extra_input: Optional[Mapping[str, Any]], extra_parameters: Optional[Mapping[str, Any]],
           known: Iterable[str]) -> Issues:
    """The escape hatch is for fields the catalog does not know: known ones must be set directly."""
    known = set(known)
    issues: Issues = []
    for name, extra in (("extra_input", extra_input), ("extra_parameters", extra_parameters)):
        for key in extra or {}:
            if key in known or key in ("model", "input", "parameters"):
                issues.append(FieldIssue(f"{name}.{key}", extra[key], "known fields cannot use the escape hatch",
                                         "fields the request model does not have",
                                         f"set {key!r} directly so it is validated"))
    return issues


def file_extension(value: str) -> str:
    """Lower-case extension of a local path or of a URL's path ('' when there is none)."""
    path = urlparse(value).path if "://" in value else value
    return posixpath.splitext(path.replace("\\", "/"))[1].lower()


def is_video(value: str) -> bool:
    return file_extension(value) in VIDEO_EXTENSIONS


def ratio(value: Optional[str], spec: Optional[VideoModel], model_id: str, has_first_frame: bool,
          catalog: Iterable[VideoModel] = ()) -> Issues:
    if value is None or spec is None:
        return []
    if not spec.ratios:
        takers = [m.id for m in catalog if m.ratios]
        fix = "remove ratio: the shape follows the input image or clip" if spec.media else (
            f"remove ratio, or use {', '.join(takers)}" if takers else "remove ratio")
        return [FieldIssue("ratio", value, f"{model_id} takes no ratio", "omit it", fix)]
    if has_first_frame and not spec.ratio_with_first_frame:
        return [FieldIssue("ratio", value, "with a first frame the image sets the shape", "omit ratio",
                           "remove ratio (or the first frame)")]
    return one_of("ratio", value, spec.ratios, f"{model_id} does not offer this ratio")
