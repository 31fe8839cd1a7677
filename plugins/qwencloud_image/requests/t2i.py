"""The t2i request model: the validator for text-to-image requests (its field descriptions are the docs)."""

from __future__ import annotations

from typing import ClassVar, List, Mapping, Optional, Tuple

from pydantic import Field

from qwencloud_skills.errors import FieldIssue

from .. import request as f
from .. import rules
from ..catalog import MESSAGES, ImageModel
from ..models import T2I_MODELS

EDIT_FIX = "images to edit go in reference_images (the image-edit mode; wan2.5-i2i-preview for i2i)"


class T2IRequest(f.ImageRequest):
    """A text-to-image request: free size on Wan, fixed sizes on qwen-image, tiers on wan2.7."""

    mode_name: ClassVar[str] = "t2i"
    catalog: ClassVar[Tuple[ImageModel, ...]] = T2I_MODELS
    body: ClassVar[str] = MESSAGES
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        **f.ImageRequest.refused_fields,
        "reference_image": ("t2i takes no input image", EDIT_FIX),
        "images": ("t2i takes no input image", EDIT_FIX),
        "reference_images": ("no input images were given (the list is empty)",
                             "add the images to edit, or remove reference_images for text to image"),
    }

    prompt: str = f.prompt_field()
    n: Optional[int] = f.n_field("1-4 (wan2.7 series: up to 12; qwen-image: 1 only).")
    size: Optional[str] = f.size_field(
        "width*height: wan2.6/2.5 1280*1280 to 1440*1440 pixels in all (default 1280*1280), wan2.2 512-1440 a "
        "side (default 1024*1024), qwen-image only 1664*928, 1472*1104, 1328*1328, 1104*1472, 928*1664; "
        "wan2.7 1K/2K (pro 4K) or width*height (default sent: 1K)."
    )
    thinking_mode: Optional[bool] = Field(
        None, description="wan2.7: reason about the prompt first, for better images (service default: on; slower; "
        "not with enable_sequential).")
    enable_sequential: Optional[bool] = f.sequential_field()

    def problems(self, spec: Optional[ImageModel], model_id: str) -> List[FieldIssue]:
        issues = super().problems(spec, model_id)
        if spec is not None:
            issues += rules.model_switch("thinking_mode", self.thinking_mode, spec.thinking_mode, model_id,
                                         self.catalog, "models with it")
        if self.thinking_mode and self.enable_sequential:
            issues.append(FieldIssue("thinking_mode", self.thinking_mode, "thinking mode does not work in a series",
                                     "omit it with enable_sequential", "remove thinking_mode or enable_sequential"))
        return issues
