"""The effective environment: the process environment over .env files.

.env files are looked up in the current directory, then in the project root
(the nearest ancestor holding `.git` or a `skills/` folder), as the seed does.
python-dotenv parses them (export, quotes, comments, escapes).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Dict, List, Mapping, Optional, Tuple

PROJECT_MARKERS = (".git", "skills")


def find_project_root(start: Path) -> Optional[Path]:
    for folder in [start, *start.parents]:
        if any((folder / marker).exists() for marker in PROJECT_MARKERS):
            return folder
    return None


def dotenv_files(cwd: Optional[Path] = None) -> List[Path]:
    """Existing .env files in lookup order: current directory first, then project root."""
    cwd = (cwd or Path.cwd()).resolve()
    candidates = [cwd / ".env"]
    root = find_project_root(cwd)
    if root is not None:
        candidates.append(root / ".env")
    found: List[Path] = []
    for path in candidates:
        if path.is_file() and path not in found:
            found.append(path)
    return found


def load_dotenv_layers(cwd: Optional[Path] = None) -> List[Tuple[Path, Dict[str, str]]]:
    files = dotenv_files(cwd)
    if not files:
        return []  # skip importing the parser at all
    from dotenv import dotenv_values

    layers = []
    for path in files:
        try:
            values = dotenv_values(path)
        except (OSError, UnicodeDecodeError):
            continue
        layers.append((path, {k: v for k, v in values.items() if v is not None}))
    return layers


class Environment:
    """Lookup of settings with their source; the process environment always wins."""

    def __init__(self, environ: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None):
        self.environ = dict(os.environ if environ is None else environ)
        self.cwd = cwd
        self._layers: Optional[List[Tuple[Path, Dict[str, str]]]] = None

    @property
    def layers(self) -> List[Tuple[Path, Dict[str, str]]]:
        if self._layers is None:
            self._layers = load_dotenv_layers(self.cwd)
        return self._layers

    def get(self, name: str) -> Optional[str]:
        found = self.lookup(name)
        return found[0] if found else None

    def lookup(self, name: str) -> Optional[Tuple[str, str]]:
        """(value, source) for ``name``: "env" or the .env path it came from."""
        value = self.environ.get(name)
        if value:
            return value, "env"
        for path, values in self.layers:
            value = values.get(name)
            if value:
                return value, str(path)
        return None

    def first(self, *names: str) -> Optional[Tuple[str, str, str]]:
        """(value, source, name) of the first name set, the environment before any .env file.

        Within each source the names are tried in the order given.
        """
        for name in names:
            value = self.environ.get(name)
            if value:
                return value, "env", name
        for path, values in self.layers:
            for name in names:
                value = values.get(name)
                if value:
                    return value, str(path), name
        return None
