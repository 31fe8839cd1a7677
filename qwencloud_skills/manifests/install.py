"""Install generated skills where an agent loads them, and uninstall exactly what was installed.

Each installed skill folder holds the manifests, the shim and a small record
(``.qwencloud-skills-install.json``) listing the files written with their
hashes; uninstall removes those files only, and leaves any file the user
changed or added. With ``mcp``, install also registers our MCP server in the
agent's MCP configuration file (:mod:`.mcpconfig`), and uninstall takes that
one entry out again. Nothing touches the disk until :meth:`Plan.apply`, so
the CLI can show the plan and ask first.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Dict, List, Optional, Sequence, Tuple

from .. import __version__
from . import block, frontmatter, lockfile, mcpconfig
from .agents import AGENTS, Location
from .build import REGULAR, BuiltSkill, write_file
from .errors import InstallError

if TYPE_CHECKING:  # pragma: no cover
    from ..plugins import PluginHost

RECORD = ".qwencloud-skills-install.json"
INSTALLER = "qwencloud-skills"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def read_record(folder: Path) -> Optional[dict]:
    """The install record of a skill folder; None when the folder is not one of ours."""
    try:
        data = json.loads((folder / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("installer") != INSTALLER or not isinstance(data.get("files"), dict):
        return None
    return data


def installed(location: Location) -> Dict[str, dict]:
    """``{skill name: record}`` of every skill we installed at ``location``."""
    root = location.skills_root
    if not root.is_dir():
        return {}
    found = {}
    for folder in sorted(root.iterdir()):
        record = read_record(folder) if folder.is_dir() else None
        if record is not None:
            found[folder.name] = record
    return found


@dataclass
class Plan:
    """Every change an install or uninstall would make, applied only by :meth:`apply`."""

    location: Location
    writes: Dict[Path, Tuple[bytes, int]] = field(default_factory=dict)
    removals: List[Path] = field(default_factory=list)
    prune: List[Path] = field(default_factory=list)  # folders to remove once empty, deepest first
    kept: List[str] = field(default_factory=list)
    notes: Optional[Tuple[Path, Optional[str]]] = None  # (file, new text, or None to delete it)
    lock: Dict[str, Optional[str]] = field(default_factory=dict)  # skill -> source to record, None to drop
    mcp: Optional[mcpconfig.Change] = None  # the MCP configuration edit, if any

    def _changed_writes(self) -> List[Path]:
        return [path for path, (data, _) in self.writes.items() if not (path.is_file() and path.read_bytes() == data)]

    def lines(self) -> List[str]:
        """What would change, one line each, for people."""
        show = self.location.show
        lines = [f"write   {show(path)}" for path in self._changed_writes()]
        lines += [f"remove  {show(path)}" for path in self.removals if path.exists()]
        if self.notes:
            path, text = self.notes
            verb = "delete  " if text is None else ("update  " if path.exists() else "create  ")
            lines.append(f"{verb}{show(path)} (registry block)")
        lock = self.location.lock_file
        if lock is not None:
            lines += [f"{action:<7} {name} in {show(lock)}" for action, name in self._lock_changes()]
        if self.mcp:
            lines.append(_mcp_line(self.mcp, show(self.mcp.path)))
        return lines

    def _lock_changes(self) -> List[Tuple[str, str]]:
        """(action, skill) for lock entries that would change; a folder about to be rewritten always counts."""
        data = lockfile.read(self.location.lock_file) if self.location.lock_file and self.lock else None
        if data is None:
            return []
        pending = {path for path in self._changed_writes()}
        changes = []
        for name, source in sorted(self.lock.items()):
            current = data["skills"].get(name)
            folder = self.location.skills_root / name
            if source is None:
                if current is not None:
                    changes.append(("drop", name))
            elif (current is None or any(folder in path.parents for path in pending) or not folder.is_dir()
                  or current != lockfile.entry(source, folder)):
                changes.append(("record", name))
        return changes

    @property
    def empty(self) -> bool:
        return not self.lines()

    def apply(self) -> None:
        if self.mcp:
            _check_unchanged(self.mcp, self.location.show(self.mcp.path))
        for path, (data, mode) in self.writes.items():
            write_file(path, data, mode)
        for path in self.removals:
            if path.is_file():
                path.unlink()
        if self.notes:
            path, text = self.notes
            if text is None:
                if path.is_file():
                    path.unlink()
            else:
                write_file(path, text.encode("utf-8"), _mode_of(path))
        self._apply_lock()
        if self.mcp:
            if self.mcp.after is None:
                self.mcp.path.unlink()
            else:  # through a symlink (dotfiles kept elsewhere), not over it
                target = self.mcp.path.resolve() if self.mcp.path.is_symlink() else self.mcp.path
                write_file(target, self.mcp.after, _mode_of(target))
        for folder in self.prune:
            _remove_empty(folder)

    def _apply_lock(self) -> None:
        path = self.location.lock_file
        data = lockfile.read(path) if path and self.lock else None
        if data is None:
            return
        before = lockfile.render(data)
        for name, source in self.lock.items():
            if source is None:
                data["skills"].pop(name, None)
            else:
                data["skills"][name] = lockfile.entry(source, self.location.skills_root / name)
        after = lockfile.render(data)
        if after != before:
            write_file(path, after.encode("utf-8"), _mode_of(path))


def _mcp_line(change: mcpconfig.Change, shown: str) -> str:
    name = mcpconfig.SERVER_NAME
    if change.verb == "unregister":
        if change.after is None:
            return f'delete  {shown} (it held only MCP server "{name}")'
        return f'update  {shown} (remove MCP server "{name}")'
    verb = "create  " if change.before is None else "update  "
    return f"{verb}{shown} (MCP server: {change.entry})"


def _check_unchanged(change: mcpconfig.Change, shown: str) -> None:
    """Refuse to apply an MCP edit planned on a file that changed since (the user edited it while we asked)."""
    current = change.path.read_bytes() if change.path.exists() else None
    if current != change.before:
        raise mcpconfig.McpConfigError(f"{shown} changed while the plan was shown; nothing was changed: run again.")


def _mode_of(path: Path) -> int:
    return path.stat().st_mode & 0o777 if path.exists() else REGULAR


def _remove_empty(folder: Path) -> None:
    if folder.is_dir():
        for sub in sorted((p for p in folder.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            if not any(sub.iterdir()):
                sub.rmdir()
        if not any(folder.iterdir()):
            folder.rmdir()


def _read_text(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise InstallError(f"{path} is not UTF-8 text; the registry block cannot be maintained in it") from None


def _entry(location: Location, name: str, manifest: str) -> block.Entry:
    try:
        fields, _ = frontmatter.parse(manifest)
    except frontmatter.FrontmatterError:
        fields = {}
    description = fields.get("description") if isinstance(fields.get("description"), str) else ""
    return block.Entry(name, location.show(location.skills_root / name / "SKILL.md"), description)


def _disk_entry(location: Location, name: str) -> block.Entry:
    path = location.skills_root / name / "SKILL.md"
    return _entry(location, name, path.read_text(encoding="utf-8") if path.is_file() else "")


def _notes_change(location: Location, entries: List[block.Entry], add: bool) -> Optional[Tuple[Path, Optional[str]]]:
    """The notes file's new text: block updated if present, appended if ``add``, removed when no skill is left."""
    path = location.notes_file
    if path is None:
        return None
    exists = path.is_file()
    text = _read_text(path) if exists else ""
    has_block = block.find(text) is not None
    if entries and (has_block or add):
        new: Optional[str] = block.put(text, entries, created=not exists)
    elif has_block:
        new = block.remove(text)
        if new == "" and block.was_created(text):
            new = None
    else:
        return None
    return None if new == text else (path, new)


