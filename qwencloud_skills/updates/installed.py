"""Which installed distributions provide qwencloud-skills plugins, found by a cheap scan of sys.path.

Every job with checks enabled needs this list (to compare installed versions
with the cached answers). ``importlib.metadata`` would import a dozen modules
and parse every distribution's METADATA with the email parser (~100 ms in a
venv of 70 packages); a plugin distribution is one whose ``entry_points.txt``
has our group, so this reads that small file and parses only those few
distributions' headers. Same rules as the plugin host (:mod:`..pluginnames`): the
first copy of a distribution on sys.path wins, QWEN_SKILLS_PLUGINS restricts
by entry-point or distribution name. Zipped eggs are not looked into.
"""

from __future__ import annotations

import os
import sys
from typing import Dict, Iterator, List, Optional, Tuple

from ..pluginnames import ENTRY_POINT_GROUP, RESTRICT_ENV, allowed_names, selected
from .versions import canonical_name

_SUFFIXES = (".dist-info", ".egg-info")


def _read(path: str) -> Optional[str]:
    try:
        with open(path, encoding="utf-8", errors="replace") as handle:
            return handle.read()
    except OSError:
        return None


def entry_names(text: str, group: str = ENTRY_POINT_GROUP) -> List[str]:
    """The entry-point names in ``[group]`` of an entry_points.txt (an ini file)."""
    names, inside = [], False
    for raw in text.splitlines():
        line = raw.strip()
        if not line or line.startswith(("#", ";")):
            continue
        if line.startswith("[") and line.endswith("]"):
            inside = line[1:-1].strip() == group
        elif inside and "=" in line:
            names.append(line.split("=", 1)[0].strip())
    return names


def headers(text: str) -> Tuple[str, str]:
    """(Name, Version) from a METADATA / PKG-INFO header block; '' when missing."""
    found = {"name": "", "version": ""}
    for line in text.splitlines():
        if not line.strip():
            break  # the headers end at the first blank line; the description follows
        key, sep, value = line.partition(":")
        key = key.strip().lower()
        if sep and key in found and not found[key]:
            found[key] = value.strip()
    return found["name"], found["version"]


def _metadata_dirs() -> Iterator[str]:
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as listing:
                names = sorted(item.name for item in listing if item.name.endswith(_SUFFIXES))
        except OSError:  # a zip, a missing folder, a path hook
            continue
        for name in names:
            yield os.path.join(entry or ".", name)


def plugin_distributions(restrict: Optional[str] = None) -> List[Tuple[str, str]]:
    """(distribution, version) of every installed distribution with entry points in our group."""
    restrict = os.environ.get(RESTRICT_ENV) if restrict is None else restrict
    allowed = allowed_names(restrict)
    seen: Dict[str, Optional[Tuple[str, str]]] = {}
    for folder in _metadata_dirs():
        stem = os.path.basename(folder).rsplit(".", 1)[0]
        key = canonical_name(stem.split("-", 1)[0])
        if key in seen:
            continue  # shadowed by an earlier sys.path entry
        entries = _read(os.path.join(folder, "entry_points.txt"))
        names = entry_names(entries) if entries and f"[{ENTRY_POINT_GROUP}]" in entries else []
        if not names:
            seen[key] = None
            continue
        meta = _read(os.path.join(folder, "METADATA" if folder.endswith(".dist-info") else "PKG-INFO")) or ""
        name, version = headers(meta)
        seen[key] = (name, version) if name and version and selected(allowed, name, names) else None
    return [item for item in seen.values() if item is not None]
