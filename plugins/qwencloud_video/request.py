"""The base request model every video mode extends, plus the field definitions they share.

A mode's request model lists its fields (reusing the factories here so help
text stays identical across modes) and a few class-level facts: which fields
travel in ``input``, renames, fixed parameters, size or resolution. The checks
in :mod:`qwencloud_video.rules` run on whichever fields a model has.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, FrozenSet, List, Mapping, Optional, Sequence, Tuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from qwencloud_skills.errors import FieldIssue, FieldProblem

from . import rules
from .catalog import VideoModel

# -- shared field definitions (the description doubles as CLI help and manifest text) --------------


def prompt_field(required: bool = False, what: str = "the video") -> Any:
    limit = "the limit depends on the model: 800 to 20000 characters"
    text = f"Text describing {what} ({limit})."
    return Field(... if required else None, description=text)


def negative_prompt_field() -> Any:
    return Field(None, description="What the video should avoid (up to 500 characters).")


def seed_field() -> Any:
    return Field(None, description="Random seed, 0-2147483647; the same seed and request give similar results.")


def prompt_extend_field() -> Any:
    return Field(None, description="Let the service rewrite the prompt for more detail (service default: on).")


def watermark_field() -> Any:
    return Field(None, description="Add the 'AI generated' watermark (service default: off).")


def duration_field(text: str = "Video length in whole seconds; the allowed values depend on the model.") -> Any:
    return Field(None, description=text)


def size_field(text: str = "Output size as width*height, e.g. 1280*720; the allowed sizes depend on the model.") -> Any:
    return Field(None, description=text, json_schema_extra={"examples": ["1280*720", "1920*1080"]})


def resolution_field() -> Any:
    # No enum: a model added by a plugin may offer other tiers, and the CLI must not block it.
    return Field(
        None,
        description="Output quality tier: 480P, 720P or 1080P, as the model allows (service default: 720P).",
        json_schema_extra={"examples": ["720P", "1080P"]},
    )


def shot_type_field(text: str = "'multi' for several shots in one video (wan2.6; prompt_extend is then sent "
                    "as true), or 'single'.") -> Any:
    return Field(None, description=text, json_schema_extra={"enum": list(rules.SHOT_TYPES)})


def audio_url_field() -> Any:
    return Field(
        None,
        description="Your own soundtrack (wav/mp3, 3-30 s, up to 15 MB): URL, oss:// or local path. "
        "Leave it out for automatic sound on models with audio.",
    )


def audio_field() -> Any:
    return Field(None, description="false makes a silent video (only models that can be forced silent).")


def media_field(text: str, required: bool = False, inline: bool = False) -> Any:
    """``inline``: the service also takes the image itself as a ``data:{mime};base64,...`` URL here."""
    where = ("URL, oss:// URL, local path (uploaded for you) or data:image/png;base64,... URL." if inline
             else "URL, oss:// URL or local path (uploaded for you).")
    return Field(... if required else None, description=f"{text} {where}")


def ratio_field() -> Any:
    return Field(None, description="Aspect ratio (wan2.7/wan3.0): 16:9, 9:16, 1:1, 4:3, 3:4; wan3.0 also adaptive.",
                 json_schema_extra={"examples": ["16:9", "9:16"]})


def media_list_field(types: str) -> Any:
    return Field(None, description=f"wan2.7/wan3.0 media list, items {{\"type\", \"url\"}}; types: {types}. "
                 "URLs only here: local files go in the convenience fields.")


def choice_field(text: str, choices: Sequence[str], required: bool = False) -> Any:
    return Field(... if required else None, description=text, json_schema_extra={"enum": list(choices)})


def silent_mode_refusals(mode: str) -> Dict[str, Tuple[str, str]]:
    """``refused_fields`` for a mode whose models are all silent."""
    fix = "drop it; for sound use t2v/i2v on a wan2.5/2.6 model, or add a track after generation"
    return {
        "audio_url": (f"{mode} makes silent videos only", fix),
        "audio": (f"{mode} makes silent videos only", fix),
    }


# -- the base model -----------------------------------------------------------------------------------


class VideoRequest(BaseModel):
    """Fields and checks common to every Wan video request.

    Subclasses set the ClassVars below and may extend :meth:`problems` for
    their own rules; the payload builder in :mod:`qwencloud_video.payload`
    reads the same ClassVars, so the wire layout is declared once.
    """

    # defer_build: the schema is built on first validation, keeping CLI start-up (help, polls) fast.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    mode_name: ClassVar[str] = "video"
    catalog: ClassVar[Tuple[VideoModel, ...]] = ()
    input_fields: ClassVar[FrozenSet[str]] = frozenset({"prompt", "negative_prompt"})
    renames: ClassVar[Mapping[str, str]] = {}
    fixed_parameters: ClassVar[Mapping[str, Any]] = {}
    dimension: ClassVar[Optional[str]] = None  # "size" or "resolution"
    prompt_required: ClassVar[bool] = False
    # shot_type multi with prompt_extend left out: send prompt_extend true (multi-shot needs it on)
    multi_shot_sends_extend: ClassVar[bool] = True
    fixed_duration: ClassVar[Optional[int]] = None  # the only length the mode can make, whatever the model
    # field -> (problem, fix) for fields users reach for that this mode cannot take
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {}
    # Money defaults: duration and size/resolution are always sent, so the service never picks a pricier tier.
    states_defaults: ClassVar[bool] = True

    # Convenience fields that become input.media items on models of the media protocol (field -> item type).
    media_fields: ClassVar[Mapping[str, str]] = {}

    # The catalog entry the request was validated for (None: a model no plugin describes).
    _spec: Optional[VideoModel] = PrivateAttr(None)

    prompt: Optional[str] = prompt_field()
    negative_prompt: Optional[str] = negative_prompt_field()
    seed: Optional[int] = seed_field()
    prompt_extend: Optional[bool] = prompt_extend_field()
    watermark: Optional[bool] = watermark_field()
    extra_input: Optional[Dict[str, Any]] = Field(
        None, description="Escape hatch: extra keys merged into the request's input, for fields not catalogued yet."
    )
    extra_parameters: Optional[Dict[str, Any]] = Field(
        None, description="Escape hatch: extra keys merged into parameters, for fields not catalogued yet."
    )

    @model_validator(mode="before")
    @classmethod
    def _misplaced_fields(cls, data: Any, info: ValidationInfo) -> Any:
        """Explain fields this mode refuses (size vs resolution, sound on silent modes) instead of "unknown"."""
        if not isinstance(data, Mapping):
            return data
        spec = spec_from(info)
        issues: List[FieldIssue] = []
        if cls.dimension == "size" and "resolution" in data and "resolution" not in cls.model_fields:
            issues.append(rules.size_instead_of_resolution(data["resolution"], spec, cls.mode_name))
        if cls.dimension == "resolution" and "size" in data and "size" not in cls.model_fields:
            issues.append(rules.resolution_instead_of_size(data["size"], spec, cls.mode_name))
        for name, (problem, fix) in cls.refused_fields.items():
            if name in data and name not in cls.model_fields:
                issues.append(FieldIssue(name, data[name], problem, None, fix))
        if issues:
            raise FieldProblem(*issues)
        return data

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> VideoRequest:
        context = info.context or {}
        spec = spec_from(info)
        model_id = str(context.get("model_id") or (spec.id if spec else "this model"))
        self._spec = spec  # the checks below read it (needs_prompt, media_protocol)
        issues = self.problems(spec, model_id)
        if issues:
            raise FieldProblem(*issues)
        return self

    def problems(self, spec: Optional[VideoModel], model_id: str) -> List[FieldIssue]:
        """Every rule broken by this request for ``spec`` (None: only the mode's general rules)."""
        catalog = type(self).catalog
        issues: List[FieldIssue] = []
        issues += rules.prompt(self.prompt, spec, model_id, self.needs_prompt(), self.mode_name, catalog)
        issues += rules.negative_prompt(self.negative_prompt)
        issues += rules.seed(self.seed)
        if self.fixed_duration is not None:
            issues += rules.fixed_duration(self.field_value("duration"), self.fixed_duration, self.mode_name)
        else:
            issues += rules.duration(self.field_value("duration"), self.duration_spec(spec), model_id,
                                     self.mode_name)
        dimension = self.dimension_for(spec) if spec is not None else None
        if dimension != "resolution":  # a size given to a resolution model is explained in protocol_problems
            issues += rules.size(self.field_value("size"), spec, model_id)
        if dimension != "size":
            issues += rules.resolution(self.field_value("resolution"), spec, model_id)
        if spec is None or not spec.shots_in_prompt:  # those models refuse shot_type in protocol_problems
            issues += rules.shot_type(self.field_value("shot_type"), self.prompt_extend, spec, model_id, catalog)
        audio_url = self.field_value("audio_url")
        issues += rules.audio_url(audio_url, spec, model_id, catalog)
        issues += rules.audio_switch(self.field_value("audio"), audio_url is not None, spec, model_id, catalog)
        issues += rules.extras(self.extra_input, self.extra_parameters, type(self).model_fields)
        if spec is not None:
            issues += self.protocol_problems(spec, model_id)
        return issues

    def protocol_problems(self, spec: VideoModel, model_id: str) -> List[FieldIssue]:
        """What depends on the model's protocol: size vs resolution, ratio, shots, media."""
        from . import mediaitems

        issues: List[FieldIssue] = []
        dimension = self.dimension_for(spec)
        if dimension == "resolution" and self.field_value("size") is not None:
            issues.append(rules.resolution_instead_of_size(self.field_value("size"), spec, model_id))
        if dimension == "size" and self.field_value("resolution") is not None:
            issues.append(rules.size_instead_of_resolution(self.field_value("resolution"), spec, model_id))
        items = self.media_items()
        issues += rules.ratio(self.field_value("ratio"), spec, model_id,
                              any(item["type"] == "first_frame" for _, item in items), type(self).catalog)
        if spec.shots_in_prompt and self.field_value("shot_type") is not None:
            issues.append(FieldIssue("shot_type", self.field_value("shot_type"), f"{model_id} has no shot_type",
                                     "omit it", "describe the shots in the prompt (e.g. 'Shot 1 [0-3s]: ...')"))
        if not spec.negative_prompt and self.negative_prompt is not None:
            issues.append(FieldIssue("negative_prompt", self.negative_prompt, f"{model_id} takes no negative_prompt",
                                     "omit it", "say what to avoid in the prompt itself"))
        if spec.media:
            issues += mediaitems.check(items, spec, model_id)
            duration = self.field_value("duration")
            issues += mediaitems.playing_time_problems(
                items, spec, model_id, duration if duration is not None else self.default_duration(spec))
        return issues

    def media_items(self) -> List[Tuple[str, Dict[str, Any]]]:
        """(label, item) of the media list this request sends: the raw list, then the convenience fields."""
        items: List[Tuple[str, Dict[str, Any]]] = []
        for index, item in enumerate(self.field_value("media") or []):
            if isinstance(item, Mapping):
                items.append((f"media[{index}]", dict(item)))
        for name, kind in type(self).media_fields.items():
            value = self.field_value(name)
            if isinstance(value, str) and value:
                items.append((name, {"type": kind, "url": value}))
        return items + self.extra_media_items()

    def extra_media_items(self) -> List[Tuple[str, Dict[str, Any]]]:
        """Items a mode builds from fields of its own shape (r2v's reference list)."""
        return []

    def media_protocol(self) -> bool:
        """Whether the body carries input.media (the model says so; an unknown model when media is given)."""
        spec = self.spec
        return bool(spec.media) if spec is not None else self.field_value("media") is not None

    def folded_fields(self) -> Tuple[str, ...]:
        """The fields that travel inside input.media instead of as themselves."""
        return tuple(type(self).media_fields)

    def billing_note(self, model_id: str) -> str:
        """Why the model was chosen, when a request only one model serves picked it (shown on the Mode line)."""
        return ""

    def duration_spec(self, spec: Optional[VideoModel]) -> Optional[VideoModel]:
        """The model with the lengths this request may ask for (fewer with a reference video, -1 when allowed)."""
        if spec is None:
            return None
        import dataclasses

        durations = spec.durations
        if spec.durations_with_video and self.has_video_input():
            durations = spec.durations_with_video
        if spec.auto_duration:
            durations = (-1,) + durations
        return spec if durations == spec.durations else dataclasses.replace(spec, durations=durations)

    def has_video_input(self) -> bool:
        from .mediaitems import VIDEO_TYPES

        return any(item["type"] in VIDEO_TYPES for _, item in self.media_items())

    def needs_prompt(self) -> bool:
        """Whether this request must carry a prompt (the model may say, else the mode decides)."""
        spec = self.spec
        if spec is not None and spec.prompt_required is not None:
            return spec.prompt_required
        return self.prompt_required

    def dimension_for(self, spec: Optional[VideoModel]) -> Optional[str]:
        """"size" or "resolution": the model's own protocol when it says, else the mode's."""
        return (spec.dimension if spec else None) or type(self).dimension

    def default_duration(self, spec: Optional[VideoModel]) -> int:
        """The length sent when the user gives none: the model's default, else 5 s (or its shortest)."""
        if spec is not None and spec.default_duration is not None:
            return spec.default_duration
        if spec is None or not spec.durations or 5 in spec.durations:
            return 5
        return min(spec.durations)

    def wire_fields(self, given: Dict[str, Any]) -> Dict[str, Any]:
        """The fields as the service names them: on media-protocol models the media fields become input.media."""
        if not self.media_protocol():
            return given
        items = [item for _, item in self.media_items()]
        wired = {name: value for name, value in given.items() if name not in self.folded_fields()}
        wired.pop("media", None)
        if items:
            wired["media"] = items
        return wired

    @property
    def spec(self) -> Optional[VideoModel]:
        """The catalog entry this request was validated for, if any."""
        return self._spec

    def field_value(self, name: str) -> Any:
        """A field's value, or None when this mode has no such field."""
        return getattr(self, name, None) if name in type(self).model_fields else None


def spec_from(info: ValidationInfo) -> Optional[VideoModel]:
    """The model's VideoModel from the validation context; None for unknown or non-video specs."""
    spec = (info.context or {}).get("model")
    return spec if isinstance(spec, VideoModel) else None
