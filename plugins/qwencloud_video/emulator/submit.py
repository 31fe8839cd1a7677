"""Checks a submit body the way the service plausibly would, and derives what to render.

Only rejections the real service would make live here; finer client-side rules
(prompt lengths, shot_type pairing, ...) are deliberately left to the client.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Dict, Mapping, Optional, Tuple, Union

from qwencloud_skills.emulator.service import ApiError, invalid

from .facts import Lookup, no_facts
from .media_rules import plan_media
from .models import (
    AUDIO_ALWAYS,
    AUDIO_OPTIONAL,
    LEGACY,
    RESOLUTION_SIZES,
    ModelSpec,
    endpoint_for,
    find_model,
    tier_of,
)

VACE_FUNCTIONS = ("image_reference", "video_repainting", "video_edit", "video_extension", "video_outpainting")
MAX_REFERENCES = 5
SIZE_PATTERN = re.compile(r"^\s*(\d{1,5})\s*\*\s*(\d{1,5})\s*$")


@dataclass(frozen=True)
class Plan:
    """An accepted submission: the model and the media it will produce.

    ``duration`` is the output length (a float only for wan2.7-videoedit keeping its input's
    length); ``input_video_seconds`` is the billed input-video length; ``failure`` a
    (code, message) the task ends with although the submit was accepted.
    """

    model: str
    mode: str
    width: int
    height: int
    duration: Union[int, float]
    audio: bool
    protocol: str = LEGACY
    tier: Optional[str] = None
    ratio: Optional[str] = None
    input_video_seconds: float = 0.0
    failure: Optional[Tuple[str, str]] = None

    @property
    def size(self) -> str:
        return f"{self.width}*{self.height}"


def plan_submission(
    endpoint: str,
    payload: Any,
    *,
    extra_models: Optional[Mapping[str, Any]] = None,
    strict_sizes: bool = True,
    facts: Lookup = no_facts,
    assumed_video_seconds: float = 5.0,
) -> Plan:
    """Validate one submit body for ``endpoint`` ("video-generation" or "image2video").

    ``facts`` tells what is known about an input URL (size, length); unknown input videos
    are taken to last ``assumed_video_seconds``. The core checks oss:// inputs afterwards.
    """
    if not isinstance(payload, dict):
        raise invalid("The request body must be a JSON object.")
    model = payload.get("model")
    if not isinstance(model, str) or not model.strip():
        raise invalid("Required parameter 'model' is missing.")
    spec = find_model(model, extra_models)
    if spec is None:
        raise ApiError(400, "ModelNotFound", f"Model not exist: the model '{model}' is not available.")
    expected = endpoint_for(spec.mode)
    if expected != endpoint:
        raise invalid(
            f"Model '{model}' is not supported on the {endpoint} endpoint; "
            f"submit it to /services/aigc/{expected}/video-synthesis."
        )
    inputs = payload.get("input")
    if not isinstance(inputs, dict):
        raise invalid("Required parameter 'input' is missing or is not an object.")
    params = payload.get("parameters") or {}
    if not isinstance(params, dict):
        raise invalid("Parameter 'parameters' must be an object.")
    if spec.protocol != LEGACY:
        fields = plan_media(spec, model, inputs, params, facts, assumed_video_seconds)
        return Plan(model, spec.mode, protocol=spec.protocol, **fields)
    _check_inputs(spec.mode, inputs, params)
    duration = _duration(spec, model, params)
    width, height = _dimensions(spec, model, params, strict_sizes)
    return Plan(model, spec.mode, width, height, duration, _audio(spec, params))


def _text(inputs: Dict[str, Any], name: str) -> bool:
    value = inputs.get(name)
    return isinstance(value, str) and bool(value.strip())


def _require(inputs: Dict[str, Any], name: str, mode: str) -> None:
    if not _text(inputs, name):
        raise invalid(f"Required parameter 'input.{name}' is missing for this model ({mode}).")


def _check_inputs(mode: str, inputs: Dict[str, Any], params: Dict[str, Any]) -> None:
    if mode == "t2v":
        _require(inputs, "prompt", mode)
    elif mode == "i2v":
        _require(inputs, "img_url", mode)
    elif mode == "kf2v":
        _require(inputs, "first_frame_url", mode)
        if not _text(inputs, "template"):
            _require(inputs, "last_frame_url", mode)
    elif mode == "r2v":
        _require(inputs, "prompt", mode)
        refs = inputs.get("reference_urls")
        if not isinstance(refs, list) or not refs or not all(isinstance(r, str) and r for r in refs):
            raise invalid("Required parameter 'input.reference_urls' must be a non-empty list of URLs.")
        if len(refs) > MAX_REFERENCES:
            raise invalid(f"'input.reference_urls' accepts at most {MAX_REFERENCES} items, got {len(refs)}.")
    elif mode == "vace":
        _check_vace(inputs, params)


def _check_vace(inputs: Dict[str, Any], params: Dict[str, Any]) -> None:
    """VACE: media in ``input``; the control knobs (control_condition, strength, scales...) in ``parameters``."""
    function = inputs.get("function")
    if function not in VACE_FUNCTIONS:
        raise invalid(f"'input.function' must be one of {', '.join(VACE_FUNCTIONS)}; got {function!r}.")
    if function == "image_reference":
        refs = inputs.get("ref_images_url")
        if not isinstance(refs, list) or not 1 <= len(refs) <= 3:
            raise invalid("image_reference needs 'input.ref_images_url' with 1 to 3 images.")
    elif function == "video_extension":
        sources = ("first_clip_url", "last_clip_url", "first_frame_url", "last_frame_url")
        if not any(_text(inputs, name) for name in sources):
            raise invalid("video_extension needs one of 'input." + "', 'input.".join(sources) + "'.")
    else:
        _require(inputs, "video_url", f"vace {function}")
        if function == "video_repainting" and not _text(params, "control_condition"):
            raise invalid("video_repainting needs 'parameters.control_condition' (posebodyface, posebody, depth "
                          "or scribble).")


def _duration(spec: ModelSpec, model: str, params: Dict[str, Any]) -> int:
    value = params.get("duration")
    if value is None:
        return spec.default_duration
    if isinstance(value, bool) or not isinstance(value, (int, float)) or int(value) != value:
        raise invalid(f"Parameter 'duration' must be an integer number of seconds, got {value!r}.")
    seconds = int(value)
    if seconds not in spec.durations:
        allowed = _describe(spec.durations)
        raise invalid(f"Parameter 'duration' {seconds} is not supported by {model}; allowed: {allowed}.")
    return seconds


def _describe(values: Tuple[int, ...]) -> str:
    ordered = sorted(values)
    if len(ordered) > 2 and ordered == list(range(ordered[0], ordered[-1] + 1)):
        return f"{ordered[0]}-{ordered[-1]} seconds"
    return " or ".join(str(v) for v in ordered) + " seconds"


def _dimensions(spec: ModelSpec, model: str, params: Dict[str, Any], strict: bool) -> Tuple[int, int]:
    size = params.get("size")
    resolution = params.get("resolution")
    if size is not None:
        return _size(spec, model, size, strict)
    if resolution is not None:
        tier = str(resolution).strip().upper()
        if tier not in RESOLUTION_SIZES:
            raise invalid(f"Parameter 'resolution' must be one of 480P, 720P, 1080P; got {resolution!r}.")
        if spec.tiers is not None and tier not in spec.tiers:
            raise invalid(f"Resolution {tier} is not supported by {model}; allowed: {', '.join(spec.tiers)}.")
        return RESOLUTION_SIZES[tier]
    return _size(spec, model, spec.default_size, strict=False)


def _size(spec: ModelSpec, model: str, size: Any, strict: bool) -> Tuple[int, int]:
    match = SIZE_PATTERN.match(size) if isinstance(size, str) else None
    if match is None:
        raise invalid(f"Parameter 'size' must look like '1280*720', got {size!r}.")
    width, height = int(match.group(1)), int(match.group(2))
    canonical = f"{width}*{height}"
    if strict:
        tier = tier_of(canonical)
        if tier is None or (spec.tiers is not None and tier not in spec.tiers):
            tiers = ", ".join(spec.tiers) if spec.tiers else "480P, 720P, 1080P"
            raise invalid(f"Size {canonical} is not supported by {model}; use a preset of {tiers}.")
    elif not (16 <= width <= 4096 and 16 <= height <= 4096) or width % 2 or height % 2:
        raise invalid(f"Size {canonical} is out of range (even sides between 16 and 4096).")
    return width, height


def _audio(spec: ModelSpec, params: Dict[str, Any]) -> bool:
    if spec.audio == AUDIO_ALWAYS:
        return True
    if spec.audio == AUDIO_OPTIONAL:
        return params.get("audio") is not False
    return False
