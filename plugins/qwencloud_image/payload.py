"""Turn a validated image request into the service's JSON body.

Two layouts: ``messages`` (one user turn whose content holds one text item and
the input images) with every knob in ``parameters``; and ``prompt``
(``input.prompt``, ``input.negative_prompt``, ``input.images``) with the rest
in ``parameters``. The image count ``n`` is always stated (1 when left out:
several services make and bill 4 otherwise), and so is the size where the
model has a default one, so the service never picks for the user.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Dict, List

from .catalog import MESSAGES

if TYPE_CHECKING:  # pragma: no cover
    from .request import ImageRequest

ESCAPE_HATCHES = frozenset({"extra_input", "extra_parameters"})
DEFAULT_N = 1
# Fields of the prompt layout that go in input (everything else is a parameter).
PROMPT_INPUT = ("prompt", "negative_prompt", "reference_images")
WIRE_NAMES = {"reference_images": "images"}


def build_payload(request: ImageRequest, model_id: str) -> Dict[str, Any]:
    """The JSON body for ``request`` sent to ``model_id``."""
    given = request.model_dump(exclude_none=True, exclude=set(ESCAPE_HATCHES))
    given.update({name: value for name, value in billed_defaults(request).items() if name not in given})
    if request.body_for(request.spec) == MESSAGES:
        body_input, parameters = _messages(request, given)
    else:
        body_input, parameters = _prompt(given)
    body_input.update(request.extra_input or {})
    parameters.update(request.extra_parameters or {})
    return {"model": model_id, "input": body_input, "parameters": parameters}


def billed_defaults(request: ImageRequest) -> Dict[str, Any]:
    """n and size as the payload states them when the user left them out."""
    defaults: Dict[str, Any] = {"n": DEFAULT_N}
    size = request.default_size()
    if size is not None:
        defaults["size"] = size
    return defaults


def _messages(request: ImageRequest, given: Dict[str, Any]) -> Any:
    text = {"text": given.pop("prompt")}
    images: List[Dict[str, str]] = [{"image": url} for url in given.pop("reference_images", [])]
    spec = request.spec
    content = [text] + images if spec is None or spec.text_first else images + [text]
    return {"messages": [{"role": "user", "content": content}]}, given


def _prompt(given: Dict[str, Any]) -> Any:
    body_input = {WIRE_NAMES.get(name, name): given.pop(name) for name in PROMPT_INPUT if name in given}
    return body_input, given
