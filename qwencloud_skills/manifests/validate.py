"""Check skill folders against the Agent Skills rules plus ours (TRIGGER clauses, working links).

`skills validate` runs this on the generated tree; the tests also run the
reference validator from the ``skills-ref`` package on the same folders.
"""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path
from typing import Dict, List

from . import frontmatter

MAX_NAME = 64
MAX_DESCRIPTION = 1024
MAX_COMPATIBILITY = 500
ALLOWED_FIELDS = ("name", "description", "license", "allowed-tools", "metadata", "compatibility")
TRIGGER = "TRIGGER when:"
NOT_TRIGGER = "DO NOT TRIGGER when:"
NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
LINK = re.compile(r"\[[^\]]*\]\(([^)\s]+)(?:\s+\"[^\"]*\")?\)")
FENCED = re.compile(r"(?ms)^(```|~~~).*?^\1")
EXTERNAL = re.compile(r"^([a-z][a-z0-9+.-]*:|#|/)", re.IGNORECASE)


def _name_problems(name: object, folder: Path) -> List[str]:
    if not isinstance(name, str) or not name.strip():
        return ["frontmatter 'name' must be a non-empty string"]
    problems = []
    if len(name) > MAX_NAME:
        problems.append(f"name {name!r} is longer than {MAX_NAME} characters")
    if not NAME.match(name):
        problems.append(f"name {name!r} must be lowercase letters and digits in words joined by single hyphens")
    if unicodedata.normalize("NFKC", folder.name) != name:
        problems.append(f"name {name!r} must equal the folder name {folder.name!r}")
    return problems


def _description_problems(description: object) -> List[str]:
    if not isinstance(description, str) or not description.strip():
        return ["frontmatter 'description' must be a non-empty string"]
    problems = []
    if len(description) > MAX_DESCRIPTION:
        problems.append(f"description has {len(description)} characters; at most {MAX_DESCRIPTION} are allowed")
    negative = description.find(NOT_TRIGGER)
    positive = description.replace(NOT_TRIGGER, "\0" * len(NOT_TRIGGER)).find(TRIGGER)
    if positive < 0:
        problems.append(f"description must say when to use the skill ({TRIGGER!r})")
    if negative < 0:
        problems.append(f"description must say when not to use the skill ({NOT_TRIGGER!r})")
    if 0 <= negative < positive:
        problems.append(f"{TRIGGER!r} must come before {NOT_TRIGGER!r}")
    return problems


def _field_problems(fields: Dict[str, object]) -> List[str]:
    problems = [f"frontmatter field {key!r} is not part of the Agent Skills spec (allowed: {', '.join(ALLOWED_FIELDS)})"
                for key in fields if key not in ALLOWED_FIELDS]
    compatibility = fields.get("compatibility")
    if compatibility is not None and (not isinstance(compatibility, str) or len(compatibility) > MAX_COMPATIBILITY):
        problems.append(f"compatibility must be a string of at most {MAX_COMPATIBILITY} characters")
    metadata = fields.get("metadata")
    if metadata is not None and not isinstance(metadata, dict):
        problems.append("metadata must be a mapping of strings")
    return problems


def link_problems(page: Path, skill_dir: Path) -> List[str]:
    """Relative links of a markdown page that do not lead to a file inside the skill folder."""
    text = FENCED.sub("", page.read_text(encoding="utf-8"))
    problems = []
    for target in LINK.findall(text):
        if EXTERNAL.match(target):
            continue
        path = target.split("#", 1)[0]
        resolved = (page.parent / path).resolve()
        where = page.relative_to(skill_dir).as_posix()
        if skill_dir.resolve() not in resolved.parents:
            problems.append(f"{where}: link {target!r} leaves the skill folder")
        elif not resolved.exists():
            problems.append(f"{where}: link {target!r} points to a missing file")
    return problems


def validate_skill(skill_dir: Path) -> List[str]:
    """Every problem of one skill folder; an empty list means valid."""
    skill_dir = Path(skill_dir)
    manifest = skill_dir / "SKILL.md"
    if not manifest.is_file():
        return ["missing required file SKILL.md"]
    try:
        fields, _ = frontmatter.parse(manifest.read_text(encoding="utf-8"))
    except (frontmatter.FrontmatterError, UnicodeDecodeError) as exc:
        return [f"SKILL.md: {exc}"]
    problems = _field_problems(fields)
    problems += _name_problems(fields.get("name"), skill_dir)
    problems += _description_problems(fields.get("description"))
    metadata = fields.get("metadata") if isinstance(fields.get("metadata"), dict) else {}
    script = metadata.get("script")
    if script and not (skill_dir / script).is_file():
        problems.append(f"metadata names the script {script!r}, which is missing")
    for page in sorted(skill_dir.rglob("*.md")):
        problems += link_problems(page, skill_dir)
    return problems


def find_skills(root: Path) -> List[Path]:
    """``root`` itself when it holds SKILL.md, else every folder below it that does."""
    root = Path(root)
    if (root / "SKILL.md").is_file():
        return [root]
    return sorted(path.parent for path in root.rglob("SKILL.md"))


def validate_tree(root: Path) -> Dict[Path, List[str]]:
    """``{skill folder: problems}`` for every skill under ``root`` (no skill at all is itself a problem)."""
    found = find_skills(root)
    if not found:
        return {Path(root): [f"no SKILL.md found under {root}"]}
    return {folder: validate_skill(folder) for folder in found}
