"""Plugin: text-to-video (t2v), the fallback mode when a request names no image, frame, reference or function."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .media import AUDIO
from .mode import given, video_mode
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
    Example(
        title="Vertical clip with wan2.7",
        request={"prompt": "Shot 1 [0-3s]: a dancer on a rooftop. Shot 2 [3-6s]: close-up of her smile.",
                 "resolution": "720P", "ratio": "9:16", "duration": 6},
        model="wan2.7-t2v",
        description="wan2.7 takes resolution + ratio; shots are described in the prompt.",
    ),
    Example(
        title="Long take on wan3.0",
        request={"prompt": "A drone flight over a misty mountain lake at sunrise", "resolution": "720P",
                 "duration": 20},
        model="wan3.0-video",
        description="Workspace hosts only; duration 2-30, or -1 to let the model choose.",
    ),
    Example(
        title="Let wan3.0-video-prime pick the length",
        request={"prompt": "Shot 1: a chef plates a dessert. Shot 2: close-up of the first spoonful.",
                 "resolution": "720P", "duration": -1},
        model="wan3.0-video-prime",
        description="The faster wan3.0 model; the billed length is known only when the task is done.",
    ),
)


FILE_FIELDS = ("audio_url",)


def pick_model(request: Mapping[str, Any]) -> Optional[str]:
    """A ratio with no model named: wan2.7-t2v is the t2v model that takes one without a workspace."""
    return "wan2.7-t2v" if given(request, "ratio") else None


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "t2v",
        "Text to video: describe the scene, get an MP4.",
        endpoint=VIDEO_SYNTHESIS,
        models=T2V_MODELS,
        request_model="qwencloud_video.requests.t2v:T2VRequest",
        detection=DetectionRule(),
        file_fields=FILE_FIELDS,
        # The loosest bound of the mode's models (wan2.7-t2v takes 2 s); each model's own is checked first.
        overrides={"audio_url": (AUDIO, 15.0, (2.0, 30.0))},
        examples=EXAMPLES,
        pick_model=pick_model,
        notes=(
            "size on wan2.2-2.6, resolution + ratio on wan2.7/3.0.",
            "shot_type 'multi': wan2.6 only.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
