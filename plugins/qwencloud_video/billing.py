"""What a video job will be billed for, said before it is sent: tier, seconds, sound, input seconds."""

from __future__ import annotations

from typing import Any, Dict, List, Optional, Tuple

from .catalog import tier_of_size


def billing_summary(request: Any, model_id: str) -> str:
    """E.g. "720P, 5 s, with sound"; the same facts the payload states, so the line never disagrees with it."""
    from .payload import build_payload

    spec = request.spec
    parameters = build_payload(request, model_id)["parameters"]
    parts: List[str] = []
    note = request.billing_note(model_id)
    if note:
        parts.append(note)
    if "resolution" in parameters:
        parts.append(str(parameters["resolution"]))
    elif "size" in parameters:
        tier = tier_of_size(str(parameters["size"]))
        parts.append(f"{parameters['size']} ({tier})" if tier else str(parameters["size"]))
    seconds = parameters.get("duration")
    if seconds == -1:
        parts.append("length picked by the model: billed length unknown until done")
    elif seconds == 0:
        parts.append("as long as the input video")
    elif seconds is not None:
        total = spec is not None and spec.duration_includes_clip and request.field_value("first_clip_url")
        parts.append(f"{seconds} s" + (" in all, clip included" if total else ""))
    if spec is not None:
        silent = not spec.has_audio or parameters.get("audio") is False
        parts.append("silent" if silent else "with sound")
        if spec.bills_input_video and request.has_video_input():
            parts.append("input video seconds billed too")
    return ", ".join(parts)


def billed_seconds(request: Any, model_id: str) -> Dict[str, float]:
    """Seconds of video by tier, e.g. {"s of 720P video": 5}: the output, plus input video where it is billed.

    Workflow and batch plans add these up before anything is paid. An unknown output length (-1:
    the model picks; 0: as long as an input that is not a local file) is left out, so the total
    counts only what is known.
    """
    from .payload import build_payload

    spec = request.spec
    parameters = build_payload(request, model_id)["parameters"]
    tier = _tier(parameters, spec)
    if tier is None:
        return {}
    known_input, inputs_known = _input_video_seconds(request)
    seconds = parameters.get("duration")
    if seconds is None:
        seconds = request.default_duration(spec)
    if seconds == -1:
        output = 0.0
    elif seconds == 0:
        output = known_input if inputs_known else 0.0
    else:
        output = float(seconds)
    billed_input = known_input if spec is not None and spec.bills_input_video else 0.0
    total = output + billed_input
    return {f"s of {tier} video": round(total, 3)} if total > 0 else {}


def _tier(parameters: Dict[str, Any], spec: Any) -> Optional[str]:
    """The quality tier the job is priced at: its resolution, its size's tier, else the model's default."""
    if "resolution" in parameters:
        return str(parameters["resolution"])
    if "size" in parameters:
        return tier_of_size(str(parameters["size"]))
    if spec is not None and spec.default_resolution:
        return spec.default_resolution
    if spec is not None and spec.default_size:
        return tier_of_size(spec.default_size)
    return None


def _input_video_seconds(request: Any) -> Tuple[float, bool]:
    """(seconds of the local input videos, whether every input video is a local file of known length)."""
    from .mediaitems import VIDEO_TYPES, local_seconds

    total, known = 0.0, True
    for _, item in request.media_items():
        if item.get("type") not in VIDEO_TYPES:
            continue
        seconds = local_seconds(item.get("url"))
        if seconds is None:
            known = False
        else:
            total += seconds
    return total, known


# A fresh machine's guess at how long a job takes from submit to end, before its own history exists:
# a fixed start-up plus generation time per output second, scaled by tier. No source states these
# times; they are a starting point that adaptive waiting replaces with measured ones after 3 jobs.
PRIOR_BASE_SECONDS = 30.0
PRIOR_SECONDS_PER_OUTPUT_SECOND = 10.0
PRIOR_TIER_FACTOR = {"480P": 0.7, "720P": 1.0, "1080P": 1.6}
PRIOR_FLASH_FACTOR = 0.6


def expected_seconds(request: Any, model_id: str) -> Optional[float]:
    """Seconds a job like this usually takes (the waiting prior), from its billed length and tier."""
    billed = billed_seconds(request, model_id)
    if not billed:
        return None
    unit, seconds = next(iter(billed.items()))
    tier = unit.split()[2] if len(unit.split()) > 2 else "720P"
    factor = PRIOR_TIER_FACTOR.get(tier, 1.0) * (PRIOR_FLASH_FACTOR if "flash" in model_id else 1.0)
    return PRIOR_BASE_SECONDS + PRIOR_SECONDS_PER_OUTPUT_SECOND * seconds * factor
