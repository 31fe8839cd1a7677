"""Plugin: reference-to-video (r2v), characters from reference images or clips acting a new script."""

from __future__ import annotations

from typing import Any, Callable, Mapping, Optional

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import Example, Mode

from .media import AUDIO, CLIP, IMAGE, MEDIA_IMAGE, MEDIA_VIDEO, WAN_IMAGE
from .mediaitems import REFERENCE_TYPES, types_in
from .mode import VideoDetection, given, video_mode
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
    Example(
        title="wan2.7 references with a voice",
        request={
            "prompt": "Video 1 plays the guitar while Image 1 listens on the sofa",
            "reference_urls": [
                "https://img.alicdn.com/imgextra/i1/NotRealJustExample/guitarist.mp4",
                "https://img.alicdn.com/imgextra/i1/NotRealJustExample/friend.png",
            ],
            "reference_voices": [None, "https://img.alicdn.com/imgextra/i1/NotRealJustExample/voice.mp3"],
            "resolution": "720P",
            "ratio": "16:9",
            "duration": 8,
        },
        model="wan2.7-r2v",
        description="Sent as input.media; with a reference video the length is 2-10 s and its seconds are billed.",
    ),
    Example(
        title="wan3.0 from a reference image and a document",
        request={
            "prompt": "A product teaser of Image 1 following the storyboard in the document",
            "media": [
                {"type": "reference_image", "url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/cup.png"},
                {"type": "file", "url": "https://img.alicdn.com/imgextra/i1/NotRealJustExample/storyboard.pdf"},
            ],
            "resolution": "720P",
            "duration": 10,
        },
        model="wan3.0-video",
        description="Workspace hosts only; file and link exclude each other and the first/last frames.",
    ),
)


FILE_FIELDS = ("reference_urls", "reference_voices", "reference_audio_urls", "first_frame_url")
PICKED_FOR = ("media", "reference_voices", "first_frame_url")


def detect(request: Mapping[str, Any]) -> bool:
    """References as a list, or reference media (wan2.7-r2v, wan3.0)."""
    kinds = types_in(request.get("media"))
    return given(request, "reference_urls") or bool(kinds & REFERENCE_TYPES and "video" not in kinds)


def pick_model(request: Mapping[str, Any]) -> Optional[str]:
    """Media, voices or a first frame with no model named: wan2.7-r2v is the r2v model without a workspace."""
    return "wan2.7-r2v" if any(given(request, name) for name in PICKED_FOR) else None


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "r2v",
        "Reference to video: characters from images or clips act a new script.",
        endpoint=VIDEO_SYNTHESIS,
        models=R2V_MODELS,
        request_model="qwencloud_video.requests.r2v:R2VRequest",
        detection=VideoDetection(predicate=detect, priority=40,
                                 text="`reference_urls` or reference `media`"),
        file_fields=FILE_FIELDS,
        data_url_fields=("first_frame_url",),
        overrides={
            "reference_voices": (AUDIO, 15.0, (1.0, 10.0)),
            "reference_audio_urls": (AUDIO, 15.0, (1.0, 15.0)),
            "first_frame_url": (IMAGE, 20.0, None),
            "reference_urls": (IMAGE + CLIP, 100.0, (1.0, 30.0)),  # clips; images have no playing time
        },
        pixels={"first_frame_url": {"image": MEDIA_IMAGE},
                "reference_urls": {"image": WAN_IMAGE, "video": MEDIA_VIDEO}},
        pick_model=pick_model,
        examples=EXAMPLES,
        notes=(
            "Prompt names them character1, ... (wan2.6) or Image 1, Video 1 (wan2.7), in order.",
            "wan2.6: 1-5 references (3 videos), size; wan2.7/3.0: resolution.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
