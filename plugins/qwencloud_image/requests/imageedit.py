"""The image-edit request model: edit or compose from reference images on the synchronous messages endpoint."""

from __future__ import annotations

from typing import ClassVar, List, Mapping, Optional, Tuple

from .. import request as f
from ..catalog import MESSAGES, ImageModel
from ..models import EDIT_MODELS

LIST_FIX = 'put the image(s) in "reference_images": ["..."] (a list, even for one)'


class ImageEditRequest(f.ImageRequest):
    """An edit: 1-9 input images (by model) and an instruction; several results per call."""

    mode_name: ClassVar[str] = "image-edit"
    catalog: ClassVar[Tuple[ImageModel, ...]] = EDIT_MODELS
    body: ClassVar[str] = MESSAGES
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        **f.ImageRequest.refused_fields,
        "reference_image": ("the field is reference_images", LIST_FIX),
        "images": ("the field is reference_images", LIST_FIX),
        "thinking_mode": ("thinking mode works only without input images", "remove it, or use t2i (no images)"),
        "enable_interleave": ("interleaved text-and-image output is not supported by this skill",
                              "remove it; for several images set n (or enable_sequential on wan2.7)"),
    }

    prompt: str = f.prompt_field("the edit or the new image (name inputs as image 1, image 2, ...)")
    reference_images: List[str] = f.references_field(
        "The input images: 1-9 on wan2.7, 1-4 on wan2.6-image, 1-3 on qwen-image")
    n: Optional[int] = f.n_field("1-4 on wan (wan2.7 series: up to 12), 1-6 on qwen-image-2.0/-edit-plus/-max, "
                                 "1 on qwen-image-edit.")
    size: Optional[str] = f.size_field(
        "wan: 1K (default sent) or 2K, shaped like the last input image, or width*height; qwen: width*height "
        "(left out: follows the last input image); qwen-image-edit takes none."
    )
    enable_sequential: Optional[bool] = f.sequential_field()

