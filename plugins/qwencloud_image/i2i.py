"""Plugin: image to image on wan2.5-i2i-preview (i2i), an asynchronous task; chosen by its model."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import Example, Mode

from .mode import ImageDetection, image_mode
from .models import I2I_MODELS

DRESS = "https://img.alicdn.com/imgextra/i3/O1CN0157XGE51l6iL9441yX_!!6000000004770-49-tps-1104-1472.webp"
TABLE = "https://img.alicdn.com/imgextra/i3/O1CN01SfG4J41UYn9WNt4X1_!!6000000002530-49-tps-1696-960.webp"
MARKER = "-i2i"

EXAMPLES = (
    Example(
        title="Edit one image",
        request={"prompt": "Change the floral dress to a vintage lace long dress", "reference_images": [DRESS],
                 "n": 1},
        model="wan2.5-i2i-preview",
        description="The subject stays the same; the output is shaped like the input.",
    ),
    Example(
        title="Fuse two images",
        request={"prompt": "Put the alarm clock from image 1 next to the vase on the table in image 2",
                 "reference_images": [DRESS, TABLE], "n": 1, "size": "1280*1280"},
        model="wan2.5-i2i-preview",
        description="Up to three inputs, named by their order.",
    ),
)


def is_i2i(request: Mapping[str, Any]) -> bool:
    """The request names an image-to-image model (e.g. wan2.5-i2i-preview), in the request or as --model."""
    model = request.get("model")
    return isinstance(model, str) and MARKER in model


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return image_mode(
        "i2i",
        "Image to image: edit one picture or fuse up to 3, as an asynchronous task.",
        models=I2I_MODELS,
        request_model="qwencloud_image.requests.i2i:I2IRequest",
        detection=ImageDetection(priority=20, predicate=is_i2i,
                                 text="the model is an i2i model (`--model wan2.5-i2i-preview`)"),
        examples=EXAMPLES,
        takes_images=True,
        data_urls=True,
        notes=("Chosen by its model only; the images travel as input.images, the size follows the last one.",),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
