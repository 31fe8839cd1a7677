"""Turn a validated video request into the service's JSON body.

The body is ``{"model", "input", "parameters"}``: the fields a request model
lists in ``input_fields`` (media URLs, prompt, vace's function) go to
``input``, every other knob to ``parameters``. Only fields the user gave are
sent, plus the mode's ``fixed_parameters``; the service applies its own defaults.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict

if TYPE_CHECKING:  # pragma: no cover
    from .request import VideoRequest

# Endpoints, relative to the API base (…/api/v1).
VIDEO_SYNTHESIS = "/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO_SYNTHESIS = "/services/aigc/image2video/video-synthesis"

ESCAPE_HATCHES = frozenset({"extra_input", "extra_parameters"})


def build_payload(request: VideoRequest, model_id: str) -> Dict[str, Any]:
    """The JSON body for ``request`` sent to ``model_id``."""
    layout = type(request)
    given = request.model_dump(exclude_none=True, exclude=set(ESCAPE_HATCHES))
    body_input: Dict[str, Any] = {}
    parameters: Dict[str, Any] = {}
    for name, value in given.items():
        target = body_input if name in layout.input_fields else parameters
        target[layout.renames.get(name, name)] = value
    parameters.update(layout.fixed_parameters)
    body_input.update(request.extra_input or {})
    parameters.update(request.extra_parameters or {})
    return {"model": model_id, "input": body_input, "parameters": parameters}
