"""Local input images: what each mode declares to the host, and each model's own tighter limits.

The host checks a mode's file fields (type by content, size, pixels) against
the loosest bounds of the mode's models and uploads the files; the request
validator then holds each local file to the chosen model's own limits, so a
10 MB model is never sent a 15 MB picture that a 20 MB model would take.
"""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List, Mapping, Optional, Sequence, Tuple

from qwencloud_skills.errors import FieldIssue
from qwencloud_skills.registry import PixelBounds

from .catalog import ImageModel

FILE_FIELD = "reference_images"


def file_types(models: Sequence[ImageModel]) -> Dict[str, Tuple[str, ...]]:
    kinds: List[str] = []
    for spec in models:
        kinds += [kind for kind in spec.image_kinds if kind not in kinds]
    return {FILE_FIELD: tuple(kinds)}


def file_max_mb(models: Sequence[ImageModel]) -> Dict[str, float]:
    return {FILE_FIELD: max(spec.image_max_mb or 0.0 for spec in models)}


def file_pixels(models: Sequence[ImageModel]) -> Dict[str, Mapping[str, PixelBounds]]:
    """The loosest picture bounds any of the mode's models documents."""
    bounds = [spec.image_pixels for spec in models if spec.image_pixels is not None]
    if not bounds:
        return {}
    return {FILE_FIELD: {"image": PixelBounds(min(b.min_side for b in bounds), max(b.max_side for b in bounds))}}


def local_image_problems(values: Optional[Sequence[str]], spec: Optional[ImageModel],
                         model_id: str) -> List[FieldIssue]:
    """Each local file among ``values`` held to the model's own type, size and pixel limits.

    Missing or unreadable files are left to the host's check, which names them.
    """
    if spec is None or not values:
        return []
    from qwencloud_skills.localfiles import is_local

    issues: List[FieldIssue] = []
    for index, value in enumerate(values):
        if not isinstance(value, str) or not is_local(value):
            continue
        try:
            path = Path(value).expanduser().resolve()
            if not path.is_file():
                continue
            issues += _file_problems(f"{FILE_FIELD}[{index}]", value, path, spec, model_id)
        except (OSError, ValueError, RuntimeError):
            continue
    return issues


def _file_problems(label: str, value: str, path: Path, spec: ImageModel, model_id: str) -> List[FieldIssue]:
    suffix = path.suffix.lower()
    if spec.image_kinds and suffix and suffix not in spec.image_kinds:
        return [FieldIssue(label, value, f"{model_id} cannot take a {suffix} image",
                           ", ".join(kind.lstrip(".") for kind in spec.image_kinds),
                           "convert it to PNG or JPEG")]
    megabytes = path.stat().st_size / 1048576
    if spec.image_max_mb and megabytes > spec.image_max_mb:
        return [FieldIssue(label, value, f"file is {megabytes:.1f} MB, over {model_id}'s limit",
                           f"at most {spec.image_max_mb:g} MB", "compress or scale the image down")]
    if spec.image_pixels is None:
        return []
    from qwencloud_skills.pixelsize import pixel_size

    with path.open("rb") as handle:
        size = pixel_size(handle)
    problem = spec.image_pixels.problem(*size) if size else ""
    if not problem:
        return []
    small = min(size) < spec.image_pixels.min_side  # type: ignore[arg-type]
    return [FieldIssue(label, value, f"{problem}, outside {model_id}'s limits", spec.image_pixels.describe(),
                       "use a larger original" if small else
                       f"scale it down so no side exceeds {spec.image_pixels.max_side} px")]
