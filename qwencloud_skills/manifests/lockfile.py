"""The project's skills-lock.json, kept in the shape the `npx skills` CLI writes, so both tools agree.

Shape: ``{"version": 1, "skills": {name: {"source", "sourceType", "computedHash"}}}``,
skills sorted by name, two-space JSON plus a newline. ``computedHash`` is the
SHA-256 over every file of the installed folder (relative path, then
content, in path order), as that CLI computes it.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any, Dict, Optional

from .errors import InstallError

VERSION = 1
SOURCE_TYPE = "pypi"
SKIPPED_DIRS = (".git", "node_modules")


def folder_hash(folder: Path) -> str:
    files = {path.relative_to(folder).as_posix(): path for path in folder.rglob("*") if path.is_file()}
    names = [name for name in files if not any(part in SKIPPED_DIRS for part in name.split("/"))]
    digest = hashlib.sha256()
    # Case-insensitive first, like the JavaScript localeCompare that CLI sorts with.
    for name in sorted(names, key=lambda name: (name.lower(), name)):
        digest.update(name.encode("utf-8"))
        digest.update(files[name].read_bytes())
    return digest.hexdigest()


def entry(source: str, folder: Path) -> Dict[str, str]:
    return {"source": source, "sourceType": SOURCE_TYPE, "computedHash": folder_hash(folder)}


def read(path: Path) -> Optional[Dict[str, Any]]:
    """The lock file's data; None when there is no lock file."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise InstallError(f"{path} is not valid JSON ({exc}); fix or remove it, then run again") from None
    if not isinstance(data, dict) or not isinstance(data.get("skills", {}), dict):
        raise InstallError(f"{path} does not look like a skills lock file (no 'skills' object)")
    data.setdefault("version", VERSION)
    data.setdefault("skills", {})
    return data


def render(data: Dict[str, Any]) -> str:
    skills = data.get("skills", {})
    ordered = dict(data)
    ordered["skills"] = {name: skills[name] for name in sorted(skills)}
    return json.dumps(ordered, indent=2, ensure_ascii=False) + "\n"


def is_ours(item: Any, source: str) -> bool:
    return isinstance(item, dict) and item.get("sourceType") == SOURCE_TYPE and item.get("source") == source
