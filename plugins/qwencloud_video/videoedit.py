"""Plugin: instruction video editing (videoedit) on wan2.7-videoedit: restyle or change one clip."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import Example, Mode

from .media import CLIP, IMAGE, MEDIA_IMAGE, MEDIA_VIDEO
from .mediaitems import EDIT_TYPES, types_in
from .mode import VideoDetection, given, video_mode
from .models import VIDEOEDIT_MODELS
from .payload import VIDEO_SYNTHESIS

_EXAMPLE_HOST = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/"

EXAMPLES = (
    Example(
        title="Restyle a clip",
        request={"prompt": "Turn the scene into a hand-drawn watercolour", "video_url": _EXAMPLE_HOST + "street.mp4",
                 "resolution": "720P"},
        description="The whole clip is kept (duration 0); its seconds are billed as input and as output.",
    ),
    Example(
        title="Swap an outfit from a reference image, keep the sound",
        request={
            "prompt": "Dress the woman in the jacket from Image 1",
            "video_url": _EXAMPLE_HOST + "walk.mp4",
            "reference_images": [_EXAMPLE_HOST + "jacket.png"],
            "resolution": "720P",
            "duration": 5,
            "audio_setting": "origin",
        },
        model="wan2.7-videoedit",
        description="duration 5 keeps the first 5 seconds; audio_setting origin keeps the clip's own sound.",
    ),
)

FILE_FIELDS = ("video_url", "reference_images")


def detect(request: Mapping[str, Any]) -> bool:
    """A clip to edit without a VACE function, or media with a video item."""
    return (given(request, "video_url") and not given(request, "function")) or bool(
        types_in(request.get("media")) & EDIT_TYPES)


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "videoedit",
        "Edit a 2-10 s clip by instruction (wan2.7).",
        endpoint=VIDEO_SYNTHESIS,
        models=VIDEOEDIT_MODELS,
        request_model="qwencloud_video.requests.videoedit:VideoEditRequest",
        detection=VideoDetection(predicate=detect, priority=35,
                                 text="`video_url` without `function`, or `video` media"),
        file_fields=FILE_FIELDS,
        data_url_fields=("reference_images",),
        overrides={"video_url": (CLIP, 100.0, (2.0, 10.0)), "reference_images": (IMAGE, 20.0, None)},
        pixels={"video_url": {"video": MEDIA_VIDEO}, "reference_images": {"image": MEDIA_IMAGE}},
        examples=EXAMPLES,
        notes=(
            "Bills input + output seconds; duration 0 keeps the whole clip.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
