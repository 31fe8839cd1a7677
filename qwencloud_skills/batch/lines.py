"""A batch's lines: read, then every one validated before anything is sent.

A line is a request object, or ``{"id": ..., "request": {...}, "mode": ..., "model": ...}``. The
id names the line's output files; a line without one is named by its line number. Relative
local paths in a batch file are read from the file's own folder, so the batch runs (and
resumes) from anywhere. Each valid line gets a fingerprint: what was written plus the content of
its local files, so a rerun tells an unchanged line (never submitted twice) from an edited one.
"""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Dict, Iterable, List, Mapping, Optional, Tuple

from ..errors import ConfigError, FieldIssue, InvalidRequestError, QwenSkillsError

if TYPE_CHECKING:  # pragma: no cover
    from ..prepared import Prepared

ENVELOPE_KEYS = ("id", "request", "mode", "model")
LINE_SHAPES = 'a request object, or {"id": ..., "request": {...}, "mode": ..., "model": ...}'
# Ids name files: the rule of --name (no folders, nothing a file system refuses, not hidden).
ID_PATTERN = re.compile(r"^[^\\/:*?\"<>|\x00-\x1f]{1,100}$")


@dataclass
class BatchLine:
    """One line as written: its number (1-based), its id, the request and the line's own mode/model."""

    number: int
    id: str
    request: Dict[str, Any]
    mode: Optional[str] = None
    model: Optional[str] = None
    raw: Any = None  # the line's object, as fingerprinted


@dataclass
class LineProblem:
    """Why one line cannot be sent (``config``: a set-up problem rather than bad input)."""

    number: int
    id: Optional[str]
    issues: List[FieldIssue]
    config: bool = False

    @property
    def title(self) -> str:
        named = f" (id {self.id})" if self.id and self.id != str(self.number) else ""
        return f"line {self.number}{named}"

    def text(self) -> str:
        return "\n".join([f"{self.title}:"] + [f"    - {issue}" for issue in self.issues])

    def summary(self) -> str:
        return "; ".join(str(issue) for issue in self.issues)


@dataclass
class CheckedLine:
    """A valid line: validated and ready to send, its local files (path -> sha256) and fingerprint."""

    line: BatchLine
    prepared: Prepared
    files: Dict[str, str] = field(default_factory=dict)
    fingerprint: str = ""


@dataclass
class CheckedBatch:
    valid: List[CheckedLine]
    problems: List[LineProblem]

    @property
    def total(self) -> int:
        return len(self.valid) + len(self.problems)


def _issue(field_name: str, value: Any, problem: str, allowed: Optional[str], fix: Optional[str]) -> FieldIssue:
    return FieldIssue(field_name, value, problem, allowed, fix)


def _checked_id(value: Any) -> Tuple[Optional[str], List[FieldIssue]]:
    if isinstance(value, bool) or not isinstance(value, (str, int)):
        return None, [_issue("id", value, "must be a string (or a whole number)", "e.g. \"lighthouse-1\"",
                             "give the line a short name; it names the saved files")]
    text = str(value)
    if not ID_PATTERN.match(text) or text.startswith(".") or text.strip() != text:
        return None, [_issue("id", text, "is not usable as a file name",
                             "1-100 characters, no / \\ : * ? \" < > | or control characters, not starting with a "
                             "dot or a space", "e.g. \"lighthouse-1\" (saved as lighthouse-1.<ext>)")]
    return text, []


def parse_item(item: Any, number: int) -> Tuple[Optional[BatchLine], Optional[LineProblem]]:
    """One line's object as a BatchLine, or the problems that make it unusable."""
    if not isinstance(item, Mapping):
        shown = item if isinstance(item, (str, int, float, bool)) or item is None else type(item).__name__
        return None, LineProblem(number, None, [_issue("line", shown, "must be a JSON object", LINE_SHAPES,
                                                       "write one request object per line")])
    if "request" not in item:
        return BatchLine(number, str(number), dict(item), raw=dict(item)), None
    issues: List[FieldIssue] = []
    for key in item:
        if key not in ENVELOPE_KEYS:
            issues.append(_issue(str(key), None, "is not a field of a batch line", ", ".join(ENVELOPE_KEYS),
                                 'put the request\'s own fields inside "request"'))
    request = item["request"]
    if not isinstance(request, Mapping):
        issues.append(_issue("request", request, "must be a JSON object", "{...}", "wrap the request's fields in {}"))
    for key in ("mode", "model"):
        value = item.get(key)
        if value is not None and (not isinstance(value, str) or not value.strip()):
            issues.append(_issue(key, value, "must be a non-empty string", f"a {key} name",
                                 f"name the {key}, or leave it out"))
    line_id: Optional[str] = str(number)
    if item.get("id") is not None:
        line_id, problems = _checked_id(item["id"])
        issues += problems
    if issues:
        return None, LineProblem(number, line_id, issues)
    return BatchLine(number, line_id or str(number), dict(request), item.get("mode"), item.get("model"),
                     raw=dict(item)), None


