"""What every video mode's registration shares: skill, payload builder, default model, media rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, Mapping, Optional, Sequence, Tuple

from qwencloud_skills.registry import DetectionRule, Example, Mode, PixelBounds

from .billing import billed_seconds, billing_summary, expected_seconds
from .catalog import VideoModel
from .media import Override, file_limits, file_pixels, file_seconds, file_types
from .payload import build_payload
from .skill import SKILL_NAME


@dataclass(frozen=True)
class VideoDetection(DetectionRule):
    """A detection rule with a predicate, described in words for the manifests."""

    text: str = ""

    def describe(self) -> str:
        return self.text or super().describe()


def given(request: Mapping[str, Any], name: str) -> bool:
    return request.get(name) not in (None, "", [])


def video_mode(
    name: str,
    summary: str,
    *,
    endpoint: str,
    models: Sequence[VideoModel],
    request_model: str,
    detection: DetectionRule,
    file_fields: Tuple[str, ...],
    examples: Tuple[Example, ...],
    notes: Tuple[str, ...],
    data_url_fields: Tuple[str, ...] = (),
    overrides: Mapping[str, Override] = {},
    pixels: Mapping[str, Mapping[str, PixelBounds]] = {},
    pick_model: Optional[Callable[[Mapping[str, Any]], Optional[str]]] = None,
) -> Mode:
    """A fresh Mode of the video skill; the first catalog entry is the default model.

    ``request_model`` is "module:Class", imported only when a request is validated or documented.
    Media rules (types, sizes, playing time) follow from the file fields' names; ``data_url_fields``
    are those the service documents as taking inline ``data:{mime};base64,...`` images;
    ``overrides`` replace a field's usual types, size and playing time in this mode; ``pixels`` its
    picture bounds (by "image" / "video").
    """
    types, sizes, seconds = file_types(file_fields), file_limits(file_fields), file_seconds(file_fields)
    for field_name, (kinds, max_mb, length) in overrides.items():
        types[field_name], sizes[field_name] = kinds, max_mb
        if length is None:
            seconds.pop(field_name, None)
        else:
            seconds[field_name] = length
    bounds = {**file_pixels(file_fields), **{name: dict(value) for name, value in pixels.items()}}
    return Mode(
        name=name,
        skill=SKILL_NAME,
        summary=summary,
        endpoint=endpoint,
        default_model=models[0].id,
        request_model=request_model,
        build_payload=build_payload,
        models=list(models),
        detection=detection,
        file_fields=file_fields,
        file_types=types,
        file_max_mb=sizes,
        file_seconds=seconds,
        file_pixels=bounds,
        data_url_fields=data_url_fields,
        examples=examples,
        notes=notes,
        billing=billing_summary,
        billed=billed_seconds,
        expected_seconds=expected_seconds,
        pick_model=pick_model,
    )
