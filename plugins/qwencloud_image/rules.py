"""Checks shared by the image modes, each returning FieldIssues instead of raising.

Every check takes the value and the model's :class:`ImageModel` (None for a
model no plugin describes: then only rules true for every image model apply),
so a request model can report every problem at once.
"""

from __future__ import annotations

import difflib
import math
from typing import Any, Iterable, List, Mapping, Optional, Sequence

from qwencloud_skills.errors import FieldIssue

from .catalog import ImageModel, describe_pixels, parse_size

SEED_MAX = 2147483647
NEGATIVE_PROMPT_MAX = 500
# For models nobody describes: the most generous limits of any known image model.
PERMISSIVE_PROMPT_MAX = 5000
PERMISSIVE_N_MAX = 12
PERMISSIVE_IMAGES_MAX = 9
SIDE_MIN, SIDE_MAX = 128, 8192
TIERS = ("1K", "2K", "4K")
SIZE_ALLOWED = f"width*height (each side {SIDE_MIN}-{SIDE_MAX} px) or a tier such as 1K / 2K"

Issues = List[FieldIssue]


def one_of(field: str, value: Any, choices: Sequence[str], what: str = "") -> Issues:
    """``value`` must be one of ``choices``; suggest the nearest spelling."""
    if value in choices:
        return []
    guess = difflib.get_close_matches(str(value), list(choices), n=1, cutoff=0.5)
    fix = f"use {guess[0]!r}" if guess else f"use one of: {', '.join(choices)}"
    return [FieldIssue(field, value, what or "not an accepted value", ", ".join(choices), fix)]


def prompt(value: Optional[str], spec: Optional[ImageModel], model_id: str, mode: str) -> Issues:
    if value is None or not value.strip():
        return [FieldIssue("prompt", value, f"{mode} needs a prompt", "non-empty text",
                           "describe the image (or the edit) you want")]
    limit = spec.prompt_max if spec else PERMISSIVE_PROMPT_MAX
    if limit is None or len(value) <= limit:
        return []  # a token limit is the service's to count
    excess = len(value) - limit
    return [FieldIssue("prompt", value, f"{len(value)} characters is too long for {model_id}",
                       f"at most {limit} characters", f"shorten it by {excess} character{'s' if excess != 1 else ''}")]


def negative_prompt(value: Optional[str], spec: Optional[ImageModel], model_id: str,
                    catalog: Iterable[ImageModel]) -> Issues:
    if value is None:
        return []
    if spec is not None and not spec.negative_prompt:
        takers = [m.id for m in catalog if m.negative_prompt]
        return [FieldIssue("negative_prompt", value, f"{model_id} takes no negative_prompt", "omit it",
                           "say what to avoid in the prompt itself" + (f", or use {takers[0]}" if takers else ""))]
    if len(value) <= NEGATIVE_PROMPT_MAX:
        return []
    return [FieldIssue("negative_prompt", value, f"{len(value)} characters is too long",
                       f"at most {NEGATIVE_PROMPT_MAX} characters",
                       f"shorten it by {len(value) - NEGATIVE_PROMPT_MAX} character(s)")]


def seed(value: Optional[int]) -> Issues:
    if value is None or 0 <= value <= SEED_MAX:
        return []
    return [FieldIssue("seed", value, "out of range", f"0 to {SEED_MAX}", f"pick a whole number from 0 to {SEED_MAX}")]


def n_limit(spec: Optional[ImageModel], sequential: bool) -> int:
    """The most images one request may ask for."""
    if spec is None:
        return PERMISSIVE_N_MAX
    return spec.sequential_n_max if sequential and spec.sequential_n_max else spec.n_max


def n(value: Optional[int], spec: Optional[ImageModel], model_id: str, sequential: bool,
      catalog: Iterable[ImageModel]) -> Issues:
    if value is None:
        return []
    high = n_limit(spec, sequential)
    if 1 <= value <= high:
        return []
    if value < 1:
        return [FieldIssue("n", value, "must be at least 1 image", f"1 to {high}", "use n 1")]
    if spec is not None and spec.fixed_n:
        most = max(catalog, key=lambda m: m.n_max, default=None)
        fix = "use n 1 and run the job again for more"
        if most is not None and most.n_max > 1:
            fix += f", or use {most.id} (up to {most.n_max} per request)"
        return [FieldIssue("n", value, f"{model_id} makes one image per request", "1", fix)]
    fix = f"use n {high}"
    if spec is not None and spec.sequential_n_max and not sequential and value <= spec.sequential_n_max:
        fix += f", or set enable_sequential true for a coherent series of up to {spec.sequential_n_max}"
    return [FieldIssue("n", value, f"{model_id} makes at most {high} images per request", f"1 to {high}", fix)]


