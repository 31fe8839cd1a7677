"""The ``input.media`` list of the wan2.7 / wan3.0 protocol: which mode a list belongs to, and its checks.

A model's :class:`~qwencloud_video.catalog.MediaRule` entries say which item
types it takes and their limits; the checks here read only that data. Items
come from a raw ``media`` list or from convenience fields (first_frame_url,
...), whose local files the host checks and uploads like any media field.
"""

from __future__ import annotations

from collections import Counter
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple

from qwencloud_skills.errors import FieldIssue

from .catalog import VideoModel
from .rules import file_extension

Item = Tuple[str, Dict[str, Any]]  # (label as the user wrote it, {"type", "url"[, "reference_voice"]})

FRAME_TYPES = frozenset({"first_frame", "last_frame", "driving_audio", "first_clip"})
REFERENCE_TYPES = frozenset({"reference_image", "reference_video", "reference_audio", "file", "link"})
EDIT_TYPES = frozenset({"video"})
VIDEO_TYPES = frozenset({"reference_video", "video", "first_clip"})
SENDABLE = ("http://", "https://", "oss://", "data:")
VOICE_KINDS = (".wav", ".mp3")


def types_in(raw: Any) -> frozenset:
    """The item types of a raw ``media`` value (anything malformed counts as no type)."""
    if not isinstance(raw, list):
        return frozenset()
    return frozenset(item.get("type") for item in raw if isinstance(item, Mapping) and isinstance(item.get("type"),
                                                                                                      str))


def shape_problems(raw: Any) -> List[FieldIssue]:
    """Each raw item is {"type": ..., "url": ...}; local paths go through the convenience fields instead."""
    issues: List[FieldIssue] = []
    for index, item in enumerate(raw or []):
        label = f"media[{index}]"
        if not isinstance(item, Mapping) or not isinstance(item.get("type"), str) or not isinstance(
                item.get("url"), str):
            issues.append(FieldIssue(label, item, "not a media item", '{"type": "first_frame", "url": "https://..."}',
                                     "give each item a type and a url"))
            continue
        unknown = sorted(set(item) - {"type", "url", "reference_voice"})
        if unknown:
            issues.append(FieldIssue(f"{label}.{unknown[0]}", item[unknown[0]], "unknown key in a media item",
                                     "type, url, reference_voice", "remove it"))
        for key in ("url", "reference_voice"):
            value = item.get(key)
            if isinstance(value, str) and not value.startswith(SENDABLE):
                issues.append(FieldIssue(f"{label}.{key}", value, "local paths inside media are not uploaded",
                                         "an http(s)://, oss:// or data: URL",
                                         "pass local files through the mode's own fields (e.g. first_frame_url, "
                                         "reference_urls), which upload them"))
    return issues


def check(items: Sequence[Item], spec: VideoModel, model_id: str) -> List[FieldIssue]:
    """Every documented media rule of ``spec`` that ``items`` break."""
    issues: List[FieldIssue] = []
    allowed = ", ".join(rule.type for rule in spec.media)
    counts = Counter(item["type"] for _, item in items)
    for label, item in items:
        rule = spec.media_rule(item["type"])
        if rule is None:
            issues.append(FieldIssue(label, item["type"], f"{model_id} takes no {item['type']} media", allowed,
                                     f"use one of: {allowed}"))
            continue
        issues += _url_problems(label, item.get("url", ""), rule.kinds, rule.inline, item["type"])
        voice = item.get("reference_voice")
        if voice is not None and not rule.voice:
            issues.append(FieldIssue(f"{label}.reference_voice", voice, f"{item['type']} items take no voice",
                                     "reference_image or reference_video items", "remove reference_voice"))
        elif isinstance(voice, str):
            issues += _url_problems(f"{label}.reference_voice", voice, VOICE_KINDS, False, "reference_voice")
    for kind, count in counts.items():
        rule = spec.media_rule(kind)
        if rule is not None and count > rule.max_count:
            issues.append(FieldIssue("media", kind, f"{count} {kind} items", f"at most {rule.max_count}",
                                     f"keep at most {rule.max_count}"))
    for kinds, most in spec.media_groups:
        total = sum(counts[kind] for kind in kinds)
        if total > most:
            issues.append(FieldIssue("media", list(kinds), f"{total} items of {' + '.join(kinds)}",
                                     f"at most {most} together", f"keep at most {most}"))
    present = [group for group in spec.media_exclusive if any(counts[kind] for kind in group)]
    if len(present) > 1:
        issues.append(FieldIssue("media", sorted(counts), "these media kinds cannot be mixed",
                                 " or ".join("/".join(group) for group in spec.media_exclusive),
                                 "send one kind per request"))
    if spec.media_sets and frozenset(counts) not in spec.media_sets:
        combos = "; ".join(" + ".join(sorted(combo)) for combo in spec.media_sets)
        repeated = [kind for kind, count in counts.items() if count > 1]
        problem = (f"{repeated[0]} is given {counts[repeated[0]]} times" if repeated
                   else f"{' + '.join(sorted(counts)) or 'no media'} is not a combination {model_id} takes")
        issues.append(FieldIssue("media", sorted(counts), problem, combos, "send one of the allowed combinations"))
    for need in spec.media_needs:
        kinds = need.split("|")
        if not any(counts[kind] for kind in kinds):
            issues.append(FieldIssue("media", None, f"{model_id} needs {' or '.join(kinds)} media", need,
                                     f"add a {kinds[0]} item"))
    return issues


