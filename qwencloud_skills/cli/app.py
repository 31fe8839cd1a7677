"""The root command group (host commands load lazily, skill groups from plugins) and ``main``.

Error handling and warning display live in :mod:`.runner`, shared with every skill's own
console script (:mod:`.generated` imports it, not this module: no import cycle).
"""

from __future__ import annotations

from typing import Any, List, Optional

import click

from .. import __version__
from .runner import install_warning_display, run, show_warning

__all__ = ["HOST_COMMANDS", "LazyGroup", "cli", "install_warning_display", "main", "run", "show_warning"]

HOST_COMMANDS = {
    "plugins": ("qwencloud_skills.cli.plugins_cmd", "plugins"),
    "doctor": ("qwencloud_skills.cli.doctor", "doctor"),
    "emulator": ("qwencloud_skills.cli.emulator_cmd", "emulator"),
    "demo": ("qwencloud_skills.cli.demo", "demo"),
    "tasks": ("qwencloud_skills.cli.tasks_cmd", "all_tasks"),
    "update-check": ("qwencloud_skills.cli.update_check", "update_check"),
    "skills": ("qwencloud_skills.cli.skills_cmd", "skills"),
    "media": ("qwencloud_skills.mediaops.cli", "media"),
    "workflow": ("qwencloud_skills.workflows.cli", "all_workflows"),
    "mcp": ("qwencloud_skills.cli.mcp_cmd", "mcp"),
}


class LazyGroup(click.Group):
    """Imports a host command's module only when that command runs (fast start-up)."""

    def __init__(self, *args: Any, lazy: Optional[dict] = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.lazy = dict(lazy or {})
        self._extras_loaded = False

    def _load_extras(self) -> None:
        """Skill groups and plugin commands: they need the plugin registry."""
        if self._extras_loaded:
            return
        self._extras_loaded = True
        from ..plugins import get_host
        from .generated import skill_group

        host = get_host()
        for skill in host.registry.skills.values():
            if skill.domain not in self.commands and skill.domain not in self.lazy:
                group = skill_group(skill.name, domain=skill.domain)
                group.short_help = skill.title or skill.name
                self.add_command(group, name=skill.domain)
        host.call_register_commands(self)

    def list_commands(self, ctx: click.Context) -> List[str]:
        self._load_extras()
        return sorted(set(super().list_commands(ctx)) | set(self.lazy))

    def get_command(self, ctx: click.Context, name: str) -> Optional[click.Command]:
        if name in self.lazy and name not in self.commands:
            import importlib

            module, attr = self.lazy[name]
            self.add_command(getattr(importlib.import_module(module), attr), name=name)
        command = super().get_command(ctx, name)
        if command is None:
            self._load_extras()
            command = super().get_command(ctx, name)
        return command


@click.group(cls=LazyGroup, lazy=HOST_COMMANDS, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="qwencloud-skills")
def cli() -> None:
    """qwencloud-skills: the host for DashScope (Wan) skills and their plugins.

    Every installed skill adds a command group (`qwencloud-skills DOMAIN ...`).
    Exit codes: 0 done, 1 failed or service error, 2 still running, 3 invalid input
    or usage, 4 configuration (key/region), 5 submit outcome unknown, 130 interrupted
    (Ctrl-C or SIGTERM), 137 killed (see `tasks list`).
    """


def main(args: Optional[List[str]] = None) -> None:
    import sys

    from . import quickhelp

    argv = sys.argv[1:] if args is None else list(args)
    quickhelp.serve_cached("qwencloud-skills", argv)  # for callers other than entry.py
    run(quickhelp.help_first(cli, "qwencloud-skills", argv), args, prog_name="qwencloud-skills")  # built once
