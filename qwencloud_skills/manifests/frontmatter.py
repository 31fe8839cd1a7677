"""SKILL.md frontmatter: write the small YAML subset we need, and read it back without a YAML library.

Values are plain scalars, quoted strings or one level of string mapping
(``metadata``), which covers the Agent Skills fields. Quoted strings are
written JSON-style, which is valid YAML, so ``TRIGGER when:`` colons are safe.
"""

from __future__ import annotations

import json
import re
from typing import Any, Dict, List, Mapping, Optional, Sequence, Tuple, Union

FENCE = "---"
_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._/-]*$")
_KEY = re.compile(r"^([A-Za-z][A-Za-z0-9_-]*):(?:\s+(.*))?$")

Value = Union[str, Mapping[str, str]]


class FrontmatterError(ValueError):
    """SKILL.md does not start with frontmatter we can read."""


def _scalar(value: str) -> str:
    return value if _PLAIN.match(value) else json.dumps(value, ensure_ascii=False)


def render(fields: Sequence[Tuple[str, Value]]) -> str:
    """The frontmatter block, fences included, ending with a newline."""
    lines = [FENCE]
    for key, value in fields:
        if isinstance(value, Mapping):
            lines.append(f"{key}:")
            lines.extend(f"  {sub}: {_scalar(str(item))}" for sub, item in value.items())
        else:
            lines.append(f"{key}: {_scalar(value)}")
    lines.append(FENCE)
    return "\n".join(lines) + "\n"


def _value(raw: str, line_no: int) -> str:
    raw = raw.strip()
    if raw.startswith('"'):
        try:
            value = json.loads(raw)
        except ValueError:
            raise FrontmatterError(f"line {line_no}: cannot read the double-quoted value {raw[:40]!r}") from None
        if not isinstance(value, str):
            raise FrontmatterError(f"line {line_no}: expected a string")
        return value
    if raw.startswith("'"):
        if len(raw) < 2 or not raw.endswith("'"):
            raise FrontmatterError(f"line {line_no}: unterminated single-quoted value")
        return raw[1:-1].replace("''", "'")
    if raw[:1] in ("|", ">", "[", "{", "&", "*", "!"):
        raise FrontmatterError(f"line {line_no}: block, flow and tagged YAML values are not supported here")
    return raw.split(" #", 1)[0].strip()


def split(text: str) -> Tuple[List[str], str]:
    """(frontmatter lines, body) of a SKILL.md text."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != FENCE:
        raise FrontmatterError("SKILL.md must start with a '---' line (YAML frontmatter)")
    for index in range(1, len(lines)):
        if lines[index].rstrip() == FENCE:
            return lines[1:index], "\n".join(lines[index + 1:])
    raise FrontmatterError("the frontmatter is not closed by a '---' line")


def parse(text: str) -> Tuple[Dict[str, Any], str]:
    """(fields, body): top-level keys map to strings, or to a dict of strings for nested mappings."""
    lines, body = split(text)
    fields: Dict[str, Any] = {}
    mapping: Optional[Dict[str, str]] = None  # the mapping an indented line belongs to
    for line_no, line in enumerate(lines, start=2):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        match = _KEY.match(line.strip())
        if match is None:
            raise FrontmatterError(f"line {line_no}: expected 'key: value', got {line.strip()[:60]!r}")
        key, raw = match.group(1), match.group(2)
        if line.startswith((" ", "\t")):
            if mapping is None:
                raise FrontmatterError(f"line {line_no}: indented line outside a mapping")
            mapping[key] = _value(raw or "", line_no)
            continue
        if key in fields:
            raise FrontmatterError(f"line {line_no}: key {key!r} appears twice")
        if raw is None or not raw.strip():
            mapping = {}
            fields[key] = mapping
        else:
            mapping = None
            fields[key] = _value(raw, line_no)
    return fields, body
