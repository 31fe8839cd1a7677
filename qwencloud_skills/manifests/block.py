"""The registry block in CLAUDE.md / AGENTS.md, for agents that read notes but do not scan skill folders.

Everything between the two markers is ours and regenerated; the user's text
before and after it is never changed. Removing the block restores the file as
it was before the block was appended (and deletes a file we created that is
empty again).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Tuple

from .errors import InstallError

START = "<!-- QWENCLOUD_SKILLS -->"
END = "<!-- /QWENCLOUD_SKILLS -->"
CREATED = "<!-- qwencloud-skills created this file -->"
TRIGGER = "TRIGGER when:"
NOT_TRIGGER = "DO NOT TRIGGER when:"


@dataclass(frozen=True)
class Entry:
    name: str
    manifest: str  # path of SKILL.md as the reader should open it
    description: str


def short_description(description: str) -> str:
    """The first sentence and the TRIGGER clause: enough to route, short enough for a notes file."""
    head = description.split(NOT_TRIGGER, 1)[0]
    first = head.split(TRIGGER, 1)[0].strip().split(". ", 1)[0].rstrip(".") + "."
    trigger = head.split(TRIGGER, 1)[1].strip() if TRIGGER in head else ""
    return f"{first} Use it when: {trigger}" if trigger else first


def render(entries: List[Entry], created: bool, newline: str = "\n") -> str:
    """The block from START to END inclusive, without a trailing newline."""
    lines = [START]
    if created:
        lines.append(CREATED)
    lines += [
        "## QwenCloud skills",
        "",
        "Written by `qwencloud-skills skills install` and rewritten on every install and uninstall: edit outside "
        "these markers. When a task matches one of these skills, read its SKILL.md first and follow it.",
        "",
    ]
    lines += [f"- **{entry.name}** (`{entry.manifest}`): {short_description(entry.description)}"
              for entry in sorted(entries, key=lambda item: item.name)]
    lines.append(END)
    return newline.join(lines)


def find(text: str) -> Optional[Tuple[int, int]]:
    """(start, end) offsets of the block, END included; None when there is none."""
    start = text.find(START)
    if start < 0:
        if END in text:
            raise InstallError(f"the notes file has {END} without {START}; fix the markers by hand")
        return None
    end = text.find(END, start)
    if end < 0:
        raise InstallError(f"the notes file has {START} without {END}; fix the markers by hand")
    return start, end + len(END)


def was_created(text: str) -> bool:
    span = find(text)
    return bool(span) and CREATED in text[span[0]:span[1]]


def newline_of(text: str) -> str:
    return "\r\n" if "\r\n" in text else "\n"


def put(text: str, entries: List[Entry], created: bool = False) -> str:
    """``text`` with the block replaced, or appended after one newline; the rest stays byte-identical."""
    newline = newline_of(text)
    span = find(text)
    if span:
        block = render(entries, created or was_created(text), newline)
        return text[:span[0]] + block + text[span[1]:]
    block = render(entries, created, newline)
    return (text + newline if text else "") + block + newline


def remove(text: str) -> str:
    """``text`` without the block: exactly undoes :func:`put`'s append when nothing followed the block."""
    span = find(text)
    if not span:
        return text
    newline = newline_of(text)
    before, after = text[:span[0]], text[span[1]:]
    if after.startswith(newline):
        after = after[len(newline):]
    if not after and before.endswith(newline):
        before = before[: -len(newline)]
    return before + after
