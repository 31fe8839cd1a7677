"""The vace request model: the validator for vace requests (its field descriptions are the docs)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar, Dict, FrozenSet, List, Mapping, Optional, Tuple

from pydantic import Field

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from .. import rules
from ..catalog import VideoModel
from ..models import VACE_MODELS

CONTROL_CONDITIONS = ("posebodyface", "posebody", "depth", "scribble")
MASK_TYPES = ("tracking", "fixed")
OBJ_OR_BG = ("obj", "bg")
SCALES = ("top_scale", "bottom_scale", "left_scale", "right_scale")
MAX_REF_IMAGES = 3


@dataclass(frozen=True)
class VaceFunction:
    """What one VACE function needs: each ``requires`` group must have at least one field set."""

    name: str
    summary: str
    uses: Tuple[str, ...]
    requires: Tuple[Tuple[str, ...], ...]
    needs_prompt: bool = True


FUNCTIONS: Dict[str, VaceFunction] = {
    fn.name: fn
    for fn in (
        VaceFunction(
            "image_reference",
            "a new video from 1-3 reference images, each marked subject (obj) or background (bg)",
            uses=("ref_images_url", "obj_or_bg"),
            requires=(("ref_images_url",), ("obj_or_bg",)),
        ),
        VaceFunction(
            "video_repainting",
            "keep a video's motion (pose, depth or sketch) and restyle everything else",
            uses=("video_url", "control_condition", "strength", "ref_images_url"),
            requires=(("video_url",), ("control_condition",)),
        ),
        VaceFunction(
            "video_edit",
            "change only the masked (white) area of a video",
            uses=("video_url", "mask_image_url", "mask_video_url", "mask_frame_id", "mask_type", "expand_ratio",
                  "ref_images_url"),
            requires=(("video_url",), ("mask_image_url", "mask_video_url")),
            needs_prompt=False,
        ),
        VaceFunction(
            "video_extension",
            "continue a clip (3 s or shorter) or a frame forwards or backwards to 5 s",
            uses=("first_clip_url", "last_clip_url", "first_frame_url", "last_frame_url"),
            requires=(("first_clip_url", "last_clip_url", "first_frame_url", "last_frame_url"),),
        ),
        VaceFunction(
            "video_outpainting",
            "widen the frame of a video in any direction (scales 1.0-2.0)",
            uses=("video_url",) + SCALES,
            requires=(("video_url",), SCALES),
        ),
    )
}

FUNCTION_FIELDS = frozenset(name for fn in FUNCTIONS.values() for name in fn.uses)


def _users(field: str) -> str:
    return ", ".join(fn.name for fn in FUNCTIONS.values() if field in fn.uses)


class VaceRequest(f.VideoRequest):
    """A VACE request: ``function`` picks the edit, and each function needs its own inputs."""

    mode_name: ClassVar[str] = "vace"
    states_defaults: ClassVar[bool] = False  # each function has its own output length and size rules
    catalog: ClassVar[Tuple[VideoModel, ...]] = VACE_MODELS
    input_fields: ClassVar[FrozenSet[str]] = frozenset(
        {"function", "prompt", "negative_prompt", "ref_images_url", "video_url", "mask_image_url", "mask_video_url",
         "mask_frame_id", "first_clip_url", "last_clip_url", "first_frame_url", "last_frame_url"}
    )
    dimension: ClassVar[Optional[str]] = "size"
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = f.silent_mode_refusals("vace")

    function: str = f.choice_field(
        "The edit to make: " + "; ".join(f"{fn.name} = {fn.summary}" for fn in FUNCTIONS.values()) + ".",
        tuple(FUNCTIONS),
        required=True,
    )
    prompt: Optional[str] = f.prompt_field(what="the result (needed by every function except video_edit)")
    ref_images_url: Optional[List[str]] = f.media_field(
        "1-3 reference images (image_reference; one image also works for repainting and video_edit); each a"
    )
    obj_or_bg: Optional[List[str]] = Field(
        None, description="image_reference: 'obj' (subject) or 'bg' (background) for each reference image, in order."
    )
    video_url: Optional[str] = f.media_field("The input video (repainting, video_edit, outpainting; MP4, 5 s max):")
    control_condition: Optional[str] = f.choice_field(
        "video_repainting: what to keep from the video: posebodyface, posebody, depth or scribble.",
        CONTROL_CONDITIONS,
    )
    strength: Optional[float] = Field(
        None, description="video_repainting: 0.0-1.0, how closely to follow the input video (service default 1.0)."
    )
    mask_image_url: Optional[str] = f.media_field("video_edit: mask image, white = area to change:")
    mask_video_url: Optional[str] = f.media_field("video_edit: mask video, instead of mask_image_url:")
    mask_frame_id: Optional[int] = Field(
        None, description="video_edit: the frame the mask image belongs to, counted from 1 (1 = first frame)."
    )
    mask_type: Optional[str] = f.choice_field(
        "video_edit: 'tracking' (the area follows the subject, default) or 'fixed'.", MASK_TYPES
    )
    expand_ratio: Optional[float] = Field(
        None, description="video_edit with tracking: 0.0-1.0, how far the mask grows outwards (service default 0.05)."
    )
    first_clip_url: Optional[str] = f.media_field("video_extension: clip (3 s max) to continue forwards:")
    last_clip_url: Optional[str] = f.media_field("video_extension: clip (3 s max) to extend backwards from:")
    first_frame_url: Optional[str] = f.media_field("video_extension: image to start the video from:")
    last_frame_url: Optional[str] = f.media_field("video_extension: image to end the video on:")
    top_scale: Optional[float] = Field(None, description="video_outpainting: grow upwards, 1.0-2.0.")
    bottom_scale: Optional[float] = Field(None, description="video_outpainting: grow downwards, 1.0-2.0.")
    left_scale: Optional[float] = Field(None, description="video_outpainting: grow to the left, 1.0-2.0.")
    right_scale: Optional[float] = Field(None, description="video_outpainting: grow to the right, 1.0-2.0.")
    size: Optional[str] = f.size_field("Output size as width*height (720P sizes, e.g. 1280*720).")
    duration: Optional[int] = f.duration_field("Video length in seconds, at most 5.")

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        issues += self._value_problems()
        chosen = FUNCTIONS.get(self.function)
        if chosen is None:
            return issues + rules.one_of("function", self.function, tuple(FUNCTIONS), "not a VACE function")
        return issues + self._function_problems(chosen)

    def needs_prompt(self) -> bool:
        chosen = FUNCTIONS.get(self.function)
        return chosen.needs_prompt if chosen else False

    @classmethod
    def _choices(cls, name: str) -> Optional[List[str]]:
        """The enum of a field, from its schema extra (the same list the CLI offers as choices)."""
        extra = cls.model_fields[name].json_schema_extra if name in cls.model_fields else None
        return list(extra["enum"]) if isinstance(extra, dict) and extra.get("enum") else None

    def _function_problems(self, fn: VaceFunction) -> List[FieldIssue]:
        issues: List[FieldIssue] = []
        for group in fn.requires:
            if not any(self.field_value(name) not in (None, "", []) for name in group):
                needed = " or ".join(group)
                choices = self._choices(group[0]) if len(group) == 1 else None
                allowed = f"{group[0]}: one of {', '.join(choices)}" if choices else needed
                fix = f'add "{group[0]}": "{choices[0]}"' if choices else f"add {group[0]}"
                issues.append(FieldIssue(group[0], None, f"{fn.name} needs {needed}", allowed, fix))
        for name in sorted(FUNCTION_FIELDS - set(fn.uses)):
            given = self.field_value(name)
            if given is not None:
                issues.append(FieldIssue(name, given, f"not used by {fn.name}", f"used by {_users(name)}",
                                         f"remove {name}, or pick a function that uses it"))
        images, labels = self.ref_images_url or [], self.obj_or_bg
        if fn.name == "image_reference" and images and labels is not None and len(labels) != len(images):
            issues.append(FieldIssue("obj_or_bg", labels, f"{len(labels)} labels for {len(images)} images",
                                     "one 'obj' or 'bg' per entry of ref_images_url",
                                     f"give exactly {len(images)} labels, in image order"))
        return issues

    def _value_problems(self) -> List[FieldIssue]:
        issues: List[FieldIssue] = []
        if self.ref_images_url is not None and not 1 <= len(self.ref_images_url) <= MAX_REF_IMAGES:
            issues.append(FieldIssue("ref_images_url", self.ref_images_url, f"{len(self.ref_images_url)} images given",
                                     f"1 to {MAX_REF_IMAGES}", f"give between 1 and {MAX_REF_IMAGES} images"))
        for label in self.obj_or_bg or ():
            issues += rules.one_of("obj_or_bg", label, OBJ_OR_BG, "each label is 'obj' (subject) or 'bg' (background)")
        if self.control_condition is not None:
            issues += rules.one_of("control_condition", self.control_condition, CONTROL_CONDITIONS)
        if self.mask_type is not None:
            issues += rules.one_of("mask_type", self.mask_type, MASK_TYPES)
        issues += rules.in_range("strength", self.strength, 0.0, 1.0)
        issues += rules.in_range("expand_ratio", self.expand_ratio, 0.0, 1.0)
        for name in SCALES:
            issues += rules.in_range(name, self.field_value(name), 1.0, 2.0, "use 1.0 (no growth) to 2.0 (double)")
        if self.mask_frame_id is not None and self.mask_frame_id < 1:
            issues.append(FieldIssue("mask_frame_id", self.mask_frame_id, "frames are counted from 1", "1 or more",
                                     "use 1 for the first frame"))
        if self.mask_frame_id is not None and not self.mask_image_url:
            issues.append(FieldIssue("mask_frame_id", self.mask_frame_id, "only meaningful with mask_image_url",
                                     "with mask_image_url", "add mask_image_url or remove mask_frame_id"))
        return issues
