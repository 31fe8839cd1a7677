"""What an image job will be billed for, said before it is sent: how many images, at what size."""

from __future__ import annotations

from typing import Any, List


def billing_summary(request: Any, model_id: str) -> str:
    """E.g. "1 image, 1280*1280"; read from the payload itself, so the line never disagrees with it."""
    from .payload import build_payload

    parameters = build_payload(request, model_id)["parameters"]
    count = parameters.get("n")
    parts: List[str] = []
    if isinstance(count, int):
        noun = "image" if count == 1 else "images"
        parts.append(f"up to {count} {noun} (series: the model picks how many)" if parameters.get("enable_sequential")
                     else f"{count} {noun}")
    if "size" in parameters:
        parts.append(str(parameters["size"]))
    elif request.field_value("reference_images"):
        spec = request.spec
        parts.append("size set by the service" if spec is not None and not spec.takes_size
                     else "size follows the last input image")
    return ", ".join(parts)
