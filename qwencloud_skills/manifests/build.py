"""Build the skill directories (SKILL.md, references/, scripts/) from a registry, deterministically.

The committed ``skills/`` tree is built from the first-party plugins only, so
a developer's third-party plugins never leak into it; install builds from
every loaded plugin, so users get manifests for what they have installed.
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional

from ..registry import Registry, Skill
from . import execution_guide, references, shim, skill_md, workflow_pages
from .context import context_for
from .errors import BuildError
from .examples import check_all

FIRST_PARTY = "qwencloud-skills"
EXECUTABLE = 0o755
REGULAR = 0o644


@dataclass
class BuiltSkill:
    """One generated skill: files relative to its own folder, and where the folder goes in a tree."""

    skill: Skill
    relpath: str
    files: Dict[str, str] = field(default_factory=dict)

    def mode_of(self, path: str) -> int:
        return EXECUTABLE if path.startswith("scripts/") else REGULAR

    def as_bytes(self) -> Dict[str, bytes]:
        return {path: text.encode("utf-8") for path, text in self.files.items()}


def first_party_registry() -> Registry:
    """The registry of this distribution's own plugins; any that fails to load fails the build."""
    from ..plugins import PluginHost, PluginLoadWarning

    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", PluginLoadWarning)
        host = PluginHost()
        host.load_entry_points(restrict=FIRST_PARTY)
        registry = host.build_registry()
    failures = [str(item.message) for item in caught if issubclass(item.category, PluginLoadWarning)]
    if failures:
        raise BuildError("first-party plugins failed to load:\n  " + "\n  ".join(failures))
    return registry


def build_skill(registry: Registry, skill: Skill) -> BuiltSkill:
    ctx = context_for(registry, skill)
    checked = check_all(registry, list(ctx.by_priority))
    flows = workflow_pages.check_workflows(registry, ctx.workflows)
    renderers: Dict[str, Callable[[], str]] = {
        "request-fields": lambda: references.request_fields(ctx),
        "models": lambda: references.models(ctx),
        "examples": lambda: references.examples(ctx, checked),
        "polling": lambda: references.polling(ctx),
        "local-files": lambda: references.local_files(ctx),
        "cli": lambda: references.cli(ctx),
        "workflows": lambda: workflow_pages.workflows_page(ctx, flows),
        "merge-media": lambda: workflow_pages.merge_media_page(ctx),
        "execution-guide": lambda: execution_guide.execution_guide(ctx, checked),
    }
    files = {"SKILL.md": skill_md.render(ctx, checked, flows)}
    for name in ctx.host_pages:
        replacement = ctx.replacement_for(name)
        files[f"references/{name}.md"] = replacement.text if replacement else renderers[name]()
    for doc in ctx.page_docs():
        files[doc.path] = doc.text
    files[ctx.script] = shim.render(ctx.title, skill.cli_name, skill.domain)
    return BuiltSkill(skill, ctx.relpath, dict(sorted(files.items())))


def build_all(registry: Registry, names: Optional[Iterable[str]] = None) -> List[BuiltSkill]:
    """Every registered skill (or the ones named), sorted by domain and name."""
    wanted = list(names) if names else None
    unknown = [name for name in wanted or () if name not in registry.skills]
    if unknown:
        raise BuildError(f"no skill named {', '.join(unknown)}; registered: {', '.join(registry.skills) or 'none'}")
    skills = [registry.skill(name) for name in wanted] if wanted else list(registry.skills.values())
    return [build_skill(registry, skill) for skill in sorted(skills, key=lambda s: (s.domain, s.name))]


def tree_bytes(built: Iterable[BuiltSkill]) -> Dict[str, bytes]:
    """``{"<domain>/<name>/<file>": bytes}`` for a whole tree."""
    found: Dict[str, bytes] = {}
    for item in built:
        for path, data in item.as_bytes().items():
            found[f"{item.relpath}/{path}"] = data
    return dict(sorted(found.items()))


def read_tree(root: Path) -> Dict[str, bytes]:
    """Every file under ``root`` (posix relative paths), for comparing a tree with a fresh build."""
    if not root.is_dir():
        return {}
    return {path.relative_to(root).as_posix(): path.read_bytes()
            for path in sorted(root.rglob("*")) if path.is_file() and "__pycache__" not in path.parts}


def differences(built: Iterable[BuiltSkill], root: Path) -> List[str]:
    """What differs between a fresh build and the tree at ``root``: missing, stale and extra files."""
    expected, actual = tree_bytes(built), read_tree(root)
    problems = [f"missing: {path}" for path in expected if path not in actual]
    problems += [f"stale: {path}" for path in expected if path in actual and actual[path] != expected[path]]
    problems += [f"not generated: {path}" for path in actual if path not in expected]
    return problems


def write_file(path: Path, data: bytes, mode: int) -> bool:
    """Write ``data`` unless the file already holds it; return whether anything changed."""
    if path.is_file() and path.read_bytes() == data:
        if path.stat().st_mode & 0o777 != mode:
            path.chmod(mode)
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    temp = path.with_name(f".{path.name}.tmp")
    temp.write_bytes(data)
    temp.chmod(mode)
    temp.replace(path)
    return True


def remove_empty_dirs(top: Path, stop: Path) -> None:
    """Remove ``top`` and its parents while they are empty, never ``stop`` or above."""
    current = top
    while current != stop and stop in current.parents:
        try:
            current.rmdir()
        except OSError:
            return
        current = current.parent


def _generated_skill_dirs(root: Path) -> List[Path]:
    from . import frontmatter

    found = []
    for manifest in sorted(root.glob("*/*/SKILL.md")):
        try:
            fields, _ = frontmatter.parse(manifest.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, frontmatter.FrontmatterError):
            continue
        metadata = fields.get("metadata")
        if isinstance(metadata, dict) and metadata.get("generator") == skill_md.GENERATOR:
            found.append(manifest.parent)
    return found


def write_tree(built: List[BuiltSkill], root: Path, prune: bool = True) -> List[str]:
    """Make ``root`` hold the built skills; with ``prune``, other generated skill folders are removed.

    Returns the changed paths (relative to ``root``). Files that are not part of
    a generated skill folder are never touched.
    """
    changed: List[str] = []
    root.mkdir(parents=True, exist_ok=True)
    keep = {item.relpath for item in built}
    for folder in _generated_skill_dirs(root) if prune else []:
        relpath = folder.relative_to(root).as_posix()
        if relpath not in keep:
            for path in sorted(folder.rglob("*"), reverse=True):
                path.unlink() if path.is_file() else path.rmdir()
            remove_empty_dirs(folder, root)
            changed.append(f"{relpath}/ (removed)")
    for item in built:
        folder = root / item.relpath
        wanted = item.as_bytes()
        for path, data in wanted.items():
            if write_file(folder / path, data, item.mode_of(path)):
                changed.append(f"{item.relpath}/{path}")
        if folder.is_dir():
            for path in sorted(folder.rglob("*"), reverse=True):
                relative = path.relative_to(folder).as_posix()
                if path.is_file() and relative not in wanted:
                    path.unlink()
                    changed.append(f"{item.relpath}/{relative} (removed)")
                elif path.is_dir() and not any(path.iterdir()):
                    path.rmdir()
    return changed