NotesChange = Optional[Tuple[Path, Optional[str]]]


def _created_dirs(location: Location, records: Sequence[dict], notes: NotesChange,
                  mcp: Optional[mcpconfig.Change] = None) -> List[str]:
    """Folders under the base that installs created (skills folder, notes and MCP files), for uninstall to remove."""
    created = {item for record in records for item in record.get("created_dirs", [])}
    starts = [location.skills_root]
    if notes is not None and notes[1] is not None and not notes[0].exists():
        starts.append(notes[0].parent)
    if mcp is not None and mcp.before is None:
        starts.append(mcp.path.parent)
    for folder in starts:
        while folder != location.base and location.base in folder.parents:
            if not folder.exists():
                created.add(folder.relative_to(location.base).as_posix())
            folder = folder.parent
    return sorted(created)


def plan_install(location: Location, built: Sequence[BuiltSkill], sources: Dict[str, str],
                 force: bool = False, notes: bool = True, mcp_command: Optional[Sequence[str]] = None) -> Plan:
    """The changes that install ``built`` at ``location`` (and register ``mcp_command`` as our MCP server);
    refuses to take over folders or a server entry it did not write."""
    plan = Plan(location)
    if mcp_command is not None:
        plan.mcp = _mcp_register(location, mcp_command, force)
    existing = installed(location)
    entries = {name: _disk_entry(location, name) for name in existing}
    for item in built:
        entries[item.skill.name] = _entry(location, item.skill.name, item.files.get("SKILL.md", ""))
    plan.notes = _notes_change(location, [entries[name] for name in sorted(entries)] + _sharing(location), add=notes)
    created = _created_dirs(location, list(existing.values()), plan.notes, plan.mcp)
    for item in built:
        name = item.skill.name
        folder = location.skills_root / name
        old = existing.get(name)
        if folder.exists() and old is None and not force and (not folder.is_dir() or any(folder.iterdir())):
            raise InstallError(
                f"{location.show(folder)} exists and was not installed by qwencloud-skills. Remove it, or pass "
                "--force to overwrite the files it has in common with the generated skill."
            )
        files = item.as_bytes()
        record = {
            "installer": INSTALLER,
            "installer_version": __version__,
            "skill": name,
            "source": sources.get(name, INSTALLER),
            "files": {path: sha256(data) for path, data in files.items()},
            "created_dirs": created,
        }
        for path, data in files.items():
            plan.writes[folder / path] = (data, item.mode_of(path))
        plan.writes[folder / RECORD] = (json.dumps(record, indent=2, sort_keys=True).encode("utf-8") + b"\n", REGULAR)
        for path, digest in sorted((old or {}).get("files", {}).items()):
            target = folder / path
            if path not in files and target.is_file() and sha256(target.read_bytes()) == digest:
                plan.removals.append(target)
        plan.prune += [folder / "references", folder / "scripts"]
        if location.lock_file is not None and location.lock_file.is_file():
            plan.lock[name] = record["source"]
    return plan


