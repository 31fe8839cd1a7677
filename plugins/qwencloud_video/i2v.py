"""Plugin: image-to-video (i2v), animating one image used as the first frame."""

from __future__ import annotations

from typing import Callable, ClassVar, FrozenSet, List, Mapping, Optional, Tuple

from qwencloud_skills.errors import FieldIssue
from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from . import request as f
from .catalog import VideoModel
from .media import file_limits, file_types
from .models import I2V_MODELS
from .payload import VIDEO_SYNTHESIS, build_payload
from .skill import SKILL_NAME


class I2VRequest(f.VideoRequest):
    """An image-to-video request: one first-frame image plus a prompt."""

    mode_name: ClassVar[str] = "i2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = I2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"prompt", "negative_prompt", "img_url", "reference_image", "audio_url"}
    )
    renames: ClassVar[Mapping[str, str]] = {"reference_image": "img_url"}
    dimension: ClassVar[Optional[str]] = "resolution"
    prompt_required: ClassVar[bool] = True

    prompt: str = f.prompt_field(required=True, what="the motion and the scene")
    img_url: Optional[str] = f.media_field("The image to animate (first frame):")
    reference_image: Optional[str] = f.media_field("Same as img_url (an alias; give one of the two):")
    audio_url: Optional[str] = f.audio_url_field()
    resolution: Optional[str] = f.resolution_field()
    duration: Optional[int] = f.duration_field("Video length in seconds: 2-15 on wan2.6, 5 or 10 on wan2.5.")
    shot_type: Optional[str] = f.shot_type_field()
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if self.img_url and self.reference_image:
            issues.append(FieldIssue("reference_image", self.reference_image, "img_url is given too",
                                     "one of img_url, reference_image", "keep only img_url"))
        elif not (self.img_url or self.reference_image):
            issues.append(FieldIssue("img_url", None, "i2v needs the image to animate", "URL, oss:// or local path",
                                     "add img_url (or reference_image)"))
        return issues


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
    """A fresh Mode each time: the registry mutates what it is given (models, plugin)."""
    return Mode(
        name="i2v",
        skill=SKILL_NAME,
        summary="Image to video: animate one picture used as the first frame.",
        endpoint=VIDEO_SYNTHESIS,
        default_model=I2V_MODELS[0].id,
        request_model=I2VRequest,
        build_payload=build_payload,
        models=list(I2V_MODELS),
        detection=DetectionRule(keys=("img_url", "reference_image"), priority=20),
        file_fields=FILE_FIELDS,
        file_types=file_types(FILE_FIELDS),
        file_max_mb=file_limits(FILE_FIELDS),
        examples=EXAMPLES,
        notes=(
            "Takes resolution (480P/720P/1080P), not size.",
            "reference_image is sent to the service as img_url.",
        ),
    )


@hookimpl
def register_modes(register: Callable[[Mode], None]) -> None:
    register(make_mode())
