"""Reading a request from --request JSON or a --file: every mistake is a clear exit-3 error."""

from __future__ import annotations

import json
import os
from typing import Any, Dict, List, Optional, Tuple

# A request is small; even inline base64 images stay far below this. /dev/zero must not fill memory.
MAX_FILE_BYTES = 64 * 1048576
SHELL_QUOTING = "quote it in single quotes in the shell: --request '{\"prompt\": \"...\"}'"


def load_request(request_json: Optional[str], request_file: Optional[str]) -> Dict[str, Any]:
    from ..errors import FieldIssue, invalid

    if request_json and request_file:
        raise invalid([FieldIssue("--request/--file", None, "give one of them, not both", None,
                                  "use --request JSON or --file PATH")])
    if request_file is not None and not request_file.strip():
        raise invalid([FieldIssue("--file", request_file, "no path given", "the path of a JSON request file",
                                  "e.g. --file request.json")])
    text = request_json
    source, shown = "--request", None  # quote the start of the JSON itself
    if request_file:
        source, shown = "--file", request_file
        text = read_request_file(request_file)
    if text is None:
        return {}
    data = parse_json(source, text, shown)
    if not isinstance(data, dict):
        raise invalid([FieldIssue(source, data if source == "--request" else shown, "must be a JSON object",
                                  "{...}", "wrap the fields in {}")])
    return data


def read_request_file(path: str) -> str:
    """The text of a request file: UTF-8 (a BOM is fine) or UTF-16 with a BOM; anything else is refused."""
    from ..errors import FieldIssue, invalid

    def refuse(problem: str, fix: str) -> Exception:
        return invalid([FieldIssue("--file", path, problem, "a UTF-8 JSON file", fix)])

    if os.path.isdir(path):
        raise refuse("is a folder, not a file", "pass the JSON file itself, e.g. --file request.json")
    try:
        with open(path, "rb") as handle:
            raw = handle.read(MAX_FILE_BYTES + 1)
    except OSError as exc:
        raise refuse(f"cannot read it: {exc.strerror or exc}", "check the path and its permissions") from None
    except ValueError as exc:  # a NUL in the path
        raise refuse(f"not a usable path ({exc})", "check the path") from None
    if len(raw) > MAX_FILE_BYTES:
        raise refuse(f"is larger than {MAX_FILE_BYTES // 1048576} MB; no request is that big",
                     "pass the JSON request file; large media go in as file paths, not inline")
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise refuse("is not valid UTF-16 text", "save it again as UTF-8") from None
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        from ..mediatype import TEXT, UNKNOWN, sniff

        kind = sniff(raw[:4096])
        if kind not in (TEXT, UNKNOWN):
            raise refuse(f"is {kind.name}, not a JSON request",
                         "pass the JSON request file; put media paths inside it, e.g. {\"img_url\": \"frame.png\"}"
                         ) from None
        byte = raw[exc.start]
        raise refuse(f"is not UTF-8 text (byte 0x{byte:02x} at offset {exc.start})",
                     "save the file as UTF-8 (or check that it is the request file)") from None


def parse_json(source: str, text: str, shown: Optional[str] = None) -> Any:
    """JSON as a request takes it: no NaN/Infinity, no key given twice, not absurdly nested.

    ``shown`` is what error messages quote (a file's path); by default the start of ``text``.
    """
    from ..errors import FieldIssue, invalid

    shown = text[:60] if shown is None else shown
    try:
        return json.loads(text, parse_constant=_no_constant, object_pairs_hook=_unique_keys)
    except RecursionError:
        raise invalid([FieldIssue(source, shown, "nested far too deeply to read",
                                  "a JSON object a few levels deep", "flatten the request")]) from None
    except _DuplicateKey as exc:
        raise invalid([FieldIssue(source, exc.key, "this field is given twice", "each field once",
                                  f"keep one {exc.key!r}")]) from None
    except ValueError as exc:  # syntax, NaN, a number of thousands of digits
        fix = SHELL_QUOTING if source == "--request" else "fix the JSON syntax at the place shown"
        raise invalid([FieldIssue(source, shown, f"not valid JSON ({exc})", "a JSON object", fix)]) from None


class _DuplicateKey(ValueError):
    def __init__(self, key: str):
        super().__init__(key)
        self.key = key


def _no_constant(name: str) -> Any:
    raise ValueError(f"{name} is not a JSON number")


def _unique_keys(pairs: List[Tuple[str, Any]]) -> Dict[str, Any]:
    data: Dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data