def plan_uninstall(location: Location, names: Optional[Sequence[str]] = None, skills: bool = True,
                   mcp: bool = False, mcp_asked: bool = False) -> Plan:
    """The changes that remove the named skills (default: all we installed here; none without ``skills``) and,
    with ``mcp``, our MCP server entry; nothing else. Unless ``mcp_asked``, a configuration file that cannot be
    read is reported and left alone instead of stopping the uninstall."""
    plan = Plan(location)
    existing = installed(location)
    if mcp:
        try:
            _plan_unregister(plan, existing)
        except mcpconfig.McpConfigError as exc:
            if mcp_asked:
                raise
            plan.kept.append(f"{exc.message.split('. Nothing', 1)[0]}; not checked for our MCP server entry")
    if not skills:
        return plan
    chosen = list(names) if names else list(existing)
    missing = [name for name in chosen if name not in existing]
    if missing:
        raise InstallError(
            f"not installed by qwencloud-skills in {location.show(location.skills_root)}: {', '.join(missing)}"
            + (f" (installed there: {', '.join(existing)})" if existing else "")
        )
    created: set = set()
    for name in chosen:
        record, folder = existing[name], location.skills_root / name
        for path, digest in sorted(record["files"].items()):
            target = folder / path
            if not target.is_file():
                continue
            if sha256(target.read_bytes()) == digest:
                plan.removals.append(target)
            else:
                plan.kept.append(f"{location.show(target)} was changed after install; left in place")
        plan.removals.append(folder / RECORD)
        plan.prune.append(folder)
        created.update(record.get("created_dirs", []))
        lock = location.lock_file
        data = lockfile.read(lock) if lock is not None else None
        if (data is not None and lockfile.is_ours(data["skills"].get(name), record.get("source", ""))
                and not _installed_elsewhere(location, name)):
            plan.lock[name] = None
    plan.prune += [location.base / item for item in sorted(created, key=lambda item: -item.count("/"))]
    remaining = [_disk_entry(location, name) for name in existing if name not in chosen] + _sharing(location)
    plan.notes = _notes_change(location, remaining, add=False)
    return plan


