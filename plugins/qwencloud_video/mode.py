"""What every video mode's registration shares: skill, payload builder, default model, media rules."""

from __future__ import annotations

from typing import Sequence, Tuple

from qwencloud_skills.registry import DetectionRule, Example, Mode

from .catalog import VideoModel
from .media import file_limits, file_seconds, file_types
from .payload import build_payload
from .skill import SKILL_NAME


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
) -> Mode:
    """A fresh Mode of the video skill; the first catalog entry is the default model.

    ``request_model`` is "module:Class", imported only when a request is validated or documented.
    Media rules (types, sizes, playing time) follow from the file fields' names; ``data_url_fields``
    are those the service documents as taking inline ``data:{mime};base64,...`` images.
    """
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
        file_types=file_types(file_fields),
        file_max_mb=file_limits(file_fields),
        file_seconds=file_seconds(file_fields),
        data_url_fields=data_url_fields,
        examples=examples,
        notes=notes,
    )
