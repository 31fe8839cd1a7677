"""Plugin: image-to-video (i2v), animating one image used as the first frame."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import video_mode
from .models import I2V_MODELS
from .payload import VIDEO_SYNTHESIS

EXAMPLES = (
    Example(
        title="Animate an image from a URL",
        request={
            "prompt": "A cat running on grass",
            "img_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/frame.png",
            "resolution": "720P",
            "duration": 5,
        },
        description="The image becomes the first frame of a 5-second 720P video.",
    ),
    Example(
        title="Animate a local image",
        request={"prompt": "A cat running on grass", "reference_image": "/path/to/image.png", "resolution": "720P"},
        description="Local files are uploaded to temporary storage first (valid 48 h).",
    ),
    Example(
        title="Silent clip on the fast model",
        request={
            "prompt": "Waves rolling onto a quiet beach at dawn",
            "img_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/beach.png",
            "resolution": "1080P",
            "duration": 8,
            "audio": False,
        },
        model="wan2.6-i2v-flash",
        description="audio false is accepted only by models that can be forced silent.",
    ),
)


FILE_FIELDS = ("img_url", "reference_image", "audio_url")


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "i2v",
        "Image to video: animate one picture used as the first frame.",
        endpoint=VIDEO_SYNTHESIS,
        models=I2V_MODELS,
        request_model="qwencloud_video.requests.i2v:I2VRequest",
        detection=DetectionRule(keys=("img_url", "reference_image"), priority=20),
        file_fields=FILE_FIELDS,
        data_url_fields=("img_url", "reference_image"),  # base64 images are documented for these fields only
        examples=EXAMPLES,
        notes=(
            "Takes resolution (480P/720P/1080P), not size.",
            "reference_image is sent to the service as img_url.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
