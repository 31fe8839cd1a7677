"""The output size of an image request: a tier, a W*H within the model's bounds, or the documented default.

Tiers and omitted sizes with input images follow the last input's shape when the emulator
knows it (see :mod:`.inputs`); unknown inputs count as square. Derived sizes are rounded
down to multiples of 16, as the service's own outputs are.
"""

from __future__ import annotations

import math
import re
from typing import Any, Optional, Tuple

from qwencloud_skills.emulator.service import invalid

from .models import ImageModelSpec

Size = Tuple[int, int]
SIZE = re.compile(r"^(\d{1,5})\*(\d{1,5})$", re.ASCII)
STEP = 16


def output_size(spec: ImageModelSpec, model: str, value: Any, shape: Optional[Size], has_images: bool,
                sequential: bool) -> Size:
    """(width, height) of every result, or a 400 naming what is wrong with ``parameters.size``."""
    text_only = not has_images and not sequential
    if value is None or not spec.takes_size:
        if has_images and spec.follow_area:
            return shaped(spec.follow_area, shape, spec)
        value = spec.default_size
        if value is None:  # pragma: no cover - every model has a default or follows its input
            raise invalid(f"Parameter size is required for model {model}.")
    if not isinstance(value, str) or not value.strip():
        raise invalid(f"Parameter size of model {model} must be a string like '1280*1280', got {value!r}.")
    if value in spec.tiers:
        if value in spec.text_only_tiers and not text_only:
            raise invalid(f"Parameter size {value} of model {model} is only for text to image without input images "
                          "or a series; use " + " or ".join(t for t in spec.tiers if t not in spec.text_only_tiers)
                          + ".")
        side = spec.tiers[value]
        return shaped(side * side, shape if has_images else None, spec)
    match = SIZE.match(value)
    if not match:
        allowed = ", ".join(list(spec.tiers) + ["width*height"]) if spec.tiers else "width*height, e.g. 1280*1280"
        raise invalid(f"Parameter size {value!r} is not valid for model {model}: use {allowed} "
                      "(width and height joined by '*').")
    width, height = int(match.group(1)), int(match.group(2))
    problem = bounds_problem(spec, width, height, text_only)
    if problem:
        raise invalid(f"Parameter size {value} is not supported by model {model}: {problem}.")
    return width, height


def bounds_problem(spec: ImageModelSpec, width: int, height: int, text_only: bool) -> str:
    """What is wrong with W*H for ``spec`` in words, or "" when it fits."""
    if width < 1 or height < 1:
        return "width and height must be positive"
    if spec.sizes:
        return "" if f"{width}*{height}" in spec.sizes else "the sizes offered are " + ", ".join(spec.sizes)
    if spec.side and not (spec.side[0] <= min(width, height) and max(width, height) <= spec.side[1]):
        return f"each side must be {spec.side[0]} to {spec.side[1]} pixels"
    pixels = spec.text_only_pixels if text_only and spec.text_only_pixels else spec.pixels
    if pixels and not pixels[0] <= width * height <= pixels[1]:
        return f"width*height is {width * height} pixels, outside {_square(pixels[0])} to {_square(pixels[1])}"
    if spec.aspect and max(width, height) > spec.aspect * min(width, height):
        return f"the aspect ratio must be between 1:{spec.aspect:g} and {spec.aspect:g}:1"
    return ""


def shaped(area: int, shape: Optional[Size], spec: ImageModelSpec) -> Size:
    """About ``area`` pixels with the aspect of ``shape`` (square when unknown), within the model's aspect limit."""
    ratio = shape[0] / shape[1] if shape and shape[0] > 0 and shape[1] > 0 else 1.0
    if spec.aspect:
        ratio = min(max(ratio, 1 / spec.aspect), spec.aspect)
    width = math.sqrt(area * ratio)
    height = width / ratio
    snapped = (max(STEP, int(width) // STEP * STEP), max(STEP, int(height) // STEP * STEP))
    if spec.side:
        low, high = spec.side
        snapped = (min(max(snapped[0], low), high), min(max(snapped[1], low), high))
    return snapped


def _square(total: int) -> str:
    root = math.isqrt(total)
    return f"{root}*{root}" if root * root == total else str(total)
