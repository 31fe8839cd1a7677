"""What every renderer needs to know about one skill, computed once from the registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import List, Tuple

from ..registry import Mode, Registry, Skill
from .errors import BuildError
from .shim import script_name

DOC_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Host-written references; a skill doc with one of these names is appended to that page.
HOST_PAGES = ("request-fields", "models", "examples", "polling", "cli")


@dataclass(frozen=True)
class Doc:
    """A page of skill-specific guidance from ``Skill.docs``."""

    name: str
    title: str
    summary: str
    text: str

    @property
    def path(self) -> str:
        return f"references/{self.name}.md"


@dataclass(frozen=True)
class SkillContext:
    skill: Skill
    modes: Tuple[Mode, ...]

    @property
    def title(self) -> str:
        return self.skill.title or self.skill.name

    @property
    def cli(self) -> str:
        """How people call the skill's CLI."""
        return self.skill.cli_name or f"qwencloud-skills {self.skill.domain}"

    @property
    def script(self) -> str:
        return "scripts/" + script_name(self.skill.cli_name)

    @property
    def runner(self) -> str:
        """How agents call the skill: the shim by absolute path."""
        return f"python3 <skill-dir>/{self.script}"

    @property
    def by_priority(self) -> List[Mode]:
        """Modes as detection tries them: highest priority first, registration order among equals."""
        return sorted(self.modes, key=lambda mode: -mode.detection.priority)

    @property
    def relpath(self) -> str:
        return f"{self.skill.domain}/{self.skill.name}"

    def docs(self) -> List[Doc]:
        found = []
        for name, text in self.skill.docs.items():
            if not DOC_NAME.match(name):
                raise BuildError(f"skill {self.skill.name}: doc name {name!r} must be lowercase words joined by '-'")
            found.append(_doc(name, text))
        return found

    def page_docs(self) -> List[Doc]:
        """Docs that become pages of their own (the rest extend a host page)."""
        return [doc for doc in self.docs() if doc.name not in HOST_PAGES]

    def extra_for(self, page: str) -> str:
        for doc in self.docs():
            if doc.name == page:
                return doc.text
        return ""


def context_for(registry: Registry, skill: Skill) -> SkillContext:
    return SkillContext(skill, tuple(registry.modes_of(skill.name)))


def _doc(name: str, text: str) -> Doc:
    """Title from the first '# ' heading, summary from the first paragraph after it."""
    title, summary, paragraph = name.replace("-", " ").capitalize(), "", []
    lines = text.strip().splitlines()
    start = 0
    if lines and lines[0].startswith("# "):
        title, start = lines[0][2:].strip(), 1
    for line in lines[start:]:
        if line.strip():
            if line.startswith("#"):
                break
            paragraph.append(line.strip())
        elif paragraph:
            break
    summary = " ".join(paragraph)
    return Doc(name, title, summary, text.strip() + "\n")
