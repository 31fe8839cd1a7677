"""Checking one image submit body against the emulator's model table and planning its images."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, Callable, FrozenSet, Iterable, Mapping, Optional, Tuple

from qwencloud_skills.emulator.service import invalid

from .inputs import ImageInput, Size, image_size, read_body
from .models import MESSAGE_ENDPOINTS, MULTIMODAL, ImageModelSpec, find_model, served_on, sq
from .sizes import output_size

SEED_MAX = 2147483647
INTERLEAVE_IMAGES = (1, 5)  # max_images: fewest, most (default: the most)


@dataclass(frozen=True)
class ImagePlan:
    """An accepted image request: what each of its ``count`` results will be (readable as task attributes)."""

    model: str
    endpoint: str
    prompt: str
    images: Tuple[str, ...]
    width: int
    height: int
    count: int  # results asked for, failed ones included
    failed: FrozenSet[int]  # indexes of results that fail (DataInspectionFailed)
    sequential: bool = False
    interleave: bool = False
    prompt_extend: bool = True
    usage_style: str = "wan"

    @property
    def size(self) -> str:
        return f"{self.width}*{self.height}"

    @property
    def made(self) -> int:
        return self.count - len(self.failed)


def plan_submission(endpoint: str, payload: Any, *, extra_models: Optional[Mapping[str, Any]] = None,
                    input_media: Optional[Mapping[str, Any]] = None,
                    object_bytes: Callable[[str], Optional[bytes]] = lambda key: None, oss_resolve: bool = False,
                    failed_results: Iterable[int] = ()) -> ImagePlan:
    """The plan for ``payload`` POSTed to ``endpoint`` (e.g. "text2image"), or a 400 naming the problem."""
    model = payload.get("model") if isinstance(payload, dict) else None
    if not isinstance(model, str) or not model.strip():
        raise invalid("Required parameter 'model' is missing.")
    spec = find_model(model, extra_models)
    if spec is None:
        raise invalid(f"Model not exist: {model!r} is not an image model served on {endpoint}; models there: "
                      f"{', '.join(served_on(endpoint))}.")
    if endpoint not in spec.endpoints:
        raise invalid(f"Model {model} is not served on {endpoint}; call it on "
                      f"{' or '.join('/services/aigc/' + name for name in spec.endpoints)}.")
    body = read_body(payload, messages=endpoint in MESSAGE_ENDPOINTS)
    params = body.parameters
    interleave = spec.interleave and params.get("enable_interleave") is True
    if interleave:
        if endpoint == MULTIMODAL:
            raise invalid("enable_interleave on the synchronous endpoint needs a streamed answer (header "
                          "X-DashScope-Sse: enable, parameters.stream true), which this emulator does not serve; "
                          "call image-generation/generation with X-DashScope-Async: enable instead.")
        spec = replace(spec, tiers={}, pixels=(sq(768), sq(1280)), default_size="1280*1280", follow_area=sq(1280),
                       images=(0, 1))
    sequential = spec.sequential is not None and params.get("enable_sequential") is True
    _check_prompt(body.prompt, spec, model, endpoint)
    _check_images(body, spec, model, endpoint)
    count = _count(params, spec, model, sequential, interleave)
    _check_seed(params.get("seed"))
    shape = _last_shape(body.images, spec, model, input_media or {}, object_bytes, oss_resolve)
    width, height = output_size(spec, model, params.get("size"), shape, bool(body.images), sequential)
    failed = frozenset(index for index in failed_results if 0 <= index < count)
    return ImagePlan(
        model=model, endpoint=endpoint, prompt=body.prompt, images=body.images, width=width, height=height,
        count=count, failed=failed, sequential=sequential, interleave=interleave,
        prompt_extend=spec.prompt_extend and params.get("prompt_extend", True) is not False, usage_style=spec.usage,
    )


def estimate_tokens(text: str) -> int:
    """A rough token count (the emulator has no tokenizer): 4 ASCII characters or 1 other character each."""
    ascii_chars = sum(1 for char in text if ord(char) < 128)
    return -(-ascii_chars // 4) + (len(text) - ascii_chars)


def _check_prompt(prompt: str, spec: ImageModelSpec, model: str, endpoint: str) -> None:
    where = "the text item of input.messages[0].content" if endpoint in MESSAGE_ENDPOINTS else "input.prompt"
    if not prompt.strip():
        raise invalid(f"Required parameter {where} is missing or empty: describe the image.")
    limit, unit = spec.prompt_limit(endpoint)
    if limit is None:
        return
    length = len(prompt) if unit == "characters" else estimate_tokens(prompt)
    if length > limit:
        raise invalid(f"Range of input length should be [1, {limit}] {unit} for model {model}: {where} is "
                      f"{'about ' if unit == 'tokens' else ''}{length} {unit}.")


def _check_images(body: ImageInput, spec: ImageModelSpec, model: str, endpoint: str) -> None:
    low, high = spec.images
    count = len(body.images)
    where = "image items of input.messages[0].content" if endpoint in MESSAGE_ENDPOINTS else "input.images"
    if high == 0 and count:
        raise invalid(f"Model {model} takes no input image ({count} given in {where}); it makes images from text.")
    if count < low:
        raise invalid(f"Model {model} needs at least {low} input image{'s' if low > 1 else ''} in {where}, got "
                      f"{count}.")
    if count > high:
        raise invalid(f"Model {model} takes at most {high} input image{'s' if high > 1 else ''} in {where}, got "
                      f"{count}.")


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _count(params: Mapping[str, Any], spec: ImageModelSpec, model: str, sequential: bool, interleave: bool) -> int:
    """How many images the request makes: n (its documented default when omitted), or max_images when interleaved."""
    n = params.get("n")
    if n is not None and not _whole(n):
        raise invalid(f"Parameter n must be an integer, got {n!r}.")
    if interleave:
        if n is not None and n != 1:
            raise invalid(f"Parameter n must be 1 with enable_interleave on model {model} (got {n}); the number of "
                          "images is set by max_images.")
        most = params.get("max_images", INTERLEAVE_IMAGES[1])
        if not _whole(most) or not INTERLEAVE_IMAGES[0] <= most <= INTERLEAVE_IMAGES[1]:
            raise invalid(f"Parameter max_images must be an integer from {INTERLEAVE_IMAGES[0]} to "
                          f"{INTERLEAVE_IMAGES[1]}, got {most!r}.")
        return most
    high, default = spec.sequential if sequential and spec.sequential else (spec.n_max, spec.n_default)
    if n is None:
        return default
    if spec.n_max == 1 and not spec.sequential and n != 1:
        raise invalid(f"Parameter n must be 1 for model {model} (it makes one image per request), got {n}.")
    if not 1 <= n <= high:
        series = " with enable_sequential" if sequential else ""
        raise invalid(f"Parameter n must be between 1 and {high} for model {model}{series}, got {n}.")
    return n


def _check_seed(seed: Any) -> None:
    if seed is None:
        return
    if not _whole(seed) or not 0 <= seed <= SEED_MAX:
        raise invalid(f"Parameter seed must be an integer from 0 to {SEED_MAX}, got {seed!r}.")


def _last_shape(images: Tuple[str, ...], spec: ImageModelSpec, model: str, known: Mapping[str, Any],
                object_bytes: Callable[[str], Optional[bytes]], oss_resolve: bool) -> Optional[Size]:
    """The pixel size of the last input image (None when unknown); known input sizes are held to the model's limits."""
    shape: Optional[Size] = None
    for index, url in enumerate(images):
        shape = image_size(url, known, object_bytes, oss_resolve)
        if shape is None or spec.image_side is None:
            continue
        low, high = spec.image_side
        if not (low <= min(shape) and max(shape) <= high):
            raise invalid(f"Input image {index + 1} is {shape[0]}*{shape[1]} pixels; model {model} takes images "
                          f"whose sides are {low} to {high} pixels.")
    return shape
