"""The image models the emulator serves, written from the service's image API reference (not the client's catalog).

Each :class:`ImageModelSpec` says where a model is called (its endpoints), what it takes
(prompt length, input images, n) and how its output size is decided (fixed sizes, tiers,
free ``W*H`` bounds, the default when ``size`` is left out). Several models make 4 billed
images when ``n`` is omitted: the table keeps those defaults, so a client that forgets ``n``
is caught by its result count.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, Dict, Mapping, Optional, Tuple

# Endpoint names: the path segment after /services/aigc/ (each implies a body layout and a calling style).
MULTIMODAL = "multimodal-generation"  # synchronous, input.messages
IMAGE_GENERATION = "image-generation"  # asynchronous task, input.messages
TEXT2IMAGE = "text2image"  # asynchronous task, input.prompt
IMAGE2IMAGE = "image2image"  # asynchronous task, input.prompt + input.images
MESSAGE_ENDPOINTS = (MULTIMODAL, IMAGE_GENERATION)
PROMPT_ENDPOINTS = (TEXT2IMAGE, IMAGE2IMAGE)

WAN, QWEN = "wan", "qwen"  # how a messages answer reports its size in usage: size "W*H", or width/height


def sq(side: int) -> int:
    return side * side


@dataclass(frozen=True)
class ImageModelSpec:
    """One image model as the service documents it."""

    endpoints: Tuple[str, ...]
    prompt_chars: Optional[int] = None  # a limit in characters (async text2image for qwen-image)
    prompt_tokens: Optional[int] = None  # a limit in tokens (qwen models on the synchronous endpoint)
    n_max: int = 4
    n_default: int = 4  # what the service makes when n is omitted
    sequential: Optional[Tuple[int, int]] = None  # enable_sequential: (most n, default n)
    sizes: Tuple[str, ...] = ()  # only these W*H
    tiers: Mapping[str, int] = field(default_factory=dict)  # "1K" -> side of the square area it stands for
    text_only_tiers: Tuple[str, ...] = ()  # tiers offered only without input images and outside a series
    side: Optional[Tuple[int, int]] = None  # each side, px
    pixels: Optional[Tuple[int, int]] = None  # W*H total, px
    text_only_pixels: Optional[Tuple[int, int]] = None  # wider W*H bounds without input images, outside a series
    aspect: Optional[float] = None  # long side at most this times the short one
    default_size: Optional[str] = None  # size used when omitted (a tier or W*H)
    follow_area: Optional[int] = None  # size omitted with input images: this many px, shaped like the last one
    takes_size: bool = True  # False: a given size is ignored (the output follows the input)
    images: Tuple[int, int] = (0, 0)  # fewest and most input images
    image_side: Optional[Tuple[int, int]] = None  # each side of an input image, px (checked when known)
    interleave: bool = False  # enable_interleave (wan2.6-image): text and images mixed, 0-1 input images
    prompt_extend: bool = True  # an actual_prompt is reported (async prompt endpoints)
    usage: str = WAN

    def prompt_limit(self, endpoint: str) -> Tuple[Optional[int], str]:
        """(limit, unit) on ``endpoint``: tokens on the synchronous endpoint when the docs count tokens."""
        if endpoint == MULTIMODAL and self.prompt_tokens:
            return self.prompt_tokens, "tokens"
        if self.prompt_chars:
            return self.prompt_chars, "characters"
        return self.prompt_tokens, "tokens"


WAN_PICTURE = (240, 8000)

WAN26_T2I = ImageModelSpec(
    endpoints=(IMAGE_GENERATION, MULTIMODAL), prompt_chars=2100, pixels=(sq(1280), sq(1440)), aspect=4.0,
    default_size="1280*1280",
)
WAN25_T2I = replace(WAN26_T2I, endpoints=(TEXT2IMAGE,), prompt_chars=2000)
WAN22_T2I = ImageModelSpec(endpoints=(TEXT2IMAGE,), prompt_chars=500, side=(512, 1440), default_size="1024*1024")
WAN26_IMAGE = ImageModelSpec(
    endpoints=(IMAGE_GENERATION, MULTIMODAL), prompt_chars=2000, tiers={"1K": 1280, "2K": 2048},
    pixels=(sq(768), sq(2048)), aspect=4.0, default_size="1K", images=(1, 4), image_side=WAN_PICTURE,
    interleave=True,
)
# wan2.7: n defaults to 1 (a series: up to 12, default 12); size defaults to 2K; W*H 768²-2048², 1:8-8:1.
WAN27_IMAGE = ImageModelSpec(
    endpoints=(IMAGE_GENERATION, MULTIMODAL), prompt_chars=5000, n_default=1, sequential=(12, 12),
    tiers={"1K": 1024, "2K": 2048}, pixels=(sq(768), sq(2048)), aspect=8.0, default_size="2K", images=(0, 9),
    image_side=WAN_PICTURE, prompt_extend=False,
)
WAN27_PRO = replace(WAN27_IMAGE, tiers={"1K": 1024, "2K": 2048, "4K": 4096}, text_only_tiers=("4K",),
                    text_only_pixels=(sq(768), sq(4096)))
WAN25_I2I = ImageModelSpec(
    endpoints=(IMAGE2IMAGE,), prompt_chars=2000, pixels=(sq(768), sq(1280)), aspect=4.0, follow_area=sq(1280),
    images=(1, 3), image_side=(384, 5000),
)
QWEN_FIXED = ("1664*928", "1472*1104", "1328*1328", "1104*1472", "928*1664")
QWEN_IMAGE = ImageModelSpec(
    endpoints=(TEXT2IMAGE, MULTIMODAL), prompt_chars=800, prompt_tokens=800, n_max=1, n_default=1, sizes=QWEN_FIXED,
    default_size="1664*928", usage=QWEN,
)
QWEN_20 = ImageModelSpec(
    endpoints=(MULTIMODAL,), prompt_tokens=1300, n_max=6, n_default=1, pixels=(sq(512), sq(2048)),
    default_size="2048*2048", follow_area=sq(1024), images=(0, 3), usage=QWEN,
)
QWEN_EDIT_PLUS = ImageModelSpec(
    endpoints=(MULTIMODAL,), prompt_tokens=800, n_max=6, n_default=1, side=(512, 2048), follow_area=sq(1024),
    images=(1, 3), usage=QWEN,
)

BUILTIN_MODELS: Dict[str, ImageModelSpec] = {
    "wan2.6-t2i": WAN26_T2I,
    "wan2.5-t2i-preview": WAN25_T2I,
    "wan2.2-t2i-flash": WAN22_T2I,
    "wan2.2-t2i-plus": WAN22_T2I,
    "wanx2.1-t2i-turbo": WAN22_T2I,
    "wanx2.1-t2i-plus": WAN22_T2I,
    "wanx2.0-t2i-turbo": replace(WAN22_T2I, prompt_chars=800),
    "wan2.6-image": WAN26_IMAGE,
    "wan2.7-image": WAN27_IMAGE,
    "wan2.7-image-pro": WAN27_PRO,
    "wan2.5-i2i-preview": WAN25_I2I,
    "qwen-image": QWEN_IMAGE,
    "qwen-image-plus": QWEN_IMAGE,
    "qwen-image-max": replace(QWEN_IMAGE, endpoints=(MULTIMODAL,)),  # synchronous only
    "qwen-image-2.0": QWEN_20,
    "qwen-image-2.0-pro": QWEN_20,
    "qwen-image-edit-plus": QWEN_EDIT_PLUS,
    "qwen-image-edit-max": QWEN_EDIT_PLUS,
    "qwen-image-edit": replace(QWEN_EDIT_PLUS, n_max=1, takes_size=False, prompt_extend=False),
}

# --extra-model ID=KIND: a new model served like one of these.
KINDS: Mapping[str, str] = {
    "t2i": "wan2.6-t2i",
    "t2i-prompt": "wan2.2-t2i-flash",
    "image-edit": "wan2.7-image",
    "i2i": "wan2.5-i2i-preview",
    "qwen-edit": "qwen-image-edit-plus",
}


def find_model(model_id: str, extra: Optional[Mapping[str, Any]] = None) -> Optional[ImageModelSpec]:
    """A test-added model first (only specs of this service's type count), then the built-in table."""
    spec = extra.get(model_id) if extra else None
    if isinstance(spec, ImageModelSpec):
        return spec
    return BUILTIN_MODELS.get(model_id)


def served_on(endpoint: str) -> Tuple[str, ...]:
    """The built-in models called on ``endpoint``."""
    return tuple(model_id for model_id, spec in BUILTIN_MODELS.items() if endpoint in spec.endpoints)
