"""Plugin: image-to-video (i2v), animating one image used as the first frame."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import Example, Mode

from .media import CLIP, IMAGE, MEDIA_IMAGE, MEDIA_VIDEO
from .mediaitems import FRAME_TYPES, REFERENCE_TYPES, types_in
from .mode import VideoDetection, given, video_mode
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
    Example(
        title="Continue a clip with wan2.7",
        request={
            "prompt": "The skateboarder lands the jump and rolls away",
            "first_clip_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/jump.mp4",
            "resolution": "720P",
            "duration": 10,
        },
        model="wan2.7-i2v",
        description="duration is the whole video, the 2-10 s clip included.",
    ),
    Example(
        title="First and last frame with a soundtrack",
        request={
            "first_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/dawn.png",
            "last_frame_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/noon.png",
            "driving_audio_url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/song.mp3",
            "resolution": "720P",
            "duration": 8,
        },
        model="wan2.7-i2v",
        description="Frames and driving audio are sent as input.media; no ratio (the image sets the shape).",
    ),
    Example(
        title="Animate a frame on wan3.0",
        request={
            "prompt": "The lantern flickers as the wind picks up",
            "media": [{"type": "first_frame", "url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/l.png"}],
            "resolution": "720P",
            "duration": 5,
        },
        model="wan3.0-video",
        description="Workspace hosts only; frames cannot be mixed with references.",
    ),
)


FILE_FIELDS = ("img_url", "reference_image", "audio_url", "first_frame_url", "last_frame_url", "first_clip_url",
               "driving_audio_url")
# Models of the media protocol that take a first frame in this mode (detection reads a request's "model").
MEDIA_MODELS = ("wan2.7-i2v", "wan3.0-video", "wan3.0-video-prime")
PICKED_FOR = ("media", "first_clip_url", "driving_audio_url")


def detect(request: Mapping[str, Any]) -> bool:
    """img_url alone; a clip, driving audio or frame media; or a first frame sent to a media-protocol i2v model."""
    kinds = types_in(request.get("media"))
    if kinds & REFERENCE_TYPES or "video" in kinds:
        return False
    if kinds & FRAME_TYPES or given(request, "first_clip_url") or given(request, "driving_audio_url"):
        return True
    if given(request, "first_frame_url"):
        return request.get("model") in MEDIA_MODELS
    return given(request, "img_url") or given(request, "reference_image")


def pick_model(request: Mapping[str, Any]) -> Optional[str]:
    """media, a clip or driving audio with no model named: only wan2.7-i2v serves them without a workspace."""
    return "wan2.7-i2v" if any(given(request, name) for name in PICKED_FOR) else None


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "i2v",
        "Image to video: animate a first frame (wan2.7: frames, clip, audio).",
        endpoint=VIDEO_SYNTHESIS,
        models=I2V_MODELS,
        request_model="qwencloud_video.requests.i2v:I2VRequest",
        detection=VideoDetection(predicate=detect, priority=20,
                                 text="`img_url`, `reference_image` or wan2.7 i2v fields"),
        file_fields=FILE_FIELDS,
        # base64 images are documented for these fields only
        data_url_fields=("img_url", "reference_image", "first_frame_url", "last_frame_url"),
        overrides={
            "first_frame_url": (IMAGE, 20.0, None),
            "last_frame_url": (IMAGE, 20.0, None),
            "first_clip_url": (CLIP, 100.0, (2.0, 10.0)),
        },
        # In this mode frames go to wan2.7 / wan3.0 only (wan2.5/2.6 take img_url).
        pixels={"first_frame_url": {"image": MEDIA_IMAGE}, "last_frame_url": {"image": MEDIA_IMAGE},
                "first_clip_url": {"video": MEDIA_VIDEO}},
        pick_model=pick_model,
        examples=EXAMPLES,
        notes=(
            "Takes resolution, not size; reference_image is sent as img_url.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