def size(value: Optional[str], spec: Optional[ImageModel], model_id: str, catalog: Iterable[ImageModel]) -> Issues:
    if value is None:
        return []
    if spec is not None and not spec.takes_size:
        takers = [m.id for m in catalog if m.takes_size]
        return [FieldIssue("size", value, f"{model_id} takes no size (the service picks it)", "omit it",
                           "remove size" + (f", or use {takers[0]} to choose one" if takers else ""))]
    token = value.strip().upper()
    if token in TIERS or (len(token) == 2 and token.endswith("K") and token[0].isdigit()):
        return _tier(value, token, spec, model_id)
    parsed = parse_size(value)
    if parsed is None:
        return [FieldIssue("size", value, "not a width*height size or a tier", _allowed(spec),
                           "write it as width*height, e.g. '1280*1280'" + (f", or a tier such as {spec.tiers[0]!r}"
                                                                         if spec and spec.tiers else ""))]
    width, height = parsed
    canonical = f"{width}*{height}"
    if min(parsed) < SIDE_MIN or max(parsed) > SIDE_MAX:
        return [FieldIssue("size", value, f"{canonical} pixels is not an image size", _allowed(spec),
                           f"use {_suggestion(spec)!r}")]
    if canonical != value:
        return [FieldIssue("size", value, "sizes are written width*height with '*'", canonical,
                           f"write it as {canonical!r}")]
    if spec is None:
        return []
    if spec.sizes:
        if value in spec.sizes:
            return []
        return [FieldIssue("size", value, f"{model_id} offers only fixed sizes", ", ".join(spec.sizes),
                           f"use {closest(value, spec.sizes)!r}")]
    if not spec.free_size:
        return [FieldIssue("size", value, f"{model_id} takes a tier, not width*height", ", ".join(spec.tiers),
                           f"use {spec.default_size or spec.tiers[0]!r}")]
    problem = _bounds_problem(width, height, spec)
    if not problem:
        return []
    return [FieldIssue("size", value, f"{model_id} cannot make {canonical}: {problem}", spec.size_rule(),
                       f"use {_nearest_fitting(width, height, spec)!r}")]


def _tier(value: str, token: str, spec: Optional[ImageModel], model_id: str) -> Issues:
    if spec is None:
        return [] if value == token else [FieldIssue("size", value, "tiers are written in capitals", token,
                                                     f"write it as {token!r}")]
    if token not in spec.tiers:
        allowed = ", ".join(spec.tiers) if spec.tiers else spec.size_rule()
        fix = f"use {spec.tiers[-1]!r}" if spec.tiers else f"use {_suggestion(spec)!r}"
        return [FieldIssue("size", value, f"{model_id} does not offer the {token} tier", allowed, fix)]
    if value != token:
        return [FieldIssue("size", value, "tiers are written in capitals", token, f"write it as {token!r}")]
    return []


def _allowed(spec: Optional[ImageModel]) -> str:
    return spec.size_rule() if spec is not None else SIZE_ALLOWED


def _suggestion(spec: Optional[ImageModel]) -> str:
    if spec is not None and spec.default_size:
        return spec.default_size
    if spec is not None and spec.sizes:
        return spec.sizes[0]
    return "1280*1280"


def _bounds_problem(width: int, height: int, spec: ImageModel) -> str:
    if spec.side and not (spec.side[0] <= min(width, height) and max(width, height) <= spec.side[1]):
        return f"each side must be {spec.side[0]}-{spec.side[1]} px"
    if spec.pixels and not spec.pixels[0] <= width * height <= spec.pixels[1]:
        return f"{width * height} pixels is outside {describe_pixels(*spec.pixels)}"
    if spec.aspect and max(width, height) > spec.aspect * min(width, height):
        return f"more elongated than 1:{spec.aspect:g}"
    return ""


