"""Where each agent loads skills from, which notes file carries our registry block, and where it lists MCP servers.

Project scope is relative to the project folder, user scope to the home
folder. ``notes`` is None where the agent has no notes file we can rely on;
``mcp`` is None where it has no MCP configuration file we know. Every place
here is the one the agent's own documentation names (see the README).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple

LOCK_NAME = "skills-lock.json"


@dataclass(frozen=True)
class McpConfig:
    """An agent's MCP server list: its shape (a style of :mod:`.mcpconfig`) and the files that may hold it.

    The first file that exists is edited; when none does, the first is created.
    """

    style: str
    project: Tuple[str, ...]
    user: Tuple[str, ...]
    hint: str = ""  # what the user must still do for the agent to start the server


@dataclass(frozen=True)
class Agent:
    name: str
    skills: str  # skills folder, relative to the project (and to home for --user)
    notes: str  # notes file for the registry block, relative to the project
    user_skills: str
    user_notes: Optional[str]
    mcp: Optional[McpConfig] = None


_RESTART = "restart the agent to load it"
AGENTS: Dict[str, Agent] = {
    agent.name: agent
    for agent in (
        Agent("claude", ".claude/skills", "CLAUDE.md", ".claude/skills", ".claude/CLAUDE.md",
              McpConfig("mcpServers", (".mcp.json",), (".claude.json",),
                        "Claude Code asks once before it starts a server from a project's .mcp.json")),
        Agent("cursor", ".cursor/skills", "AGENTS.md", ".cursor/skills", None,
              McpConfig("mcpServers", (".cursor/mcp.json",), (".cursor/mcp.json",),
                        "switch the server on in Cursor's MCP settings if it is off")),
        Agent("codex", ".agents/skills", "AGENTS.md", ".agents/skills", ".codex/AGENTS.md",
              McpConfig("codex", (".codex/config.toml",), (".codex/config.toml",),
                        "Codex reads a project's .codex/config.toml only once the project is trusted")),
        Agent("gemini", ".gemini/skills", "GEMINI.md", ".gemini/skills", ".gemini/GEMINI.md",
              McpConfig("mcpServers", (".gemini/settings.json",), (".gemini/settings.json",), _RESTART)),
        Agent("opencode", ".opencode/skills", "AGENTS.md", ".config/opencode/skills", ".config/opencode/AGENTS.md",
              McpConfig("opencode", ("opencode.json", "opencode.jsonc", ".opencode/opencode.json",
                                     ".opencode/opencode.jsonc"),
                        (".config/opencode/opencode.json", ".config/opencode/opencode.jsonc"), _RESTART)),
        Agent("qwen", ".qwen/skills", "QWEN.md", ".qwen/skills", ".qwen/QWEN.md",
              McpConfig("mcpServers", (".qwen/settings.json",), (".qwen/settings.json",), _RESTART)),
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
    def mcp_file(self) -> Optional[Path]:
        """The agent's MCP configuration file here (the first that exists, else the one to create); None if none."""
        config = self.agent.mcp
        if config is None:
            return None
        candidates = [self.base / name for name in (config.user if self.user else config.project)]
        return next((path for path in candidates if path.is_file()), candidates[0])

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
