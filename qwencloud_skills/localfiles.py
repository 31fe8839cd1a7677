"""Values of media fields: which are local files, and whether each value may be sent.

Values of a mode's file fields that are not http(s)://, oss:// or data: URLs
are local paths: ``~`` is expanded and relative paths resolve from the working
directory. Each must exist, be of a type its field takes (told by content, not
by name) and fit the size limits; inline ``data:`` URLs must be well-formed and
other URL schemes are refused. All of it is checked before any network call;
:mod:`.uploads` sends the files.
"""

from __future__ import annotations

import base64
import binascii
import errno
import hashlib
import re
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO, List, Optional, Tuple

from .errors import FieldIssue, invalid
from .registry import iter_request_files

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Mode

REMOTE_PREFIXES = ("http://", "https://", "oss://", "data:")
# "scheme://..." or "file:...": a URL this host cannot send (a Windows "C:\\path" is not one).
OTHER_URL = re.compile(r"^(?:[A-Za-z][A-Za-z0-9+.-]*://|file:)", re.IGNORECASE)
DATA_URL = re.compile(r"(?is)^data:(?P<mime>[^;,]*)(?P<params>(?:;[^;,]*)*),(?P<data>.*)$")
SUPPORTED_VALUES = "an http(s):// URL, an oss:// URL, or a local file path"


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


def is_local(value: str) -> bool:
    """A local path: not a URL of any scheme (those are sent as they are, or refused)."""
    return not is_remote(value) and not OTHER_URL.match(value)


def _label(field: str, index: Optional[int]) -> str:
    return field if index is None else f"{field}[{index}]"


def _dump(request: Any) -> Any:
    return request.model_dump(by_alias=True, exclude_none=True) if hasattr(request, "model_dump") else request


def find_local_files(mode: Mode, request: Any) -> List[LocalFile]:
    """The local paths among the file fields' values, resolved (raises OSError/ValueError on odd paths)."""
    found = []
    for name, index, value in iter_request_files(mode, _dump(request)):
        if is_local(value):
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
    """Every media value must be sendable: local files exist, have the right content and size,
    data: URLs are well-formed where the field takes them, and no other URL scheme is used.

    Raises before any network call. ``upload_limit_mb`` is the storage limit
    last announced by the service's upload policy, when one is known.
    Returns the local files, to be uploaded.
    """
    files: List[LocalFile] = []
    issues: List[FieldIssue] = []
    for name, index, value in iter_request_files(mode, _dump(request)):
        label = _label(name, index)
        if value.startswith(("http://", "https://", "oss://")):
            continue
        if value[:5].lower() == "data:":
            issues += data_url_problems(mode, name, label, value)
        elif OTHER_URL.match(value):
            issues.append(_other_url(label, value))
        else:
            item, problems = _local_file(mode, name, index, value, upload_limit_mb)
            issues += problems
            if item is not None:
                files.append(item)
    if issues:
        raise invalid(issues, header="Local file problem")
    return files


def _other_url(label: str, value: str) -> FieldIssue:
    if value[:5].lower() == "file:":
        from urllib.parse import urlparse
        from urllib.request import url2pathname

        path = url2pathname(urlparse(value).path)
        return FieldIssue(label, value, "file: URLs are not accepted", SUPPORTED_VALUES,
                          f"pass the path itself: {path!r}")
    scheme = value.split(":", 1)[0]
    return FieldIssue(label, value, f"{scheme}:// URLs cannot be sent", SUPPORTED_VALUES,
                      "download the file and pass its local path, or give an https:// URL")


def _local_file(mode: Mode, field: str, index: Optional[int], value: str,
                upload_limit_mb: Optional[float]) -> Tuple[Optional[LocalFile], List[FieldIssue]]:
    label = _label(field, index)
    try:
        item = LocalFile(field, index, value, Path(value).expanduser().resolve())
        status = item.path.stat()
    except (FileNotFoundError, NotADirectoryError):
        return None, [FieldIssue(label, value, f"local file not found (looked at {item.path})",
                                 SUPPORTED_VALUES, "check the path; relative paths resolve from the current directory")]
    except (OSError, ValueError, RuntimeError) as exc:  # too long a name, a NUL, a symlink loop...
        return None, [_unreadable(label, value, exc)]
    if not stat.S_ISREG(status.st_mode):
        what = "a folder" if stat.S_ISDIR(status.st_mode) else "not a regular file"
        return None, [FieldIssue(label, value, f"is {what}", "a file path", "point at a file")]
    size = status.st_size
    problems = _type_problems(mode, item, size)
    wrong_type = bool(problems)
    size_mb = size / 1048576
    field_limit = mode.file_max_mb.get(field)
    if field_limit and size_mb > field_limit:
        problems.append(oversize(item, field_limit, f"limit for {field}"))
    elif upload_limit_mb and size_mb > upload_limit_mb:
        problems.append(oversize(item, upload_limit_mb, "upload limit of temporary storage"))
    if wrong_type:
        return item, problems
    return item, problems + _length_problems(mode, item) + _pixel_problems(mode, item)


def _unreadable(label: str, value: str, exc: BaseException) -> FieldIssue:
    if isinstance(exc, OSError) and exc.errno == errno.ENAMETOOLONG:
        return FieldIssue(label, value, "the file name is too long for this system",
                          "names of at most 255 bytes per folder or file", "rename the file (or folder) shorter")
    if isinstance(exc, OSError):
        return FieldIssue(label, value, f"cannot read it: {exc.strerror or exc}", "a readable local file",
                          "check the path and its permissions")
    return FieldIssue(label, value, f"not a usable path ({exc})", "a local file path", "check the path")


