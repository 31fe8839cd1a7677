"""Helpers for the manifest tests: the repository root, tree snapshots, and running the `skills` commands."""

from __future__ import annotations

from pathlib import Path
from typing import Dict, List

from clirunner import Outcome, invoke

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "skills"
SKILL = "qwencloud-video-generation"
SKILL_DIR = COMMITTED / "video" / SKILL
# The first-party image skill is built and committed alongside.
IMAGE_SKILL = "qwencloud-image-generation"
IMAGE_SKILL_DIR = COMMITTED / "image" / IMAGE_SKILL


def video_of(built):
    """The video skill among built skills (the tree holds the image skill too)."""
    return next(item for item in built if item.skill.name == SKILL)


def snapshot(root: Path) -> Dict[str, bytes]:
    """Every file and folder under ``root``: files map to their bytes, folders to b"<dir>"."""
    found: Dict[str, bytes] = {}
    for path in sorted(root.rglob("*")):
        key = path.relative_to(root).as_posix()
        found[key] = path.read_bytes() if path.is_file() else b"<dir>"
    return found


def skills_cli(*args: str) -> Outcome:
    from qwencloud_skills.cli.skills_cmd import skills

    return invoke(skills, args, catch_exceptions=False)


def lines_of(result: Outcome) -> List[str]:
    return (result.output or "").splitlines()
