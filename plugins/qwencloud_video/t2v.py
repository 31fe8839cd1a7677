"""Plugin: text-to-video (t2v), the fallback mode when a request names no image, frame, reference or function."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import video_mode
from .models import T2V_MODELS
from .payload import VIDEO_SYNTHESIS

EXAMPLES = (
    Example(
        title="A scene from a sentence",
        request={"prompt": "A detective in a rainy city at night", "size": "1280*720", "duration": 5},
        description="Five seconds at 720P with automatic sound on the default model.",
    ),
    Example(
        title="Multi-shot narrative",
        request={
            "prompt": "第1个镜头[0-3秒] 雨夜街头侦探快步前行。第2个镜头[3-5秒] 侦探进入老旧建筑。",
            "size": "1280*720",
            "duration": 5,
            "shot_type": "multi",
            "prompt_extend": True,
        },
        model="wan2.6-t2v",
        description="Several shots in one video; needs prompt_extend true.",
    ),
    Example(
        title="Your own soundtrack",
        request={
            "prompt": "A cat general on a cliff",
            "audio_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/bgm.mp3",
            "size": "1280*720",
            "duration": 10,
        },
        model="wan2.6-t2v",
        description="The video follows the given track instead of automatic sound.",
    ),
)


FILE_FIELDS = ("audio_url",)


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "t2v",
        "Text to video: describe the scene, get an MP4 (wan2.5/2.6 add sound).",
        endpoint=VIDEO_SYNTHESIS,
        models=T2V_MODELS,
        request_model="qwencloud_video.requests.t2v:T2VRequest",
        detection=DetectionRule(),
        file_fields=FILE_FIELDS,
        examples=EXAMPLES,
        notes=(
            "Takes size (width*height), not resolution.",
            "shot_type 'multi' needs prompt_extend true and a wan2.6 model.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
