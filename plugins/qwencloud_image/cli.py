"""The `qwencloud-image` console script: the host's generated CLI for this skill."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import List, Optional


SKILL_NAME = "qwencloud-image-generation"


def main(args: Optional[List[str]] = None) -> None:
    from qwencloud_skills.cli.entry import skill_main

    skill_main(SKILL_NAME, "qwencloud-image", args, domain="image")