def _nearest_fitting(width: int, height: int, spec: ImageModel) -> str:
    """The same shape scaled (and, if need be, made less elongated) into the model's bounds."""
    ratio = width / height
    if spec.aspect:
        ratio = min(max(ratio, 1 / spec.aspect), spec.aspect)
    area = float(width * height)
    if spec.pixels:
        area = min(max(area, spec.pixels[0]), spec.pixels[1])
    w = math.sqrt(area * ratio)
    h = area / w
    if spec.side:
        w, h = (min(max(side, spec.side[0]), spec.side[1]) for side in (w, h))
    for step in (16, 8, 1):  # multiples of 16 where they fit, as the services prefer
        down_w, down_h = int(w) // step * step, int(h) // step * step
        up_w, up_h = -(-int(w) // step) * step, -(-int(h) // step) * step
        for cw, ch in ((down_w, down_h), (up_w, up_h), (down_w, up_h), (up_w, down_h)):
            if cw > 0 and ch > 0 and not _bounds_problem(cw, ch, spec):
                return f"{cw}*{ch}"
    return spec.default_size or "1280*1280"


def closest(value: str, choices: Sequence[str]) -> str:
    """The choice nearest in shape first, then in pixel count."""
    parsed = parse_size(value)
    if parsed is None or min(parsed) <= 0:
        return choices[0]
    ratio, area = parsed[0] / parsed[1], parsed[0] * parsed[1]

    def distance(choice: str) -> float:
        width, height = parse_size(choice) or (1, 1)
        return 4 * abs(math.log(ratio / (width / height))) + abs(math.log(area / (width * height)))

    return min(choices, key=distance)


def reference_count(values: Optional[Sequence[Any]], spec: Optional[ImageModel], model_id: str,
                    catalog: Iterable[ImageModel]) -> Issues:
    count = len(values or [])
    low, high = spec.images if spec is not None else (1, PERMISSIVE_IMAGES_MAX)
    if count < max(low, 1):
        return [FieldIssue("reference_images", values, "at least one input image is needed", f"{max(low, 1)}-{high}",
                           'add the image(s) to edit, e.g. "reference_images": ["photo.png"]')]
    if count <= high:
        return []
    roomier = [m.id for m in catalog if m.images[1] > high]
    fix = f"keep the {high} that matter most"
    if roomier:
        fix += f" (or use {roomier[0]}: up to {max(m.images[1] for m in catalog)})"
    return [FieldIssue("reference_images", f"{count} images", f"{model_id} takes at most {high} input images",
                       f"1-{high}", fix)]


def reference_values(values: Optional[Sequence[Any]]) -> Issues:
    issues: Issues = []
    for index, value in enumerate(values or []):
        if not isinstance(value, str) or not value.strip():
            issues.append(FieldIssue(f"reference_images[{index}]", value, "empty", "a URL or a local file path",
                                     "remove the empty item or give the image"))
    return issues


def model_switch(field: str, value: Any, supported: bool, model_id: str, catalog: Iterable[ImageModel],
                 what: str) -> Issues:
    """A switch only some models have (prompt_extend, thinking_mode, enable_sequential)."""
    if value is None or supported:
        return []
    takers = [m.id for m in catalog if _has(m, field)]
    return [FieldIssue(field, value, f"{model_id} has no {field}", "omit it",
                       f"remove {field}" + (f" ({what}: {', '.join(takers)})" if takers else ""))]


def _has(spec: ImageModel, field: str) -> bool:
    return {"prompt_extend": spec.prompt_extend, "thinking_mode": spec.thinking_mode,
            "enable_sequential": bool(spec.sequential_n_max)}.get(field, False)


def extras(extra_input: Optional[Mapping[str, Any]], extra_parameters: Optional[Mapping[str, Any]],
           known: Iterable[str]) -> Issues:
    """The escape hatch is for fields the catalog does not know: known ones must be set directly."""
    known = set(known)
    issues: Issues = []
    for name, extra in (("extra_input", extra_input), ("extra_parameters", extra_parameters)):
        for key in extra or {}:
            if key in known or key in ("model", "input", "parameters", "messages"):
                issues.append(FieldIssue(f"{name}.{key}", extra[key], "known fields cannot use the escape hatch",
                                         "fields the request model does not have",
                                         f"set {key!r} directly so it is validated"))
    return issues
