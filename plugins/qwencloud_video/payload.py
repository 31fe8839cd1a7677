"""Turn a validated video request into the service's JSON body.

The body is ``{"model", "input", "parameters"}``: the fields a request model
lists in ``input_fields`` (media URLs, prompt, vace's function) go to
``input``, every other knob to ``parameters``. Besides what the user gave and
the mode's ``fixed_parameters``, the knobs that set the price are always
stated (see :func:`billed_defaults`): the service's own defaults are often the
priciest tier (1080P), so nothing is left for it to pick.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, Optional

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import VideoModel
    from .request import VideoRequest

# Endpoints, relative to the API base (…/api/v1).
VIDEO_SYNTHESIS = "/services/aigc/video-generation/video-synthesis"
IMAGE2VIDEO_SYNTHESIS = "/services/aigc/image2video/video-synthesis"

ESCAPE_HATCHES = frozenset({"extra_input", "extra_parameters"})
# For a model no plugin describes: the cheap tier and the usual length.
FALLBACK_SIZE = "1280*720"
FALLBACK_RESOLUTION = "720P"
FALLBACK_DURATION = 5


def build_payload(request: VideoRequest, model_id: str) -> Dict[str, Any]:
    """The JSON body for ``request`` sent to ``model_id``."""
    layout = type(request)
    given = request.model_dump(exclude_none=True, exclude=set(ESCAPE_HATCHES))
    given.update({name: value for name, value in billed_defaults(request).items() if name not in given})
    if layout.multi_shot_sends_extend and given.get("shot_type") == "multi" and "prompt_extend" not in given:
        given["prompt_extend"] = True  # multi-shot only works with rewriting on; omitted means "make it work"
    body_input: Dict[str, Any] = {}
    parameters: Dict[str, Any] = {}
    for name, value in request.wire_fields(given).items():
        target = body_input if name in layout.input_fields else parameters
        target[layout.renames.get(name, name)] = value
    parameters.update(layout.fixed_parameters)
    body_input.update(request.extra_input or {})
    parameters.update(request.extra_parameters or {})
    return {"model": model_id, "input": body_input, "parameters": parameters}


def billed_defaults(request: VideoRequest) -> Dict[str, Any]:
    """Duration and size/resolution as the payload states them when the user left them out."""
    layout = type(request)
    if not layout.states_defaults:
        return {}
    spec: Optional[VideoModel] = request.spec
    defaults: Dict[str, Any] = {}
    dimension = request.dimension_for(spec)
    if dimension == "size" and "size" in layout.model_fields:
        defaults["size"] = (spec.default_size if spec else None) or FALLBACK_SIZE
    elif dimension == "resolution" and "resolution" in layout.model_fields:
        defaults["resolution"] = (spec.default_resolution if spec else None) or FALLBACK_RESOLUTION
    if "duration" in layout.model_fields and layout.fixed_duration is None:
        defaults["duration"] = request.default_duration(spec)
    return defaults