def _type_problems(mode: Mode, item: LocalFile, size: int) -> List[FieldIssue]:
    """The file's name and its content must both be of a type the field takes."""
    from . import mediatype

    allowed = tuple(mode.file_types.get(item.field) or ())
    suffix = item.path.suffix.lower()
    if size == 0:
        return [FieldIssue(item.label, item.given, "the file is empty", ", ".join(allowed) or "a media file",
                           "pass the real file (this one has no content)")]
    try:
        kind = mediatype.sniff_file(item.path)
    except OSError as exc:
        return [_unreadable(item.label, item.given, exc)]
    if allowed and suffix not in allowed:
        fits = [s for s in kind.suffixes if s in allowed]
        fix = (f"it is {kind.name}: rename it to end in {fits[0]}" if fits
               else "convert the file to one of the allowed types")
        return [FieldIssue(item.label, item.given, f"{item.field} cannot take a {suffix or 'suffix-less'} file",
                           ", ".join(allowed), fix)]
    if not mediatype.known_suffix(suffix):
        return []  # a format told apart by name only: nothing more to check
    takes = allowed or (suffix,)
    if any(s in takes for s in kind.suffixes):
        return []
    expected = mediatype.kind_for_suffix(suffix)
    problem = f"is {kind.name}, not {expected.name if expected else suffix}"
    shown = Path(item.given).expanduser().absolute()
    if shown != item.path:
        problem += f" (the path leads to {item.path})"
    return [FieldIssue(item.label, item.given, problem, ", ".join(takes),
                       "pass the real media file, or convert it to one of the allowed types")]


def data_url_problems(mode: Mode, field: str, label: str, value: str) -> List[FieldIssue]:
    """A ``data:{mime};base64,...`` value: allowed in this field, valid base64, a MIME type the field
    takes, content of that type, within the field's size limit."""
    from . import mediatype

    allowed = tuple(mode.file_types.get(field) or ())
    mimes = sorted({kind.mime for kind in (mediatype.kind_for_suffix(s) for s in allowed) if kind})
    takes = ", ".join(mimes) or "a media MIME type"
    if mode.data_url_fields is not None and field not in mode.data_url_fields:
        where = ", ".join(mode.data_url_fields)
        return [FieldIssue(label, value, f"{field} does not take inline data: URLs",
                           SUPPORTED_VALUES + (f" (data: URLs only in {where})" if where else ""),
                           "save the data to a file and pass its local path (it is uploaded for you), "
                           "or give an https:// URL")]
    match = DATA_URL.match(value)
    params = [p.strip().lower() for p in (match.group("params") if match else "").split(";") if p.strip()]
    if not match or "base64" not in params or not match.group("mime"):
        return [FieldIssue(label, value, "not a base64 data URL", "data:{mime};base64,{data}",
                           "write it as data:<mime type>;base64,<base64 data>, or pass a local path instead")]
    mime = match.group("mime").strip().lower()
    declared = mediatype.BY_MIME.get(mime)
    if declared is None or (mimes and declared.mime not in mimes):
        return [FieldIssue(label, value, f"{field} cannot take {mime} data", takes,
                           "use one of the allowed MIME types, or pass a local file path")]
    try:
        content = base64.b64decode(match.group("data"), validate=True)
    except (binascii.Error, ValueError):
        return [FieldIssue(label, value, "the data is not valid base64", "standard base64 (A-Z a-z 0-9 + / =)",
                           "encode the file again (base64 without line breaks), or pass its local path instead")]
    limit = mode.file_max_mb.get(field)
    if limit and len(content) > limit * 1048576:
        return [FieldIssue(label, value, f"the data is {len(content) / 1048576:.1f} MB, over the limit for {field}",
                           f"at most {limit:g} MB", "compress the file, or host it and pass an https:// URL")]
    kind = mediatype.sniff(content[: mediatype.HEAD_BYTES])
    if content and kind.mime == declared.mime:
        import io

        return _picture_problems(mode, field, label, value[:60], io.BytesIO(content), kind.mime)
    what = "empty" if not content else kind.name
    fix = (f"declare it as what it is: data:{kind.mime};base64,..." if content and kind.mime in mimes
           else "encode the real media file, with its own MIME type")
    return [FieldIssue(label, value, f"the data is {what}, not {declared.name}", takes, fix)]


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


def _pixel_problems(mode: Mode, item: LocalFile) -> List[FieldIssue]:
    """A picture too small, too large or too elongated for the field (only formats whose size can be read)."""
    from . import mediatype

    if not mode.file_pixels.get(item.field):
        return []
    try:
        kind = mediatype.sniff_file(item.path)
        with item.path.open("rb") as handle:
            return _picture_problems(mode, item.field, item.label, item.given, handle, kind.mime)
    except OSError as exc:
        return [_unreadable(item.label, item.given, exc)]


def _picture_problems(mode: Mode, field: str, label: str, shown: str, handle: BinaryIO, mime: str) -> List[FieldIssue]:
    bounds = (mode.file_pixels.get(field) or {}).get(mime.split("/")[0])
    if bounds is None:
        return []
    from .pixelsize import pixel_size

    size = pixel_size(handle)
    problem = bounds.problem(*size) if size else ""
    if not problem:
        return []
    width, height = size  # type: ignore[misc]
    too_small = min(width, height) < bounds.min_side
    fix = ("use a larger original, or upscale it" if too_small
           else "crop it closer to the output's shape" if bounds.max_aspect and max(width, height) <= bounds.max_side
           else f"scale it down so no side exceeds {bounds.max_side} px")
    return [FieldIssue(label, shown, problem, bounds.describe(), fix)]


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()
