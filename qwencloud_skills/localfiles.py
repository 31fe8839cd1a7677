"""Local paths in a request: which values are local files, and whether they may be sent.

Values of a mode's file fields that are not http(s)://, oss:// or data: URLs
are local paths: ``~`` is expanded and relative paths resolve from the working
directory. Each must exist, be of a type its field takes and fit the size
limits, all checked before any network call. :mod:`.uploads` sends them.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional

from .errors import FieldIssue, invalid
from .registry import iter_request_files

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Mode

REMOTE_PREFIXES = ("http://", "https://", "oss://", "data:")


@dataclass(frozen=True)
class LocalFile:
    field: str
    index: Optional[int]
    given: str
    path: Path

    @property
    def label(self) -> str:
        """The field as users wrote it: ``img_url`` or ``reference_urls[2]``."""
        return self.field if self.index is None else f"{self.field}[{self.index}]"


def is_remote(value: str) -> bool:
    return value.startswith(REMOTE_PREFIXES)


def find_local_files(mode: Mode, request: Any) -> List[LocalFile]:
    data = request.model_dump(by_alias=True, exclude_none=True) if hasattr(request, "model_dump") else request
    found = []
    for name, index, value in iter_request_files(mode, data):
        if not is_remote(value):
            found.append(LocalFile(name, index, value, Path(value).expanduser().resolve()))
    return found


def oversize(item: LocalFile, limit_mb: float, why: str) -> FieldIssue:
    size = item.path.stat().st_size
    return FieldIssue(
        item.label,
        item.given,
        f"file is {size / 1048576:.1f} MB, over the {why}",
        f"at most {limit_mb:g} MB",
        "compress or trim the file, or host it yourself and pass an https:// URL",
    )


def check_local_files(mode: Mode, request: Any, upload_limit_mb: Optional[float] = None) -> List[LocalFile]:
    """Every local path must exist, be of a type its field takes and fit the size limits.

    Raises before any network call. ``upload_limit_mb`` is the storage limit
    last announced by the service's upload policy, when one is known.
    """
    files = find_local_files(mode, request)
    issues = []
    for item in files:
        label = item.label
        if not item.path.exists():
            issues.append(
                FieldIssue(
                    label,
                    item.given,
                    f"local file not found (looked at {item.path})",
                    "an http(s):// URL, an oss:// URL, or an existing local file",
                    "check the path; relative paths resolve from the current directory",
                )
            )
            continue
        if not item.path.is_file():
            issues.append(FieldIssue(label, item.given, "is not a regular file", "a file path", "point at a file"))
            continue
        allowed = mode.file_types.get(item.field)
        if allowed and item.path.suffix.lower() not in allowed:
            issues.append(FieldIssue(
                label, item.given, f"{item.field} cannot take a {item.path.suffix or 'suffix-less'} file",
                ", ".join(allowed), "convert the file to one of the allowed types",
            ))
            continue
        size_mb = item.path.stat().st_size / 1048576
        field_limit = mode.file_max_mb.get(item.field)
        if field_limit and size_mb > field_limit:
            issues.append(oversize(item, field_limit, f"limit for {item.field}"))
        elif upload_limit_mb and size_mb > upload_limit_mb:
            issues.append(oversize(item, upload_limit_mb, "upload limit of temporary storage"))
        issues += _length_problems(mode, item)
    if issues:
        raise invalid(issues, header="Local file problem")
    return files


def _length_problems(mode: Mode, item: LocalFile) -> List[FieldIssue]:
    """Playing time outside the field's bounds (only for formats whose length can be read)."""
    bounds = mode.file_seconds.get(item.field)
    if not bounds:
        return []
    from .mediaprobe import duration_of

    seconds = duration_of(item.path)
    shortest, longest = bounds
    if seconds is None or ((shortest is None or seconds >= shortest) and (longest is None or seconds <= longest)):
        return []
    allowed = (f"{shortest:g}-{longest:g} s" if shortest is not None and longest is not None
               else f"at most {longest:g} s" if longest is not None else f"at least {shortest:g} s")
    fix = "trim it (see merge-media guidance)" if longest is not None and seconds > longest else "use a longer one"
    return [FieldIssue(item.label, item.given, f"plays {seconds:.2f} s", allowed, fix)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
