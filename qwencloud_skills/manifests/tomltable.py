"""Find, write and remove one ``[table]`` of a TOML file as lines of text, leaving every other line as it was.

Codex keeps MCP servers as ``[mcp_servers.<name>]`` tables in config.toml,
next to the user's other settings and comments. The standard library reads
TOML (tomllib, 3.11+) but cannot write it, and a round trip through a parser
would drop the comments; so this module scans the text just far enough to
know where each table header and each key line is (it steps over strings,
multi-line strings and multi-line arrays) and edits whole lines. On Python
3.11+ (or with tomli installed) every input and result is also read with a
real parser (:func:`full_parse`); without one, the scan is the only check.
"""

from __future__ import annotations

import importlib
import json
from dataclasses import dataclass, field
from typing import Any, Dict, List, Optional, Sequence, Tuple

Path_ = Tuple[str, ...]
_BARE = set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_-")


class TomlEditError(ValueError):
    """The text is not TOML we can edit; the message says where and why."""


@dataclass
class Header:
    line: int
    path: Path_
    array: bool


@dataclass
class KeyLine:
    first: int  # first and last line of ``key = value`` (a value may span lines)
    last: int
    table: Path_  # the table it is in
    key: Path_
    value: str  # the value's text, without a trailing comment

    @property
    def full(self) -> Path_:
        return self.table + self.key


@dataclass
class Scan:
    lines: List[str]  # with their line endings
    headers: List[Header] = field(default_factory=list)
    keys: List[KeyLine] = field(default_factory=list)

    def section_end(self, header: Header) -> int:
        """The line after ``header``'s table: the next header's line, or the end of the file."""
        later = [other.line for other in self.headers if other.line > header.line]
        return min(later) if later else len(self.lines)


def full_parse(text: str) -> Optional[Dict[str, Any]]:
    """The document as a real TOML parser reads it; None when none is available (Python < 3.11, no tomli)."""
    for name in ("tomllib", "tomli"):
        try:
            module = importlib.import_module(name)
        except ImportError:
            continue
        try:
            return module.loads(text)
        except module.TOMLDecodeError as exc:
            raise TomlEditError(str(exc)) from None
    return None


def scan(text: str) -> Scan:
    """Headers and key lines of ``text``; raises :class:`TomlEditError` naming the line of anything it cannot read."""
    result = Scan(text.splitlines(keepends=True))
    table: Path_ = ()
    pos, line = 0, 0
    while pos < len(text):
        pos = _skip_blank(text, pos)
        if pos >= len(text):
            break
        char = text[pos]
        if char in "\r\n":
            pos, line = _next_line(text, pos), line + 1
            continue
        if char == "#":
            pos = _line_end(text, pos)
            continue
        if char == "[":
            array = text.startswith("[[", pos)
            path, pos = _key(text, pos + (2 if array else 1), line, "]")
            closing = "]]" if array else "]"
            if not text.startswith(closing, pos):
                raise TomlEditError(f"line {line + 1}: a table header must end with {closing}")
            pos = _after_value(text, pos + len(closing), line)
            result.headers.append(Header(line, path, array))
            table = path
            continue
        first = line
        key, pos = _key(text, pos, line, "=")
        if not text.startswith("=", pos):
            raise TomlEditError(f"line {line + 1}: expected `key = value`, a [table] header or a comment")
        start = _skip_blank(text, pos + 1)
        end, line = _value(text, start, line)
        result.keys.append(KeyLine(first, line, table, key, text[start:end].strip()))
        pos = _after_value(text, end, line)
    return result


