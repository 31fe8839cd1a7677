"""What every renderer needs to know about one skill, computed once from the registry."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, List, Optional, Tuple

from ..registry import Mode, Output, Registry, Skill
from .docs import REPLACE_MARKER
from .errors import BuildError
from .shim import script_name

DOC_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# Host-written references; a skill doc with one of these names extends (or, marked, replaces) that page.
HOST_PAGES = ("request-fields", "models", "examples", "polling", "local-files", "cli", "workflows", "merge-media",
              "execution-guide")
ASYNC_PAGES = ("polling",)  # written only for skills with at least one asynchronous mode
WORKFLOW_PAGES = ("workflows",)  # written only for skills with at least one workflow
MOVING_PAGES = ("merge-media",)  # written only for skills whose results play over time (clips to join, trim...)


@dataclass(frozen=True)
class Doc:
    """A page of skill-specific guidance from ``Skill.docs``."""

    name: str
    title: str
    summary: str
    text: str
    replaces: bool = False  # first line was the replace marker: the page stands instead of the host's

    @property
    def path(self) -> str:
        return f"references/{self.name}.md"


@dataclass(frozen=True)
class SkillContext:
    skill: Skill
    modes: Tuple[Mode, ...]
    # what each mode's jobs yield (Registry.output_of), in the order of ``modes``
    mode_outputs: Tuple[Output, ...] = ()
    workflows: Tuple[Any, ...] = ()  # the skill's registered workflows (qwencloud_skills.workflows.spec.Workflow)

    @property
    def outputs(self) -> List[Output]:
        """The distinct outputs of the skill's modes (the skill's own when it has no modes yet)."""
        return list(dict.fromkeys(self.mode_outputs or (self.skill.output,)))

    @property
    def asynchronous(self) -> bool:
        """Whether any mode submits and polls: only then do polling pages and options appear."""
        return any(output.asynchronous for output in self.outputs)

    @property
    def async_outputs(self) -> List[Output]:
        return [output for output in self.outputs if output.asynchronous]

    @property
    def host_pages(self) -> Tuple[str, ...]:
        """The host references this skill gets, in HOST_PAGES order."""
        moving = any(output.moving for output in self.outputs)
        return tuple(name for name in HOST_PAGES if (self.asynchronous or name not in ASYNC_PAGES)
                     and (self.workflows or name not in WORKFLOW_PAGES) and (moving or name not in MOVING_PAGES))

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
        """Docs that become pages of their own (the rest extend or replace a host page)."""
        return [doc for doc in self.docs() if doc.name not in self.host_pages]

    def extra_for(self, page: str) -> str:
        """The skill's text appended to the host page ``page`` ('' when none, or when it replaces the page)."""
        for doc in self.docs():
            if doc.name == page and not doc.replaces:
                return doc.text
        return ""

    def replacement_for(self, page: str) -> Optional[Doc]:
        """The skill's page standing instead of the host page ``page``, if it marked one so."""
        for doc in self.docs():
            if doc.name == page and doc.replaces:
                return doc
        return None


def context_for(registry: Registry, skill: Skill) -> SkillContext:
    modes = tuple(registry.modes_of(skill.name))
    return SkillContext(skill, modes, tuple(registry.output_of(mode) for mode in modes),
                        tuple(registry.workflows_of(skill.name)))


def _doc(name: str, text: str) -> Doc:
    """Title from the first '# ' heading, summary from the first paragraph after it."""
    title, summary, paragraph = name.replace("-", " ").capitalize(), "", []
    lines = text.strip().splitlines()
    replaces = bool(lines) and lines[0].strip() == REPLACE_MARKER
    if replaces:
        lines = lines[1:]
        text = "\n".join(lines)
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
    return Doc(name, title, summary, text.strip() + "\n", replaces)