def _mcp_file(location: Location) -> Path:
    path = location.mcp_file
    if path is None:
        raise InstallError(
            f"{location.agent.name} has no MCP configuration file qwencloud-skills knows; register the server in the "
            f"agent by hand: command {json.dumps(mcpconfig.server_command())} (no environment needed)"
        )
    return path


def _mcp_register(location: Location, command: Sequence[str], force: bool) -> Optional[mcpconfig.Change]:
    path = _mcp_file(location)
    config = location.agent.mcp
    assert config is not None  # _mcp_file checked
    return mcpconfig.register(path, config.style, command, location.show(path), force=force)


def _plan_unregister(plan: Plan, existing: Dict[str, dict]) -> None:
    """Take our MCP entry out (a foreign one of the same name stays, and is reported); prune folders we created."""
    location = plan.location
    path, config = location.mcp_file, location.agent.mcp
    if path is None or config is None:
        return
    plan.mcp = mcpconfig.unregister(path, config.style, location.show(path))
    if plan.mcp is None:
        foreign = mcpconfig.foreign_entry(path, config.style, location.show(path))
        if foreign:
            plan.kept.append(foreign)
    elif plan.mcp.after is None:
        created = {item for record in existing.values() for item in record.get("created_dirs", [])}
        folders = [location.base / item for item in created if (location.base / item) in path.parents]
        plan.prune += sorted(folders, key=lambda folder: -len(folder.parts))


def _sharing(location: Location) -> List[block.Entry]:
    """The skills other agents' folders here list in the same notes file (cursor, codex, opencode: AGENTS.md).

    The block in a shared notes file lists them all, so installing or
    uninstalling for one agent keeps the lines of the others.
    """
    found: List[block.Entry] = []
    seen = {location.skills_root}
    for agent in AGENTS.values():
        other = Location(agent, location.base, location.user)
        if other.notes_file != location.notes_file or other.notes_file is None or other.skills_root in seen:
            continue
        seen.add(other.skills_root)
        found += [_disk_entry(other, name) for name in installed(other)]
    return found


def _installed_elsewhere(location: Location, name: str) -> bool:
    """Whether another agent's folder in the same project still holds our install of ``name``.

    skills-lock.json is one file per project, shared by every agent: its entry
    stays while any of our installs of that skill remains.
    """
    for agent in AGENTS.values():
        other = Location(agent, location.base, location.user)
        if other.skills_root != location.skills_root and name in installed(other):
            return True
    return False


def skill_sources(host: PluginHost) -> Dict[str, str]:
    """``{skill name: distribution that registered it}``, for the install record and skills-lock.json."""
    found: Dict[str, str] = {}
    for plugin, items in host.registry.plugin_contributions.items():
        info = host.plugins.get(plugin)
        distribution = info.distribution if info and not info.distribution.startswith("(") else plugin or INSTALLER
        for item in items:
            if item.startswith("skill:"):
                found[item[len("skill:"):]] = distribution
    return found
