"""What every image mode's registration shares: skill, payload builder, billing line, input-image rules."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Mapping, Optional, Sequence, Tuple

from qwencloud_skills.registry import DetectionRule, Example, Mode, Output

from .billing import billing_summary
from .catalog import ImageModel
from .media import FILE_FIELD, file_max_mb, file_pixels, file_types
from .payload import build_payload
from .skill import SKILL_NAME


@dataclass(frozen=True)
class ImageDetection(DetectionRule):
    """A detection rule with a predicate, described in words for the manifests."""

    text: str = ""

    def describe(self) -> str:
        return self.text or super().describe()


def given(request: Mapping[str, Any], name: str) -> bool:
    return request.get(name) not in (None, "", [])


def image_mode(
    name: str,
    summary: str,
    *,
    models: Sequence[ImageModel],
    request_model: str,
    detection: DetectionRule,
    examples: Tuple[Example, ...],
    notes: Tuple[str, ...],
    takes_images: bool,
    data_urls: bool = False,
    output: Optional[Output] = None,
) -> Mode:
    """A fresh Mode of the image skill; the first catalog entry is the default model (its endpoint, the mode's).

    ``request_model`` is "module:Class", imported only when a request is validated or documented.
    ``takes_images``: the mode has the ``reference_images`` file field, with the loosest limits of its models;
    ``data_urls``: the service documents inline ``data:{mime};base64,...`` images there.
    """
    fields: Tuple[str, ...] = (FILE_FIELD,) if takes_images else ()
    return Mode(
        name=name,
        skill=SKILL_NAME,
        summary=summary,
        endpoint=models[0].endpoint,
        default_model=models[0].id,
        request_model=request_model,
        build_payload=build_payload,
        models=list(models),
        detection=detection,
        file_fields=fields,
        file_types=file_types(models) if takes_images else {},
        file_max_mb=file_max_mb(models) if takes_images else {},
        file_pixels=file_pixels(models) if takes_images else {},
        data_url_fields=fields if data_urls else (),
        examples=examples,
        notes=notes,
        billing=billing_summary,
        output=output,
    )
