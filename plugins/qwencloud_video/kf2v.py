"""Plugin: first-and-last-frame video (kf2v), a silent 5-second transition between two images."""

from __future__ import annotations

from typing import Any, Callable, ClassVar, FrozenSet, List, Mapping, Optional, Tuple

from pydantic import Field

from qwencloud_skills.errors import FieldIssue
from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from . import request as f
from .catalog import VideoModel
from .media import file_limits, file_types
from .models import KF2V_MODELS
from .payload import IMAGE2VIDEO_SYNTHESIS, build_payload
from .skill import SKILL_NAME

KF2V_SECONDS = 5


class KF2VRequest(f.VideoRequest):
    """A first+last frame request. The service makes exactly 5 seconds, so duration 5 is always sent."""

    mode_name: ClassVar[str] = "kf2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = KF2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"prompt", "negative_prompt", "first_frame_url", "last_frame_url", "template"}
    )
    fixed_parameters: ClassVar[Mapping[str, Any]] = {"duration": KF2V_SECONDS}
    fixed_duration: ClassVar[Optional[int]] = KF2V_SECONDS
    dimension: ClassVar[Optional[str]] = "resolution"
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = f.silent_mode_refusals("kf2v")

    prompt: Optional[str] = f.prompt_field(what="the transition (optional, recommended)")
    first_frame_url: str = f.media_field("The opening frame:", required=True)
    last_frame_url: Optional[str] = f.media_field("The closing frame (not needed with template):")
    template: Optional[str] = Field(
        None, description="Name of a service-side effect template; with one, last_frame_url may be left out."
    )
    resolution: Optional[str] = f.resolution_field()
    duration: Optional[int] = f.duration_field("Always 5: kf2v makes 5-second videos only (sent for you).")

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if not self.last_frame_url and not self.template:
            issues.append(FieldIssue("last_frame_url", None, "kf2v needs the closing frame",
                                     "URL, oss:// or local path", "add last_frame_url (or use a template)"))
        return issues


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


def make_mode() -> Mode:
    """A fresh Mode each time: the registry mutates what it is given (models, plugin)."""
    return Mode(
        name="kf2v",
        skill=SKILL_NAME,
        summary="First and last frame to video: a silent 5-second transition between two images.",
        endpoint=IMAGE2VIDEO_SYNTHESIS,
        default_model=KF2V_MODELS[0].id,
        request_model=KF2VRequest,
        build_payload=build_payload,
        models=list(KF2V_MODELS),
        detection=DetectionRule(keys=("first_frame_url",), priority=30),
        file_fields=FILE_FIELDS,
        file_types=file_types(FILE_FIELDS),
        file_max_mb=file_limits(FILE_FIELDS),
        examples=EXAMPLES,
        notes=(
            "Always 5 seconds and silent; for longer or voiced videos use i2v on wan2.6.",
            "Takes resolution (480P/720P/1080P), not size.",
            "Uses its own endpoint (image2video).",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())

