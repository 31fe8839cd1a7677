"""The first-party image catalog, one tuple per mode; the first entry of each is the mode's default.

Edit this file when the service adds, drops or changes a model. Limits come
from the service's image API reference (prompt lengths, sizes, n, input images).
"""

from __future__ import annotations

from typing import Tuple

from qwencloud_skills.registry import PixelBounds

from .catalog import MESSAGES, PROMPT, ImageModel, square
from .endpoints import IMAGE2IMAGE, IMAGE_GENERATION, MULTIMODAL_GENERATION, TEXT2IMAGE

WAN_IMAGE_KINDS = (".png", ".jpg", ".jpeg", ".bmp", ".webp")
QWEN_IMAGE_KINDS = WAN_IMAGE_KINDS + (".tif", ".tiff", ".gif")
QWEN_FIXED_SIZES = ("1664*928", "1472*1104", "1328*1328", "1104*1472", "928*1664")
WAN_PICTURE = PixelBounds(240, 8000)

# wan2.7-image and -pro: 1K/2K (pro: 4K for pure text to image), or W*H; n 1-4, 1-12 in sequential mode.
WAN27 = dict(
    body=MESSAGES,
    n_max=4,
    sequential_n_max=12,
    pixels=(square(768), square(2048)),
    aspect=8.0,
    default_size="1K",
    prompt_max=5000,
    negative_prompt=False,
    prompt_extend=False,
)

T2I_MODELS: Tuple[ImageModel, ...] = (
    ImageModel(
        id="wan2.6-t2i",
        summary="Text to image, 1-4 images, free size around 1280*1280",
        recommended=True,
        endpoint=IMAGE_GENERATION,
        body=MESSAGES,
        pixels=(square(1280), square(1440)),
        aspect=4.0,
        default_size="1280*1280",
        prompt_max=2100,
    ),
    ImageModel(
        id="wan2.7-image",
        summary="Text to image with thinking mode or a coherent series (enable_sequential), 1K/2K",
        endpoint=IMAGE_GENERATION,
        tiers=("1K", "2K"),
        thinking_mode=True,
        **WAN27,  # type: ignore[arg-type]
    ),
    ImageModel(
        id="wan2.7-image-pro",
        summary="Like wan2.7-image, higher quality, up to 4K",
        endpoint=IMAGE_GENERATION,
        tiers=("1K", "2K", "4K"),
        thinking_mode=True,
        **{**WAN27, "pixels": (square(768), square(4096))},  # type: ignore[arg-type]
    ),
    ImageModel(
        id="wan2.5-t2i-preview",
        summary="Text to image (preview), free size around 1280*1280",
        endpoint=TEXT2IMAGE,
        body=PROMPT,
        pixels=(square(1280), square(1440)),
        aspect=4.0,
        default_size="1280*1280",
        prompt_max=2000,
    ),
    ImageModel(
        id="wan2.2-t2i-flash",
        summary="Fast, low-cost text to image, each side 512-1440 px",
        endpoint=TEXT2IMAGE,
        body=PROMPT,
        side=(512, 1440),
        default_size="1024*1024",
        prompt_max=500,
    ),
    ImageModel(
        id="wan2.2-t2i-plus",
        summary="Steadier text to image, each side 512-1440 px",
        endpoint=TEXT2IMAGE,
        body=PROMPT,
        side=(512, 1440),
        default_size="1024*1024",
        prompt_max=500,
    ),
    ImageModel(
        id="qwen-image-plus",
        summary="Text to image with strong Chinese/English text rendering; one image, five fixed sizes",
        endpoint=TEXT2IMAGE,
        body=PROMPT,
        n_max=1,
        sizes=QWEN_FIXED_SIZES,
        free_size=False,
        default_size="1664*928",
        prompt_max=800,
    ),
    ImageModel(
        id="qwen-image",
        summary="Text to image with text rendering; one image, five fixed sizes",
        endpoint=TEXT2IMAGE,
        body=PROMPT,
        n_max=1,
        sizes=QWEN_FIXED_SIZES,
        free_size=False,
        default_size="1664*928",
        prompt_max=800,
    ),
)

# Editing on the synchronous messages endpoint: the output follows the last input image's shape.
WAN27_EDIT = dict(
    WAN27,
    endpoint=MULTIMODAL_GENERATION,
    tiers=("1K", "2K"),
    images=(1, 9),
    image_kinds=WAN_IMAGE_KINDS,
    image_max_mb=20.0,
    image_pixels=WAN_PICTURE,
)
QWEN_EDIT = dict(
    endpoint=MULTIMODAL_GENERATION,
    body=MESSAGES,
    n_max=6,
    images=(1, 3),
    image_kinds=QWEN_IMAGE_KINDS,
    image_max_mb=10.0,
    text_first=False,
)

EDIT_MODELS: Tuple[ImageModel, ...] = (
    ImageModel(id="wan2.7-image", summary="Edit or compose from 1-9 images, 1-4 results (1-12 as a series)",
               recommended=True, **WAN27_EDIT),  # type: ignore[arg-type]
    ImageModel(id="wan2.7-image-pro", summary="Like wan2.7-image, higher quality",
               **WAN27_EDIT),  # type: ignore[arg-type]
    ImageModel(
        id="wan2.6-image",
        summary="Style transfer, subject consistency and composition from 1-4 images",
        endpoint=MULTIMODAL_GENERATION,
        body=MESSAGES,
        tiers=("1K", "2K"),
        pixels=(square(768), square(2048)),
        aspect=4.0,
        default_size="1K",
        prompt_max=2000,
        images=(1, 4),
        image_kinds=WAN_IMAGE_KINDS,
        image_max_mb=10.0,
        image_pixels=WAN_PICTURE,
    ),
    ImageModel(id="qwen-image-2.0-pro", summary="Precise edits and text in images, fusion of 1-3 images, 1-6 results",
               pixels=(square(512), square(2048)), prompt_limit="about 1300 tokens",
               **QWEN_EDIT),  # type: ignore[arg-type]
    ImageModel(id="qwen-image-2.0", summary="Faster qwen-image-2.0-pro", pixels=(square(512), square(2048)),
               prompt_limit="about 1300 tokens", **QWEN_EDIT),  # type: ignore[arg-type]
    ImageModel(id="qwen-image-edit-max", summary="Text and element edits, 1-3 images, 1-6 results",
               side=(512, 2048), prompt_limit="about 800 tokens", **QWEN_EDIT),  # type: ignore[arg-type]
    ImageModel(id="qwen-image-edit-plus", summary="Text and element edits, 1-3 images, 1-6 results",
               side=(512, 2048), prompt_limit="about 800 tokens", **QWEN_EDIT),  # type: ignore[arg-type]
    ImageModel(id="qwen-image-edit", summary="Text and element edits, one result, no size or prompt_extend",
               takes_size=False, prompt_extend=False, prompt_limit="about 800 tokens",
               **{**QWEN_EDIT, "n_max": 1}),  # type: ignore[arg-type]
)

I2I_MODELS: Tuple[ImageModel, ...] = (
    ImageModel(
        id="wan2.5-i2i-preview",
        summary="Edit one image or fuse up to 3, keeping the subject; asynchronous",
        recommended=True,
        endpoint=IMAGE2IMAGE,
        body=PROMPT,
        pixels=(square(768), square(1280)),
        aspect=4.0,
        prompt_max=2000,
        images=(1, 3),
        image_kinds=WAN_IMAGE_KINDS,
        image_max_mb=10.0,
        image_pixels=PixelBounds(384, 5000),
    ),
)
