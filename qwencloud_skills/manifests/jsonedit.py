"""Set or delete one member of a JSON document in place, leaving every other byte of the text as it was.

Agents keep their MCP servers in JSON files that also hold the user's other
settings (``~/.claude.json`` has hundreds of lines). Re-serialising the whole
document would reformat numbers, escapes and line breaks the user chose; so
we locate the member's span in the text and splice only that span, indenting
what we insert like its neighbours. Only valid JSON is edited: :func:`parse`
first, and it names the line and column of the first error.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from json.decoder import scanstring  # type: ignore[attr-defined]
from typing import Any, List, Optional, Sequence

_WS = " \t\n\r"
_DECODER = json.JSONDecoder()
MISSING = object()


class JsonEditError(ValueError):
    """The text is not JSON we can edit; the message says where and why."""


@dataclass
class _Member:
    key: str
    key_start: int
    value_start: int
    value_end: int


@dataclass
class _Object:
    start: int  # offset of "{"
    end: int  # offset just after "}"
    members: List[_Member]

    def find(self, key: str) -> Optional[int]:
        """Index of the last member named ``key`` (the one json.loads keeps)."""
        found = None
        for index, member in enumerate(self.members):
            if member.key == key:
                found = index
        return found


def parse(text: str) -> Any:
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise JsonEditError(f"{exc.msg} at line {exc.lineno}, column {exc.colno}") from None


def lookup(document: Any, path: Sequence[str]) -> Any:
    """The value at ``path``, or :data:`MISSING`."""
    for key in path:
        if not isinstance(document, dict) or key not in document:
            return MISSING
        document = document[key]
    return document


def set_member(text: str, path: Sequence[str], value: Any) -> str:
    """``text`` with the member at ``path`` set to ``value``, creating the objects on the way."""
    obj = _root(text)
    style = _Style.of(text, obj)
    for depth, key in enumerate(path):
        index = obj.find(key)
        if index is None:
            nested = value
            for inner in reversed(path[depth + 1:]):
                nested = {inner: nested}
            return _insert(text, obj, key, nested, style)
        member = obj.members[index]
        if depth == len(path) - 1:
            rendered = style.render(value, _indent_before(text, obj, index))
            return text[:member.value_start] + rendered + text[member.value_end:]
        if text[member.value_start] != "{":
            raise JsonEditError(f'"{".".join(path[:depth + 1])}" is not an object')
        obj = _object_at(text, member.value_start)
    raise JsonEditError("an empty path names no member")


def delete_member(text: str, path: Sequence[str]) -> str:
    """``text`` without the member at ``path``; objects it leaves empty go too (the top level stays)."""
    text = _delete(text, path)
    for depth in range(len(path) - 1, 0, -1):
        if lookup(parse(text), path[:depth]) != {}:
            break
        text = _delete(text, path[:depth])
    return text


def _delete(text: str, path: Sequence[str]) -> str:
    obj = _root(text)
    for depth, key in enumerate(path):
        index = obj.find(key)
        if index is None:
            return text
        if depth == len(path) - 1:
            return _remove(text, obj, index)
        value_start = obj.members[index].value_start
        if text[value_start] != "{":
            return text
        obj = _object_at(text, value_start)
    return text


def _skip(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in _WS:
        pos += 1
    return pos


def _root(text: str) -> _Object:
    parse(text)
    start = _skip(text, 0)
    if start >= len(text) or text[start] != "{":
        raise JsonEditError("the top level is not an object")
    return _object_at(text, start)


def _object_at(text: str, start: int) -> _Object:
    """The members of the (valid) object whose "{" is at ``start``, with their offsets."""
    members: List[_Member] = []
    pos = _skip(text, start + 1)
    if text[pos] == "}":
        return _Object(start, pos + 1, members)
    while True:
        key_start = pos
        key, pos = scanstring(text, pos + 1)
        value_start = _skip(text, _skip(text, pos) + 1)  # past the ":"
        _, value_end = _DECODER.raw_decode(text, value_start)
        members.append(_Member(key, key_start, value_start, value_end))
        pos = _skip(text, value_end)
        if text[pos] == "}":
            return _Object(start, pos + 1, members)
        pos = _skip(text, pos + 1)  # past the ","


def _indent_before(text: str, obj: _Object, index: int) -> Optional[str]:
    """The indentation of member ``index``'s line, or None when it shares its line with what precedes it."""
    previous = obj.members[index - 1].value_end if index else obj.start + 1
    gap = text[previous:obj.members[index].key_start]
    return gap.rsplit("\n", 1)[1] if "\n" in gap else None


def _line_indent(text: str, pos: int) -> str:
    start = text.rfind("\n", 0, pos) + 1
    end = start
    while end < pos and text[end] in " \t":
        end += 1
    return text[start:end]


@dataclass
class _Style:
    """How the file lays out its objects: its newline and indentation unit (None: all on one line)."""

    newline: str
    unit: Optional[str]

    @classmethod
    def of(cls, text: str, root: _Object) -> _Style:
        newline = "\r\n" if "\r\n" in text else "\n"
        if not root.members:
            return cls(newline, "  " if "\n" in text else None)
        first = _indent_before(text, root, 0)
        return cls(newline, (first or "  ") if first is not None else None)

    def render(self, value: Any, indent: Optional[str]) -> str:
        if self.unit is None or indent is None:
            return json.dumps(value, ensure_ascii=False)
        return json.dumps(value, indent=self.unit, ensure_ascii=False).replace("\n", self.newline + indent)


def _insert(text: str, obj: _Object, key: str, value: Any, style: _Style) -> str:
    """``text`` with ``"key": value`` added as the last member of ``obj``, laid out like its siblings."""
    name = json.dumps(key, ensure_ascii=False) + ": "
    if obj.members:
        last = obj.members[-1]
        if len(obj.members) > 1:
            separator = text[obj.members[-2].value_end:last.key_start]
        else:
            separator = "," + text[obj.start + 1:last.key_start]
        indent = separator.rsplit("\n", 1)[1] if "\n" in separator else None
        member = name + style.render(value, indent)
        return text[:last.value_end] + separator + member + text[last.value_end:]
    if style.unit is None:
        return text[:obj.start] + "{" + name + style.render(value, None) + "}" + text[obj.end:]
    base = _line_indent(text, obj.start)
    child = base + style.unit
    body = style.newline + child + name + style.render(value, child) + style.newline + base
    return text[:obj.start] + "{" + body + "}" + text[obj.end:]


def _remove(text: str, obj: _Object, index: int) -> str:
    """``text`` without member ``index``: exactly undoes :func:`_insert` of a last member."""
    members = obj.members
    if len(members) == 1:
        return text[:obj.start + 1] + text[obj.end - 1:]
    if index == len(members) - 1:
        return text[:members[index - 1].value_end] + text[members[index].value_end:]
    return text[:members[index].key_start] + text[members[index + 1].key_start:]
