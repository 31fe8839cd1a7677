"""What a Wan or Qwen image model can do, as plain data the validators, payloads and help text read.

A model change is a data change: add or edit an :class:`ImageModel` in
:mod:`qwencloud_image.models` (first party) or register one through
``register_models`` (third party).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Dict, Optional, Tuple

from qwencloud_skills.registry import ModelSpec, PixelBounds

# Request bodies: ``input.messages`` with content items, or ``input.prompt`` (+ ``input.images``).
MESSAGES = "messages"
PROMPT = "prompt"
BODIES = (MESSAGES, PROMPT)

# ASCII digits only, and few of them: "１０２４*1024" or a 5000-digit side must not reach int().
SIZE_PATTERN = re.compile(r"^\s*(\d{1,6})\s*([*xX×])\s*(\d{1,6})\s*$", re.ASCII)


def parse_size(value: str) -> Optional[Tuple[int, int]]:
    """(width, height) of a "W*H" string (also "WxH"), or None when it is not one."""
    match = SIZE_PATTERN.match(value)
    if not match:
        return None
    return int(match.group(1)), int(match.group(3))


def square(side: int) -> int:
    return side * side


def describe_pixels(low: int, high: int) -> str:
    """A total-pixel range as the docs write it: "1280*1280 to 1440*1440 pixels in all"."""
    def side(total: int) -> str:
        root = int(round(total ** 0.5))
        return f"{root}*{root}" if root * root == total else str(total)

    return f"{side(low)} to {side(high)} pixels in all"


@dataclass(frozen=True)
class ImageModel(ModelSpec):
    """One image model's limits in one mode.

    ``endpoint`` is the path this model is called on in its mode and ``body``
    the request layout it takes (:data:`MESSAGES` or :data:`PROMPT`). Sizes are
    one of: a fixed list (``sizes``), named tiers (``tiers``, e.g. "1K"), or
    free ``W*H`` within ``side`` / ``pixels`` / ``aspect`` bounds; ``default_size``
    is what the payload states when the user gives none (None: the output
    follows the last input image, so nothing is sent).
    """

    body: str = MESSAGES
    n_max: int = 4
    sequential_n_max: int = 0  # enable_sequential's ceiling (0: the model has no sequential mode)
    sizes: Tuple[str, ...] = ()
    tiers: Tuple[str, ...] = ()
    free_size: bool = True  # W*H within the bounds below is accepted
    side: Optional[Tuple[int, int]] = None  # each side, px
    pixels: Optional[Tuple[int, int]] = None  # width * height, px
    aspect: Optional[float] = None  # long side at most this times the short one
    default_size: Optional[str] = None
    takes_size: bool = True
    prompt_max: Optional[int] = None  # characters; None: a token limit the service checks
    prompt_limit: str = ""  # how the docs state the limit, for help text
    negative_prompt: bool = True
    prompt_extend: bool = True
    thinking_mode: bool = False
    images: Tuple[int, int] = (0, 0)  # fewest and most input images
    image_kinds: Tuple[str, ...] = ()
    image_max_mb: Optional[float] = None
    image_pixels: Optional[PixelBounds] = None
    text_first: bool = True  # order of the message's content items, as the model's docs show it

    def __post_init__(self) -> None:
        if self.body not in BODIES:
            raise ValueError(f"{self.id}: body must be one of {BODIES}, not {self.body!r}")
        if self.n_max < 1:
            raise ValueError(f"{self.id}: n_max must be at least 1")

    @property
    def fixed_n(self) -> bool:
        return self.n_max == 1 and not self.sequential_n_max

    def size_rule(self) -> str:
        """The sizes the model takes, in words."""
        if not self.takes_size:
            return "not settable (the service picks it)"
        parts = []
        if self.sizes:
            parts.append("only " + ", ".join(self.sizes))
        if self.tiers:
            parts.append(" / ".join(self.tiers))
        if self.free_size and not self.sizes:
            bounds = ["width*height"]
            if self.side:
                bounds.append(f"each side {self.side[0]}-{self.side[1]} px")
            if self.pixels:
                bounds.append(describe_pixels(*self.pixels))
            if self.aspect:
                bounds.append(f"aspect 1:{self.aspect:g} to {self.aspect:g}:1")
            parts.append(", ".join(bounds))
        return "; or ".join(parts)

    def describe(self) -> Dict[str, str]:
        limits: Dict[str, str] = {}
        n = "1 only" if self.fixed_n else f"1-{self.n_max}"
        if self.sequential_n_max:
            n += f"; 1-{self.sequential_n_max} with enable_sequential"
        limits["n"] = n + " (default sent: 1)"
        size = self.size_rule()
        if self.takes_size:
            size += f" (default sent: {self.default_size})" if self.default_size else (
                " (left out: follows the last input image)")
        limits["size"] = size
        if self.images[1]:
            low, high = self.images
            count = f"{low}-{high}" if low != high else str(low)
            details = [", ".join(kind.lstrip(".") for kind in self.image_kinds)] if self.image_kinds else []
            if self.image_pixels:
                details.append(self.image_pixels.describe())
            if self.image_max_mb:
                details.append(f"up to {self.image_max_mb:g} MB")
            limits["reference_images"] = count + (f" ({'; '.join(details)})" if details else "")
        limits["prompt"] = self.prompt_limit or (f"up to {self.prompt_max} characters" if self.prompt_max else "")
        limits["negative_prompt"] = "up to 500 characters" if self.negative_prompt else "not taken"
        extras = [name for name, on in (("prompt_extend", self.prompt_extend), ("thinking_mode", self.thinking_mode),
                                        ("enable_sequential", bool(self.sequential_n_max))) if on]
        limits["switches"] = ", ".join(extras + ["watermark", "seed"])
        return {key: value for key, value in limits.items() if value}
