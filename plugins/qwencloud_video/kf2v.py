"""Plugin: first-and-last-frame video (kf2v), a silent 5-second transition between two images."""

from __future__ import annotations

from typing import Any, Callable, Mapping

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import Example, Mode

from .i2v import MEDIA_MODELS
from .mode import VideoDetection, given, video_mode
from .models import KF2V_MODELS
from .payload import IMAGE2VIDEO_SYNTHESIS

KF2V_SECONDS = 5


EXAMPLES = (
    Example(
        title="Transition between two frames",
        request={
            "prompt": "A cat looks up to the sky",
            "first_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/first.png",
            "last_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/last.png",
            "resolution": "720P",
        },
        description="A silent 5-second 720P video from the first frame to the last.",
    ),
    Example(
        title="Faithful 1080P transition",
        request={
            "prompt": "The camera slowly rises from eye level while the person turns around",
            "first_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/start.png",
            "last_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/end.png",
            "resolution": "1080P",
            "prompt_extend": False,
        },
        model="wan2.2-kf2v-flash",
        description="Describing the motion and turning prompt rewriting off keeps the frames closer.",
    ),
)


FILE_FIELDS = ("first_frame_url", "last_frame_url")


def detect(request: Mapping[str, Any]) -> bool:
    """A first frame, unless the request is for a media-protocol i2v model (wan2.7-i2v takes frames too)."""
    wan27_only = any(given(request, name) for name in ("driving_audio_url", "first_clip_url", "media"))
    return given(request, "first_frame_url") and not wan27_only and request.get("model") not in MEDIA_MODELS


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "kf2v",
        "First and last frame to video: a silent 5-second transition between two images.",
        endpoint=IMAGE2VIDEO_SYNTHESIS,
        models=KF2V_MODELS,
        request_model="qwencloud_video.requests.kf2v:KF2VRequest",
        detection=VideoDetection(predicate=detect, priority=30,
                                 text="`first_frame_url` (not for wan2.7-i2v)"),
        file_fields=FILE_FIELDS,
        data_url_fields=("first_frame_url", "last_frame_url"),  # base64 images are documented for these fields only
        examples=EXAMPLES,
        notes=(
            "Always 5 seconds and silent (workflows: transition, voiced).",
            "Takes resolution, not size.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())

