"""Plugin: text to image (t2i), an asynchronous task; the fallback mode when a request names no input image."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import image_mode
from .models import T2I_MODELS

EXAMPLES = (
    Example(
        title="One picture from a sentence",
        request={"prompt": "A cozy flower shop with a wooden door, morning light", "n": 1, "size": "1280*1280"},
        description="One square image on the default model.",
    ),
    Example(
        title="Four variations in one job",
        request={"prompt": "A minimalist logo of a paper crane, flat colours", "n": 4, "size": "1280*1280",
                 "negative_prompt": "text, watermark, blurry"},
        description="Four images from one task, each billed.",
    ),
    Example(
        title="A poster with Chinese and English text",
        request={"prompt": "A summer tea festival poster titled '夏日茶会 Summer Tea Fest', fresh green palette",
                 "size": "928*1664"},
        model="qwen-image-plus",
        description="qwen-image renders text well; one image, one of five fixed sizes.",
    ),
    Example(
        title="A coherent series on wan2.7",
        request={"prompt": "An orange cat through the four seasons: blossoms, beach, falling leaves, snow",
                 "enable_sequential": True, "n": 4, "size": "1K"},
        model="wan2.7-image",
        description="The same subject across scenes; the model makes at most n images.",
    ),
)


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return image_mode(
        "t2i",
        "Text to image: describe the picture, get 1-4 PNGs (an asynchronous task).",
        models=T2I_MODELS,
        request_model="qwencloud_image.requests.t2i:T2IRequest",
        detection=DetectionRule(),
        examples=EXAMPLES,
        takes_images=False,
        notes=(
            "n is always sent (default 1); qwen-image makes one image per job at five fixed sizes.",
            "size: width*height on wan2.6/2.5/2.2; tiers 1K/2K (pro: 4K) or width*height on wan2.7.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
