"""Plugin: image editing and composition from reference images (image-edit), a synchronous call."""

from __future__ import annotations

import dataclasses
from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import image_mode
from .models import EDIT_MODELS
from .skill import OUTPUT

PHOTO = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/photo.jpg"
CAR = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/car.jpg"
GRAFFITI = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/graffiti.jpg"

EXAMPLES = (
    Example(
        title="Restyle a photo",
        request={"prompt": "Turn this photo into a watercolor painting", "reference_images": [PHOTO], "n": 1,
                 "size": "1K"},
        description="One edited image, shaped like the input, on the default model.",
    ),
    Example(
        title="Combine two pictures",
        request={"prompt": "Paint the graffiti from image 2 onto the car body in image 1",
                 "reference_images": [CAR, GRAFFITI], "n": 2},
        model="wan2.7-image-pro",
        description="Inputs are named image 1, image 2 in the prompt; two results.",
    ),
    Example(
        title="Change the text on a sign",
        request={"prompt": "Replace the shop sign's text with 'OPEN 24H'", "reference_images": [PHOTO],
                 "n": 1, "prompt_extend": False},
        model="qwen-image-edit-plus",
        description="qwen edit models are strong at text; the output follows the input's shape.",
    ),
)


def make_mode() -> Mode:
    """A fresh Mode each time; the answer itself carries the images (no task to poll)."""
    return image_mode(
        "image-edit",
        "Edit, restyle or compose from 1-9 reference images; several results per call (synchronous).",
        models=EDIT_MODELS,
        request_model="qwencloud_image.requests.imageedit:ImageEditRequest",
        detection=DetectionRule(keys=("reference_images", "reference_image", "images"), priority=10),
        examples=EXAMPLES,
        takes_images=True,
        output=dataclasses.replace(OUTPUT, asynchronous=False),
        notes=(
            "Synchronous: the answer carries the images, there is no task id to poll.",
            "wan size 1K/2K keeps the last input's shape; qwen models follow it when size is left out.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