def read_file(path: str) -> Tuple[List[BatchLine], List[LineProblem]]:
    """Every non-blank line of a JSON Lines file; an unreadable file raises InvalidRequestError."""
    from ..cli.request_input import parse_json, read_request_file

    try:
        text = read_request_file(path)
    except InvalidRequestError as exc:  # said of --file there; here the file is the batch
        raise InvalidRequestError("Unusable batch file:\n" + "\n".join(
            f"  - {FieldIssue('FILE', path, issue.problem, 'a JSON Lines file: one request per line', issue.fix)}"
            for issue in exc.issues), exc.issues) from None
    lines: List[BatchLine] = []
    problems: List[LineProblem] = []
    for number, raw in enumerate(text.splitlines(), 1):
        if not raw.strip():
            continue
        try:
            item = parse_json(f"line {number}", raw)
        except InvalidRequestError as exc:
            problems.append(LineProblem(number, None, exc.issues))
            continue
        line, problem = parse_item(item, number)
        if line is not None:
            lines.append(line)
        if problem is not None:
            problems.append(problem)
    if not lines and not problems:
        raise InvalidRequestError(f"Batch file {path} has no lines: write one request (a JSON object) per line.",
                                  [FieldIssue("FILE", path, "holds no request", LINE_SHAPES,
                                              "one JSON object per line")])
    return lines, _with_duplicates_refused(lines, problems)


def parse_items(items: Iterable[Any]) -> Tuple[List[BatchLine], List[LineProblem]]:
    """The lines of a Python list (run_many): each a request mapping, or the envelope a file line may be."""
    lines: List[BatchLine] = []
    problems: List[LineProblem] = []
    for number, item in enumerate(items, 1):
        line, problem = parse_item(item, number)
        if line is not None:
            lines.append(line)
        if problem is not None:
            problems.append(problem)
    return lines, _with_duplicates_refused(lines, problems)


def _with_duplicates_refused(lines: List[BatchLine], problems: List[LineProblem]) -> List[LineProblem]:
    """Two lines may not share an id (it names their files); case alone does not tell files apart everywhere."""
    seen: Dict[str, BatchLine] = {}
    for line in list(lines):
        first = seen.setdefault(line.id.casefold(), line)
        if first is not line:
            problems.append(LineProblem(line.number, line.id, [_issue(
                "id", line.id, f"is already the id of line {first.number}", "an id used by one line only",
                "give each line its own id (ids name the saved files)")]))
            lines.remove(line)
    problems.sort(key=lambda problem: problem.number)
    return problems


def _from_folder(book: Any, request: Dict[str, Any], mode: Optional[str], model: Optional[str],
                 skill: Optional[str], folder: Optional[Path]) -> Dict[str, Any]:
    """The request with relative local paths in its mode's file fields read from ``folder``."""
    if folder is None:
        return request
    from ..localfiles import is_local

    seen = {**request, "model": model} if model else request
    chosen = book.registry.mode(mode, skill) if mode else book.registry.detect_mode(seen, skill)

    def moved(value: Any) -> Any:
        if isinstance(value, str) and value and is_local(value) and not value.startswith("~") \
                and not Path(value).is_absolute():
            return str(folder / value)
        return value

    fixed = dict(request)
    for name in chosen.file_fields:
        if name in fixed:
            value = fixed[name]
            fixed[name] = [moved(item) for item in value] if isinstance(value, list) else moved(value)
    return fixed


def check_lines(book: Any, lines: List[BatchLine], *, mode: Optional[str] = None, model: Optional[str] = None,
                folder: Optional[Path] = None, problems: Optional[List[LineProblem]] = None) -> CheckedBatch:
    """Validate every line (no network): the ready ones, and every problem with its line number."""
    from ..localfiles import find_local_files, sha256_of

    valid: List[CheckedLine] = []
    found = list(problems or [])
    digests: Dict[str, str] = {}
    for line in lines:
        line_mode, line_model = line.mode or mode, line.model or model
        try:
            request = _from_folder(book, line.request, line_mode, line_model, book.skill, folder)
            prepared = book.prepare(request, line_mode, line_model)
            files: Dict[str, str] = {}
            for item in find_local_files(prepared.mode, prepared.request):
                key = str(item.path)
                if key not in digests:
                    digests[key] = sha256_of(item.path)
                files[key] = digests[key]
        except InvalidRequestError as exc:
            found.append(LineProblem(line.number, line.id, exc.issues or [_issue("request", None, exc.message,
                                                                                   None, None)]))
            continue
        except ConfigError as exc:
            found.append(LineProblem(line.number, line.id, [_issue("set-up", None, exc.message, None, None)], True))
            continue
        except (QwenSkillsError, OSError) as exc:
            found.append(LineProblem(line.number, line.id, [_issue("request", None, str(exc), None, None)]))
            continue
        valid.append(CheckedLine(line, prepared, files, fingerprint(line, files, mode, model)))
    found.sort(key=lambda problem: problem.number)
    return CheckedBatch(valid, found)


def fingerprint(line: BatchLine, files: Mapping[str, str], mode: Optional[str], model: Optional[str]) -> str:
    """What makes a line the same job on a rerun: its text, the batch's defaults and its files' content."""
    canonical = json.dumps({"line": line.raw if line.raw is not None else line.request, "mode": mode,
                            "model": model, "files": sorted(files.values())},
                           sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:16]


def problems_text(problems: List[LineProblem], total: int, skipped: bool = False) -> str:
    """Every problem under one heading: what a person needs to fix the file in one go."""
    head = (f"{len(problems)} of {total} line{'s' if total != 1 else ''} "
            f"{'are' if len(problems) != 1 else 'is'} invalid")
    head += " and skipped (--skip-invalid):" if skipped else "; nothing was sent:"
    return "\n".join([head] + [f"  {problem.text()}" for problem in problems])
