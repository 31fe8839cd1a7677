"""Plugin: reference-to-video (r2v), characters from reference images or clips acting a new script."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import video_mode
from .models import R2V_MODELS
from .payload import VIDEO_SYNTHESIS

MAX_REFERENCES = 5
MAX_VIDEO_REFERENCES = 3


EXAMPLES = (
    Example(
        title="Two characters meet",
        request={
            "prompt": "character1 says hello to character2",
            "reference_urls": [
                "https://img.alicdn.com/imgextra/i1/NotRealJustExample/person.mp4",
                "https://img.alicdn.com/imgextra/i1/NotRealJustExample/person2.png",
            ],
            "size": "1280*720",
            "duration": 5,
            "shot_type": "multi",
        },
        model="wan2.6-r2v-flash",
        description="A clip and an image become character1 and character2.",
    ),
    Example(
        title="One character, silent",
        request={
            "prompt": "character1 waters the plants on a sunny balcony",
            "reference_urls": ["https://img.alicdn.com/imgextra/i1/NotRealJustExample/gardener.png"],
            "size": "1920*1080",
            "duration": 8,
            "audio": False,
        },
        model="wan2.6-r2v-flash",
        description="wan2.6-r2v-flash can be forced silent; wan2.6-r2v always adds sound.",
    ),
)


FILE_FIELDS = ("reference_urls",)


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "r2v",
        "Reference to video: characters from images or clips act a new script.",
        endpoint=VIDEO_SYNTHESIS,
        models=R2V_MODELS,
        request_model="qwencloud_video.requests.r2v:R2VRequest",
        detection=DetectionRule(keys=("reference_urls",), priority=40),
        file_fields=FILE_FIELDS,
        examples=EXAMPLES,
        notes=(
            "Name the references character1, character2, ... in the prompt, in list order.",
            "At most 5 references, at most 3 of them videos.",
            "Takes size (width*height), not resolution.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
