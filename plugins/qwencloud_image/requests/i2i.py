"""The i2i request model: wan2.5-i2i-preview's asynchronous image-to-image edit (input.prompt + input.images)."""

from __future__ import annotations

from typing import ClassVar, List, Mapping, Optional, Tuple

from .. import request as f
from ..catalog import PROMPT, ImageModel
from ..models import I2I_MODELS

LIST_FIX = 'put the image(s) in "reference_images": ["..."] (sent as input.images)'


class I2IRequest(f.ImageRequest):
    """One image edited, or up to three fused, keeping the subject; an asynchronous task."""

    mode_name: ClassVar[str] = "i2i"
    catalog: ClassVar[Tuple[ImageModel, ...]] = I2I_MODELS
    body: ClassVar[str] = PROMPT
    refused_fields: ClassVar[Mapping[str, Tuple[str, str]]] = {
        **f.ImageRequest.refused_fields,
        "reference_image": ("the field is reference_images", LIST_FIX),
        "images": ("the field is reference_images", LIST_FIX),
    }

    prompt: str = f.prompt_field("the edit (name inputs as image 1, image 2, ...)")
    reference_images: List[str] = f.references_field("The 1-3 input images (384-5000 px a side, up to 10 MB)")
    n: Optional[int] = f.n_field("1-4.")
    size: Optional[str] = f.size_field(
        "width*height, 768*768 to 1280*1280 pixels in all, aspect 1:4 to 4:1; left out, the output is about "
        "1280*1280 shaped like the last input image."
    )
