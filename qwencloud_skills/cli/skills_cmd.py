"""`qwencloud-skills skills build|validate|install|uninstall`: Agent Skills manifests from the plugins.

build writes the committed skills/ tree (first-party plugins only, unless
--all-plugins); install writes the same manifests, built from every loaded
plugin, where an agent loads skills (and, with --mcp, registers the MCP
server in the agent's MCP configuration), after showing the plan and asking
first.
"""

from __future__ import annotations

import functools
import sys
from pathlib import Path
from typing import Any, Callable, List, Optional, Tuple

import click

from ..errors import EXIT_FAILED, EXIT_INVALID, QwenSkillsError
from ..manifests.agents import AGENTS


def _reporting(func: Callable[..., Any]) -> Callable[..., Any]:
    """Print our errors as one message with their exit code, even when run outside the main CLI."""

    @functools.wraps(func)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        try:
            return func(*args, **kwargs)
        except QwenSkillsError as exc:
            click.echo(f"Error: {exc}", err=True)
            raise click.exceptions.Exit(exc.exit_code) from None

    return wrapper


@click.group("skills", context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120})
def skills() -> None:
    """Agent Skills manifests (SKILL.md, references, launcher) generated from the plugins.

    \b
    build      regenerate skills/<domain>/<skill>/ (the committed tree)
    validate   check skill folders (frontmatter, TRIGGER clauses, links)
    install    copy skills where an agent loads them (claude, cursor, codex, gemini, opencode, qwen, generic);
               --mcp also registers the MCP server in the agent's MCP configuration
    uninstall  remove exactly what install wrote
    """


def _registry(all_plugins: bool) -> Any:
    from ..manifests.build import first_party_registry

    if not all_plugins:
        return first_party_registry()
    from ..plugins import get_registry

    return get_registry()


@skills.command("build")
@click.option("--out", default="skills", show_default=True, type=click.Path(file_okay=False, path_type=Path),
              help="Tree to write: <out>/<domain>/<skill>/.")
@click.option("--all-plugins", is_flag=True,
              help="Include third-party plugins (default: first-party only, which is what the repository commits).")
@click.option("--skill", "names", multiple=True, help="Only this skill (repeatable).")
@click.option("--check", is_flag=True, help="Write nothing; exit 1 if the tree differs from a fresh build.")
@_reporting
def build_cmd(out: Path, all_plugins: bool, names: Tuple[str, ...], check: bool) -> None:
    """Generate SKILL.md, references/ and the scripts/ launcher of every registered skill."""
    from ..manifests.build import build_all, differences, write_tree
    from ..manifests.validate import validate_skill

    built = build_all(_registry(all_plugins), names)
    if check:
        problems = differences(built, out)
        if problems:
            click.echo("\n".join(problems), err=True)
            click.echo(f"{out} is stale: run `qwencloud-skills skills build --out {out}`.", err=True)
            raise click.exceptions.Exit(EXIT_FAILED)
        click.echo(f"{out} is up to date ({len(built)} skill(s)).", err=True)
        return
    changed = write_tree(built, out, prune=not names)
    for item in built:
        problems = validate_skill(out / item.relpath)
        size = len(item.files["SKILL.md"].encode("utf-8"))
        click.echo(f"{out / item.relpath}: {len(item.files)} files, SKILL.md {size} bytes", err=True)
        if problems:
            click.echo("\n".join(f"  invalid: {problem}" for problem in problems), err=True)
            raise click.exceptions.Exit(EXIT_FAILED)
    click.echo(f"{len(changed)} file(s) changed.", err=True)


@skills.command("validate")
@click.argument("directory", default="skills", type=click.Path(path_type=Path))
@_reporting
def validate_cmd(directory: Path) -> None:
    """Check every skill folder under DIRECTORY (default: skills/); exit 1 on any problem."""
    from ..manifests.validate import validate_tree

    failed = False
    for folder, problems in validate_tree(directory).items():
        if problems:
            failed = True
            click.echo(f"{folder}: INVALID")
            click.echo("\n".join(f"  - {problem}" for problem in problems))
        else:
            click.echo(f"{folder}: ok")
    if failed:
        raise click.exceptions.Exit(EXIT_FAILED)


def _location(agent: str, project: Optional[Path], user: bool) -> Any:
    from ..manifests.agents import location

    if user and project is not None:
        raise click.UsageError("--project and --user exclude each other")
    return location(agent, project=project, user=user)


def _confirm(lines: List[str], kept: List[str], yes: bool, nothing: str, dry_run: bool = False) -> bool:
    for line in kept:
        click.echo(f"keep    {line}", err=True)
    if not lines:
        click.echo(nothing, err=True)
        return False
    click.echo("\n".join(lines), err=True)
    if dry_run:
        click.echo("Dry run: nothing changed.", err=True)
        return False
    if yes:
        return True
    if sys.stdin is not None and sys.stdin.isatty():
        return click.confirm("Apply these changes?", default=False, err=True)
    click.echo("Nothing changed: run again with --yes to apply these changes.", err=True)
    raise click.exceptions.Exit(EXIT_INVALID)


