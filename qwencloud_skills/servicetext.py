"""Text written by the service is data: show it so it can neither steer a terminal nor an agent.

Agents act on tags at the start of a stderr line (``[ACTION_REQUIRED]``,
``[UPDATE_AVAILABLE]``); terminals act on escape sequences. A message from the
service (or from anyone answering in its place) could carry either. Here such
text loses its escape sequences and control characters (C0, C1, DEL, bidi
overrides, zero-width and other format characters), every known key is masked,
and each of its lines is shown behind a fixed prefix, so no line it wrote can
start with a tag.
"""

from __future__ import annotations

import re
from typing import Any, Dict, List, Optional

PREFIX = "  service: "
MAX_CHARS = 2000  # longer service text is cut (after cleaning and masking)
MAX_INLINE = 120  # codes, request ids, statuses: one short line

# ESC/C1 sequences: CSI (ESC [ or 0x9b ... final byte), OSC/DCS/SOS/PM/APC strings (up to BEL or ST),
# then any other two-character ESC sequence.
_ESCAPES = re.compile(
    r"(?:\x1b\[|\x9b)[0-?]*[ -/]*[@-~]?"
    r"|(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"
    r"|\x1b[ -/]*[0-~]?"
)
_BREAKS = re.compile(r"\r\n|[\r\n\x0b\x0c\x1c-\x1e\x85\u2028\u2029]")


def _table() -> Dict[int, Optional[str]]:
    """str.translate table for the common offenders: C0/C1 controls, DEL, bidi and zero-width
    characters dropped; tabs and odd spaces turned into plain spaces."""
    drop = [*range(0x00, 0x20), *range(0x7F, 0xA0), 0x00AD, 0x061C, 0x180E, *range(0x200B, 0x2010),
            *range(0x202A, 0x202F), *range(0x2060, 0x2070), 0xFEFF]
    table: Dict[int, Optional[str]] = {code: None for code in drop if code != 0x0A}
    for code in (0x09, 0xA0, 0x1680, *range(0x2000, 0x200B), 0x202F, 0x205F, 0x3000):
        table[code] = " "
    return table


_TABLE = _table()


def _char(ch: str) -> str:
    """What is left of one character str.isprintable() refuses: a line break, a space, or nothing."""
    import unicodedata

    if ch == "\n":
        return ch
    return " " if unicodedata.category(ch) == "Zs" else ""  # Cc, Cf (e.g. tag characters), Cs, Co, Cn


def clean(text: Any) -> str:
    """``text`` without escape sequences or control characters, line breaks as ``\\n``, keys masked."""
    from .secrets import known_secrets, redact

    text = "" if text is None else str(text)
    text = _ESCAPES.sub("", text)
    text = _BREAKS.sub("\n", text).translate(_TABLE)
    if not text.replace("\n", "").isprintable():
        text = "".join(ch if ch.isprintable() else _char(ch) for ch in text)
    return redact(text, known_secrets())


def inline(text: Any, limit: int = MAX_INLINE) -> Optional[str]:
    """A short one-line form for codes, ids and statuses; None for empty input."""
    if text is None:
        return None
    flat = " ".join(clean(text).split())
    if not flat:
        return None
    return flat if len(flat) <= limit else flat[:limit] + "..."


def lines(text: Any, limit: int = MAX_CHARS) -> List[str]:
    """The non-blank lines of the cleaned text, cut to ``limit`` characters in all."""
    cleaned = clean(text)
    if len(cleaned) > limit:
        cleaned = cleaned[:limit] + " ... (cut)"
    return [line.rstrip() for line in cleaned.split("\n") if line.strip()]


def render(text: Any, prefix: str = PREFIX, limit: int = MAX_CHARS) -> str:
    """The cleaned text as lines each starting with ``prefix`` (empty string for empty text)."""
    return "\n".join(prefix + line for line in lines(text, limit))
