"""Where each agent loads skills from, and which notes file carries our registry block.

Project scope is relative to the project folder, user scope to the home
folder. ``notes`` is None where the agent has no notes file we can rely on.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional

LOCK_NAME = "skills-lock.json"


@dataclass(frozen=True)
class Agent:
    name: str
    skills: str  # skills folder, relative to the project (and to home for --user)
    notes: str  # notes file for the registry block, relative to the project
    user_skills: str
    user_notes: Optional[str]


AGENTS: Dict[str, Agent] = {
    agent.name: agent
    for agent in (
        Agent("claude", ".claude/skills", "CLAUDE.md", ".claude/skills", ".claude/CLAUDE.md"),
        Agent("cursor", ".cursor/skills", "AGENTS.md", ".cursor/skills", None),
        Agent("codex", ".agents/skills", "AGENTS.md", ".agents/skills", ".codex/AGENTS.md"),
        Agent("generic", ".agents/skills", "AGENTS.md", ".agents/skills", None),
    )
}


@dataclass(frozen=True)
class Location:
    """One install target: an agent's skills folder in a project or in the home folder."""

    agent: Agent
    base: Path
    user: bool

    @property
    def skills_root(self) -> Path:
        return self.base / (self.agent.user_skills if self.user else self.agent.skills)

    @property
    def notes_file(self) -> Optional[Path]:
        relative = self.agent.user_notes if self.user else self.agent.notes
        return self.base / relative if relative else None

    @property
    def lock_file(self) -> Optional[Path]:
        """The project's skills-lock.json (the `npx skills` record); user installs have none."""
        return None if self.user else self.base / LOCK_NAME

    def show(self, path: Path) -> str:
        """``path`` as people read it: relative to the project, or ``~/...`` for the home folder."""
        relative = path.relative_to(self.base).as_posix()
        return f"~/{relative}" if self.user else relative


def location(agent: str, project: Optional[Path] = None, user: bool = False, home: Optional[Path] = None) -> Location:
    base = (home or Path.home()) if user else (project or Path.cwd())
    return Location(AGENTS[agent], Path(base).resolve(), user)