agent_option = click.option("--agent", type=click.Choice(sorted(AGENTS)), required=True,
                            help="claude: .claude/skills + CLAUDE.md; cursor: .cursor/skills + AGENTS.md; "
                                 "codex and generic: .agents/skills + AGENTS.md; gemini: .gemini/skills + GEMINI.md; "
                                 "opencode: .opencode/skills + AGENTS.md; qwen: .qwen/skills + QWEN.md.")
project_option = click.option("--project", type=click.Path(file_okay=False, path_type=Path), default=None,
                              help="Project folder (default: the current directory).")
user_option = click.option("--user", is_flag=True, help="Install for the user (home folder) instead of a project.")
yes_option = click.option("--yes", "-y", is_flag=True, help="Apply without asking.")
dry_run_option = click.option("--dry-run", is_flag=True, help="Show what would change, change nothing, exit 0.")


@skills.command("install")
@agent_option
@project_option
@user_option
@click.option("--skill", "names", multiple=True, help="Only this skill (repeatable; default: every registered skill).")
@click.option("--force", is_flag=True,
              help="Overwrite a skill folder, or an MCP server entry named qwencloud-skills, that qwencloud-skills "
                   "did not write.")
@click.option("--no-block", is_flag=True, help="Do not add the registry block to CLAUDE.md / AGENTS.md.")
@click.option("--mcp", "mcp", is_flag=True,
              help="Also register the MCP server (`qwencloud-skills mcp`) in the agent's MCP configuration: "
                   ".mcp.json (claude; --user: ~/.claude.json), .cursor/mcp.json, .codex/config.toml, "
                   ".gemini/settings.json, opencode.json (--user: ~/.config/opencode/), .qwen/settings.json.")
@dry_run_option
@yes_option
@_reporting
def install_cmd(agent: str, project: Optional[Path], user: bool, names: Tuple[str, ...], force: bool,
                no_block: bool, mcp: bool, dry_run: bool, yes: bool) -> None:
    """Install the skills of every loaded plugin where AGENT loads skills; asks before changing anything."""
    from ..manifests.build import build_all
    from ..manifests.install import plan_install, skill_sources
    from ..manifests.mcpconfig import server_command
    from ..plugins import get_host

    where = _location(agent, project, user)
    host = get_host()
    built = build_all(host.registry, names)
    plan = plan_install(where, built, skill_sources(host), force=force, notes=not no_block,
                        mcp_command=server_command() if mcp else None)
    names_text = ", ".join(item.skill.name for item in built)
    nothing = f"Already installed and up to date: {names_text}" + (
        f"; the MCP server is registered in {where.show(where.mcp_file)}." if mcp and where.mcp_file else ".")
    if not _confirm(plan.lines(), plan.kept, yes, nothing, dry_run):
        if mcp:
            _mcp_notes(where)
        return
    plan.apply()
    click.echo(f"Installed {names_text} into {where.show(where.skills_root)} for {agent}.", err=True)
    if plan.mcp:
        click.echo(f'Registered the MCP server "qwencloud-skills" in {where.show(plan.mcp.path)}.', err=True)
        _mcp_notes(where)


def _mcp_notes(where: Any) -> None:
    """What is still needed for the agent to start the server: its own step, and the optional MCP support."""
    import importlib.util

    hint = where.agent.mcp.hint if where.agent.mcp else ""
    if hint:
        click.echo(f"Note: {hint}.", err=True)
    if sys.version_info < (3, 10) or importlib.util.find_spec("mcp") is None:
        click.echo("Note: the server needs the optional MCP support (Python 3.10+): "
                   "pip install 'qwencloud-skills[mcp]'.", err=True)


@skills.command("uninstall")
@agent_option
@project_option
@user_option
@click.option("--skill", "names", multiple=True, help="Only this skill (repeatable; default: all we installed).")
@click.option("--mcp", "mcp", is_flag=True,
              help="Remove the MCP server entry (alone, or with the --skill ones). Without --skill or --mcp, "
                   "uninstall removes every skill and the entry.")
@dry_run_option
@yes_option
@_reporting
def uninstall_cmd(agent: str, project: Optional[Path], user: bool, names: Tuple[str, ...], mcp: bool,
                  dry_run: bool, yes: bool) -> None:
    """Remove the skills install wrote (and their registry lines, and our MCP server entry), nothing else."""
    from ..manifests.errors import InstallError
    from ..manifests.install import plan_uninstall

    where = _location(agent, project, user)
    if mcp and where.mcp_file is None:
        raise InstallError(f"{agent} has no MCP configuration file qwencloud-skills knows; there is no entry to remove")
    plan = plan_uninstall(where, names, skills=bool(names) or not mcp, mcp=mcp or not names, mcp_asked=mcp)
    if mcp and not names:
        nothing = f"No MCP server entry of qwencloud-skills in {where.show(where.mcp_file)}."
    else:
        nothing = f"No skills installed by qwencloud-skills in {where.show(where.skills_root)}."
    if not _confirm(plan.lines(), plan.kept, yes, nothing, dry_run):
        return
    plan.apply()
    click.echo("Uninstalled.", err=True)