def playing_time_problems(items: Sequence[Item], spec: VideoModel, model_id: str,
                          duration: Optional[int]) -> List[FieldIssue]:
    """Local clips and audio too short or too long, alone, per type together, or with the output added.

    Only local files can be measured; links are left to the service.
    """
    issues: List[FieldIssue] = []
    totals: Counter = Counter()
    video_seconds = 0.0
    for label, item in items:
        rule = spec.media_rule(item["type"])
        seconds = local_seconds(item.get("url")) if rule is not None else None
        if rule is None or seconds is None:
            continue
        totals[item["type"]] += seconds
        if item["type"] in VIDEO_TYPES:
            video_seconds += seconds
        if rule.seconds and not rule.seconds[0] <= seconds <= rule.seconds[1]:
            low, high = rule.seconds
            fix = "trim it" if seconds > high else "use a longer one"
            issues.append(FieldIssue(label, item["url"], f"plays {seconds:.2f} s", f"{low:g}-{high:g} s for "
                                     f"{item['type']} on {model_id}", fix))
    for kind, total in totals.items():
        rule = spec.media_rule(kind)
        if rule is not None and rule.total_seconds and total > rule.total_seconds:
            issues.append(FieldIssue("media", kind, f"the {kind} items play {total:.2f} s together",
                                     f"at most {rule.total_seconds:g} s in all on {model_id}",
                                     "trim them or drop one"))
    limit = spec.video_total_max
    if limit and video_seconds and duration and duration > 0 and video_seconds + duration > limit:
        room = int(limit - video_seconds)
        fix = f"set duration to {room} or less" if room >= 2 else "use shorter input clips"
        issues.append(FieldIssue("duration", duration, f"input clips play {video_seconds:.2f} s, and with "
                                 f"{duration} s of output that is over {limit} s",
                                 f"input video + output at most {limit} s", fix))
    return issues


def _url_problems(label: str, value: str, kinds: Tuple[str, ...], inline: bool, kind: str) -> List[FieldIssue]:
    if value[:5].lower() == "data:":
        if inline:
            return []
        return [FieldIssue(label, value[:60], f"{kind} takes no inline data: URL", "an http(s):// or oss:// URL",
                           "pass a local path in the mode's own field (it is uploaded), or host the file")]
    extension = file_extension(value)
    if not kinds or not extension or extension in kinds or extension in (".html", ".htm", ".php", ".aspx"):
        return []
    return [FieldIssue(label, value, f"{extension} is not accepted for {kind}",
                       ", ".join(k.lstrip(".") for k in kinds), "convert it to one of the allowed types")]


def local_seconds(value: Optional[str]) -> Optional[float]:
    """Playing time of a local media file (None for URLs, missing files or unknown formats)."""
    if not value or value.startswith(SENDABLE) or "://" in value:
        return None
    try:
        from pathlib import Path

        from qwencloud_skills.mediaprobe import duration_of

        path = Path(value).expanduser()
        return duration_of(path) if path.is_file() else None
    except (OSError, ValueError):
        return None
