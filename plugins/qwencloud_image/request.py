"""The base request model every image mode extends, plus the field definitions they share.

A mode's request model lists its fields (reusing the factories here so help
text stays identical across modes) and a few class-level facts: its catalog,
the body layout of models nobody describes, and fields users reach for that
the mode refuses with an explanation. :mod:`qwencloud_image.payload` reads the
same facts, so the wire layout is declared once.
"""

from __future__ import annotations

from typing import Any, ClassVar, Dict, List, Mapping, Optional, Tuple

from pydantic import BaseModel, ConfigDict, Field, PrivateAttr, ValidationInfo, model_validator

from qwencloud_skills.errors import FieldIssue, FieldProblem

from . import media, rules
from .catalog import MESSAGES, ImageModel

# -- shared field definitions (the description doubles as CLI help and manifest text) --------------


def prompt_field(what: str = "the image") -> Any:
    return Field(..., description=f"Text describing {what}; the longest prompt depends on the model (500-5000 "
                 "characters, about 800-1300 tokens on qwen models).")


def negative_prompt_field() -> Any:
    return Field(None, description="What the image should avoid (up to 500 characters; not on wan2.7).")


def n_field(text: str) -> Any:
    return Field(None, description=f"How many images to make; each one is billed. {text} Always sent: 1 when "
                 "left out (several services default to 4).")


def size_field(text: str) -> Any:
    return Field(None, description=text, json_schema_extra={"examples": ["1280*1280", "1K"]})


def seed_field() -> Any:
    return Field(None, description="Random seed, 0-2147483647; the same seed and request give similar images.")


def prompt_extend_field() -> Any:
    return Field(None, description="Let the service rewrite the prompt for more detail (service default: on; "
                 "a few seconds slower).")


def watermark_field() -> Any:
    return Field(None, description="Add the 'AI generated' mark in a corner (service default: off).")


def references_field(text: str) -> Any:
    return Field(..., description=f"{text}, in order (the prompt calls them image 1, image 2, ...): each an "
                 "https:// or oss:// URL or a local path (uploaded for you).")


def sequential_field() -> Any:
    return Field(None, description="wan2.7: a coherent series (same subject across scenes); n may then go up to 12 "
                 "and the model decides how many it makes, at most n.")


RESOLUTION_FIX = "image sizes are width*height (e.g. '1280*1280') or a tier ('1K', '2K') in size"


# -- the base model -----------------------------------------------------------------------------------


class ImageRequest(BaseModel):
    """Fields and checks common to every image request."""

    # defer_build: the schema is built on first validation, keeping CLI start-up (help, polls) fast.
    model_config = ConfigDict(extra="forbid", defer_build=True)

    mode_name: ClassVar[str] = "image"
    catalog: ClassVar[Tuple[ImageModel, ...]] = ()
    body: ClassVar[str] = MESSAGES  # layout for a model no plugin describes
    # field -> (problem, fix) for fields users reach for that this mode cannot take
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        "resolution": ("image modes take size, not resolution", RESOLUTION_FIX),
    }

    _spec: Optional[ImageModel] = PrivateAttr(None)

    prompt: str = prompt_field()
    negative_prompt: Optional[str] = negative_prompt_field()
    n: Optional[int] = n_field("1-4 on most models.")
    size: Optional[str] = size_field("Output size: width*height or a tier (1K/2K), as the model allows.")
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
    def _misplaced_fields(cls, data: Any) -> Any:
        """Explain fields this mode refuses (another mode's, the wire's own names) instead of "unknown"."""
        if not isinstance(data, Mapping):
            return data
        issues = [FieldIssue(name, data[name], problem, None, fix)
                  for name, (problem, fix) in cls.refused_fields.items()
                  if name in data and name not in cls.model_fields]
        if issues:
            raise FieldProblem(*issues)
        return data

    @model_validator(mode="after")
    def _check(self, info: ValidationInfo) -> ImageRequest:
        context = info.context or {}
        spec = context.get("model")
        spec = spec if isinstance(spec, ImageModel) else None
        model_id = str(context.get("model_id") or (spec.id if spec else "this model"))
        self._spec = spec
        issues = self.problems(spec, model_id)
        if issues:
            raise FieldProblem(*issues)
        return self

    def problems(self, spec: Optional[ImageModel], model_id: str) -> List[FieldIssue]:
        """Every rule broken by this request for ``spec`` (None: only the rules true for every model)."""
        catalog = type(self).catalog
        issues: List[FieldIssue] = []
        issues += rules.prompt(self.prompt, spec, model_id, self.mode_name)
        issues += rules.negative_prompt(self.negative_prompt, spec, model_id, catalog)
        issues += rules.n(self.n, spec, model_id, self.sequential, catalog)
        issues += rules.size(self.size, spec, model_id, catalog)
        issues += rules.seed(self.seed)
        if spec is not None:
            issues += rules.model_switch("prompt_extend", self.prompt_extend, spec.prompt_extend, model_id, catalog,
                                         "models with it")
            issues += rules.model_switch("enable_sequential", self.field_value("enable_sequential"),
                                         bool(spec.sequential_n_max), model_id, catalog, "models with a series mode")
        references = self.field_value("reference_images")
        if "reference_images" in type(self).model_fields:
            issues += rules.reference_values(references)
            issues += rules.reference_count(references, spec, model_id, catalog)
            issues += media.local_image_problems(references, spec, model_id)
        issues += rules.extras(self.extra_input, self.extra_parameters, type(self).model_fields)
        return issues

    @property
    def spec(self) -> Optional[ImageModel]:
        """The catalog entry this request was validated for, if any."""
        return self._spec

    @property
    def sequential(self) -> bool:
        return bool(self.field_value("enable_sequential"))

    def body_for(self, spec: Optional[ImageModel]) -> str:
        """The request layout: the model's own, else the mode's."""
        return spec.body if spec is not None else type(self).body

    def default_size(self) -> Optional[str]:
        """The size the payload states when the user gives none (None: nothing is sent)."""
        spec = self.spec
        if spec is None:
            return None
        return spec.default_size if spec.takes_size else None

    def field_value(self, name: str) -> Any:
        """A field's value, or None when this mode has no such field."""
        return getattr(self, name, None) if name in type(self).model_fields else None
