"""Plugin: VACE video editing (vace): five functions sharing one model, each with its own inputs."""

from __future__ import annotations

from typing import Callable

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from .mode import video_mode
from .models import VACE_MODELS
from .payload import VIDEO_SYNTHESIS

_EXAMPLE_HOST = "https://img.alicdn.com/imgextra/i1/NotRealJustExample/"

EXAMPLES = (
    Example(
        title="Multi-image reference",
        request={
            "function": "image_reference",
            "prompt": "A girl walks through a forest",
            "ref_images_url": [_EXAMPLE_HOST + "girl.png", _EXAMPLE_HOST + "forest.png"],
            "obj_or_bg": ["obj", "bg"],
            "size": "1280*720",
        },
        model="wan2.1-vace-plus",
        description="The girl is the subject, the forest the background.",
    ),
    Example(
        title="Repaint keeping the motion",
        request={
            "function": "video_repainting",
            "prompt": "A steampunk car driving through a city",
            "video_url": _EXAMPLE_HOST + "driving.mp4",
            "control_condition": "depth",
            "prompt_extend": False,
        },
        model="wan2.1-vace-plus",
        description="Depth keeps the scene's layout and movement; the look follows the prompt.",
    ),
    Example(
        title="Local edit with a mask",
        request={
            "function": "video_edit",
            "prompt": "A lion in a suit drinking coffee",
            "video_url": _EXAMPLE_HOST + "cafe.mp4",
            "mask_image_url": _EXAMPLE_HOST + "mask.png",
            "mask_frame_id": 1,
            "mask_type": "tracking",
            "prompt_extend": False,
        },
        model="wan2.1-vace-plus",
        description="Only the white area of the mask (on frame 1) changes, and it follows the subject.",
    ),
    Example(
        title="Extend a clip",
        request={
            "function": "video_extension",
            "prompt": "A dog skateboarding, 3D cartoon",
            "first_clip_url": _EXAMPLE_HOST + "clip.mp4",
            "prompt_extend": False,
        },
        model="wan2.1-vace-plus",
        description="Continues a clip of 3 seconds or less to a 5-second video.",
    ),
    Example(
        title="Outpaint on every side",
        request={
            "function": "video_outpainting",
            "prompt": "A woman plays violin with an orchestra behind her",
            "video_url": _EXAMPLE_HOST + "violin.mp4",
            "top_scale": 1.5,
            "bottom_scale": 1.5,
            "left_scale": 1.5,
            "right_scale": 1.5,
            "prompt_extend": False,
        },
        model="wan2.1-vace-plus",
        description="Each side grows by half; the prompt says what fills the new area.",
    ),
)


FILE_FIELDS = (
    "ref_images_url", "video_url", "mask_image_url", "mask_video_url", "first_clip_url",
    "last_clip_url", "first_frame_url", "last_frame_url",
)


def make_mode() -> Mode:
    """A fresh Mode each time (the registry keeps its own copy of what it is given)."""
    return video_mode(
        "vace",
        "Video editing (VACE): multi-image reference, repainting, masked edit, extension, outpainting.",
        endpoint=VIDEO_SYNTHESIS,
        models=VACE_MODELS,
        request_model="qwencloud_video.requests.vace:VaceRequest",
        detection=DetectionRule(keys=("function",), priority=50),
        file_fields=FILE_FIELDS,
        examples=EXAMPLES,
        notes=(
            "Silent, 720P, at most 5 s.",
            "video_extension clips: 3 s or less.",
            "mask_frame_id counts from 1.",
            "Takes size (width*height), not resolution.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
