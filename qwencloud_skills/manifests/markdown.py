"""Small markdown builders shared by the SKILL.md and reference renderers."""

from __future__ import annotations

from typing import Iterable, Sequence


def cell(text: object) -> str:
    """One table cell: single line, pipes escaped."""
    return " ".join(str(text).split()).replace("|", "\\|")


def code(text: str) -> str:
    return f"`{text}`"


def table(headers: Sequence[str], rows: Iterable[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join(" --- " for _ in headers) + "|"]
    lines.extend("| " + " | ".join(cell(value) for value in row) + " |" for row in rows)
    return "\n".join(lines)


def bash(command: str) -> str:
    return f"```bash\n{command}\n```"


def join_blocks(*blocks: str) -> str:
    """Blocks separated by one blank line, ending with exactly one newline."""
    return "\n\n".join(block.strip("\n") for block in blocks if block and block.strip()) + "\n"
