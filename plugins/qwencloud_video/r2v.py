"""Plugin: reference-to-video (r2v), characters from reference images or clips acting a new script."""

from __future__ import annotations

from typing import Callable, ClassVar, FrozenSet, List, Optional, Tuple

from qwencloud_skills.errors import FieldIssue
from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.registry import DetectionRule, Example, Mode

from . import request as f
from . import rules
from .catalog import VideoModel
from .media import file_limits, file_types
from .models import R2V_MODELS
from .payload import VIDEO_SYNTHESIS, build_payload
from .skill import SKILL_NAME

MAX_REFERENCES = 5
MAX_VIDEO_REFERENCES = 3


class R2VRequest(f.VideoRequest):
    """A role-play request: up to 5 references, named character1, character2, ... in the prompt."""

    mode_name: ClassVar[str] = "r2v"
    catalog: ClassVar[Tuple[VideoModel, ...]] = R2V_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt", "reference_urls"})
    dimension: ClassVar[Optional[str]] = "size"
    prompt_required: ClassVar[bool] = True
    # The service rewrites prompts by default, so multi-shot only fails when rewriting is turned off.
    multi_shot_needs_extend_flag: ClassVar[bool] = False

    prompt: str = f.prompt_field(required=True, what="the script, naming the references character1, character2, ...")
    reference_urls: List[str] = f.media_field(
        "1-5 character references (images or clips, at most 3 clips), in character order; each a", required=True
    )
    size: Optional[str] = f.size_field()
    duration: Optional[int] = f.duration_field("Video length in seconds: 2-10.")
    shot_type: Optional[str] = f.shot_type_field("'multi' (recommended) for several shots, or 'single'.")
    audio: Optional[bool] = f.audio_field()

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        count = len(self.reference_urls)
        if not 1 <= count <= MAX_REFERENCES:
            issues.append(FieldIssue("reference_urls", self.reference_urls, f"{count} references given",
                                     f"1 to {MAX_REFERENCES}",
                                     "add a reference" if count == 0 else f"keep at most {MAX_REFERENCES}"))
        videos = [url for url in self.reference_urls if rules.is_video(url)]
        if len(videos) > MAX_VIDEO_REFERENCES:
            issues.append(FieldIssue("reference_urls", videos, f"{len(videos)} of the references are videos",
                                     f"at most {MAX_VIDEO_REFERENCES} videos ({', '.join(rules.VIDEO_EXTENSIONS)})",
                                     "replace some clips with still images of the same characters"))
        return issues


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
    """A fresh Mode each time: the registry mutates what it is given (models, plugin)."""
    return Mode(
        name="r2v",
        skill=SKILL_NAME,
        summary="Reference to video: characters from images or clips act a new script.",
        endpoint=VIDEO_SYNTHESIS,
        default_model=R2V_MODELS[0].id,
        request_model=R2VRequest,
        build_payload=build_payload,
        models=list(R2V_MODELS),
        detection=DetectionRule(keys=("reference_urls",), priority=40),
        file_fields=FILE_FIELDS,
        file_types=file_types(FILE_FIELDS),
        file_max_mb=file_limits(FILE_FIELDS),
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