def _skip_blank(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t":
        pos += 1
    return pos


def _line_end(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] not in "\r\n":
        pos += 1
    return pos


def _next_line(text: str, pos: int) -> int:
    return pos + (2 if text.startswith("\r\n", pos) else 1)


def _after_value(text: str, pos: int, line: int) -> int:
    """Past the rest of the line, which may hold only blanks and a comment."""
    pos = _skip_blank(text, pos)
    if pos < len(text) and text[pos] == "#":
        pos = _line_end(text, pos)
    if pos < len(text) and text[pos] not in "\r\n":
        raise TomlEditError(f"line {line + 1}: unexpected text after the value: {text[pos:_line_end(text, pos)]!r}")
    return pos


def _key(text: str, pos: int, line: int, stop: str) -> Tuple[Path_, int]:
    """A dotted key up to ``stop`` (not consumed): its parts, unquoted, and the offset of ``stop``."""
    parts: List[str] = []
    while True:
        pos = _skip_blank(text, pos)
        char = text[pos] if pos < len(text) else ""
        if char == '"':
            end = _string_end(text, pos, '"', line)
            parts.append(json.loads(text[pos:end]))
        elif char == "'":
            end = _string_end(text, pos, "'", line)
            parts.append(text[pos + 1:end - 1])
        else:
            end = pos
            while end < len(text) and text[end] in _BARE:
                end += 1
            if end == pos:
                raise TomlEditError(f"line {line + 1}: expected a key")
            parts.append(text[pos:end])
        pos = _skip_blank(text, end)
        if text.startswith(".", pos):
            pos += 1
            continue
        if not text.startswith(stop, pos):
            raise TomlEditError(f"line {line + 1}: expected {stop!r} after the key")
        return tuple(parts), pos


def _string_end(text: str, pos: int, quote: str, line: int) -> int:
    """Offset after the one-line string opened at ``pos``."""
    index = pos + 1
    while index < len(text) and text[index] not in "\r\n":
        if quote == '"' and text[index] == "\\":
            index += 2
            continue
        if text[index] == quote:
            return index + 1
        index += 1
    raise TomlEditError(f"line {line + 1}: a string is not closed on its line")


def _value(text: str, pos: int, line: int) -> Tuple[int, int]:
    """(offset after the value at ``pos``, line it ends on), stepping over strings and brackets."""
    depth = 0
    start_line = line
    if pos >= len(text) or text[pos] in "\r\n#":
        raise TomlEditError(f"line {line + 1}: a key has no value")
    while pos < len(text):
        char = text[pos]
        if text.startswith(('"""', "'''"), pos):
            quote = text[pos:pos + 3]
            end = text.find(quote, pos + 3)
            while quote == '"""' and end > 0 and _escaped(text, end):
                end = text.find(quote, end + 1)
            if end < 0:
                raise TomlEditError(f"line {line + 1}: a multi-line string is never closed")
            line += text.count("\n", pos, end)
            pos = end + 3
            while pos < len(text) and text[pos] == quote[0]:  # up to two quotes may end the content
                pos += 1
            continue
        if char in "\"'":
            pos = _string_end(text, pos, char, line)
            continue
        if char in "[{":
            depth += 1
        elif char in "]}":
            depth -= 1
            if depth < 0:
                raise TomlEditError(f"line {line + 1}: {char!r} closes nothing")
        elif char == "#":
            if depth == 0:
                return pos, line
            pos = _line_end(text, pos)
            continue
        elif char in "\r\n":
            if depth == 0:
                return pos, line
            pos, line = _next_line(text, pos), line + 1
            continue
        pos += 1
    if depth:
        raise TomlEditError(f"line {start_line + 1}: an array or inline table is never closed")
    return pos, line


def _escaped(text: str, index: int) -> bool:
    backslashes = 0
    while index - 1 - backslashes >= 0 and text[index - 1 - backslashes] == "\\":
        backslashes += 1
    return backslashes % 2 == 1


def simple_value(value: str) -> Any:
    """A string or array of strings from its TOML text, as far as JSON reads it; None otherwise."""
    if value.startswith("'") and value.endswith("'") and len(value) >= 2 and not value.startswith("'''"):
        return value[1:-1]
    try:
        return json.loads(value)
    except ValueError:
        return None


def render_table(path: Sequence[str], values: Dict[str, Any], newline: str) -> List[str]:
    """``[a.b]`` and one ``key = value`` line per entry (strings and lists of strings), each with ``newline``."""
    header = ".".join(part if part and set(part) <= _BARE else json.dumps(part) for part in path)
    lines = [f"[{header}]{newline}"]
    lines += [f"{key} = {json.dumps(value, ensure_ascii=False)}{newline}" for key, value in values.items()]
    return lines


def put_table(text: str, path: Path_, values: Dict[str, Any]) -> str:
    """``text`` with the table at ``path`` holding ``values`` first; its other keys and sub-tables stay."""
    found = scan(text)
    newline = "\r\n" if "\r\n" in text else "\n"
    mains = [header for header in found.headers if header.path == path and not header.array]
    table = render_table(path, values, newline)
    if not mains:
        lines = list(found.lines)
        if lines and not lines[-1].endswith(("\n", "\r")):
            lines[-1] += newline
        if any(line.strip() for line in lines):
            lines.append(newline)
        return "".join(lines + table)
    header = mains[0]
    end = found.section_end(header)
    replaced = {line for key in found.keys if key.table == path and len(key.key) == 1 and key.key[0] in values
                for line in range(key.first, key.last + 1)}
    kept = [found.lines[index] for index in range(header.line + 1, end) if index not in replaced]
    head = found.lines[header.line]
    if not head.endswith(("\n", "\r")):
        head += newline
    return "".join(found.lines[:header.line] + [head] + table[1:] + kept + found.lines[end:])


def remove_tables(text: str, path: Path_) -> str:
    """``text`` without the table at ``path`` and its sub-tables; undoes :func:`put_table`'s append exactly.

    Comments just before the next header belong to that header and stay, as does one blank line between
    the tables around the gap.
    """
    found = scan(text)
    lines = found.lines
    drop: set = set()
    for header in found.headers:
        if header.path[:len(path)] == path:
            drop.update(range(header.line, found.section_end(header)))
    if not drop:
        return text
    for first, end in _runs(sorted(drop)):
        if end < len(lines):  # a kept header follows: give it back the comments above it
            start = end
            while start > first + 1 and _is_trailing(lines[start - 1]):
                start -= 1
            comment = next((index for index in range(start, end) if lines[index].strip()), None)
            if comment is not None:
                drop.difference_update(range(comment, end))
        elif first > 0 and not lines[first - 1].strip():
            drop.add(first - 1)  # the blank line put_table added before an appended table
    return "".join(line for index, line in enumerate(lines) if index not in drop)


def _runs(indexes: List[int]) -> List[Tuple[int, int]]:
    """Contiguous runs of sorted line indexes, as (first, end) pairs."""
    runs: List[Tuple[int, int]] = []
    for index in indexes:
        if runs and runs[-1][1] == index:
            runs[-1] = (runs[-1][0], index + 1)
        else:
            runs.append((index, index + 1))
    return runs


def _is_trailing(line: str) -> bool:
    stripped = line.strip()
    return not stripped or stripped.startswith("#")
