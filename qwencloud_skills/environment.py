"""The effective environment: the process environment over .env files.

.env files are looked up in the current directory, then in the project root
(the nearest ancestor holding `.git` or a `skills/` folder), as the seed does.
python-dotenv parses them (export, quotes, comments, escapes). A .env file that
exists but cannot be read (not UTF-8, no permission) is reported with a warning
naming it, never silently skipped; its content is never shown.
"""

from __future__ import annotations

import os
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Dict, List, Mapping, Optional, Tuple

    Layers = List[Tuple[Path, Dict[str, str]]]

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


class DotenvWarning(UserWarning):
    """A .env file exists but could not be read, so any key in it is not seen."""




def _why_unreadable(path: Path, exc: BaseException) -> str:
    """A short reason naming the file; never any of its content."""
    if isinstance(exc, UnicodeDecodeError):
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError:
            head = b""
        if head[:2] in (b"\xff\xfe", b"\xfe\xff") or b"\x00" in head:
            return f"could not read {path}: not UTF-8 (it looks like UTF-16, as Windows PowerShell's `>` writes)"
        return f"could not read {path}: not UTF-8"
    reason = getattr(exc, "strerror", None) or type(exc).__name__
    return f"could not read {path}: {reason}"


def read_dotenv_layers(cwd: Optional[Path] = None) -> Tuple[Layers, List[str]]:
    """The parsed .env files in lookup order, and one line per file that could not be read.

    A UTF-8 byte-order mark is accepted (Notepad writes one); any other decoding
    problem skips that file and is reported, never silently.
    """
    files = dotenv_files(cwd)
    if not files:
        return [], []  # skip importing the parser at all
    from dotenv import dotenv_values

    layers: Layers = []
    problems: List[str] = []
    for path in files:
        try:
            values = dotenv_values(path, encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(_why_unreadable(path, exc))
            continue
        layers.append((path, {k: v for k, v in values.items() if v is not None}))
    return layers, problems


def load_dotenv_layers(cwd: Optional[Path] = None) -> Layers:
    """The readable .env files' values; a warning for each file that could not be read."""
    layers, problems = read_dotenv_layers(cwd)
    _warn(problems)
    return layers


def _warn(problems: List[str]) -> None:
    import warnings

    for problem in problems:
        fix = ("save it as UTF-8 (the encoding choice in your editor's Save As)" if "not UTF-8" in problem
               else "check that file's permissions")
        warnings.warn(f"{problem}; that file was skipped. Fix: {fix}.", DotenvWarning, stacklevel=2)


class Environment:
    """Lookup of settings with their source; the process environment always wins.

    A blank value (empty or only whitespace) counts as not set, so ``export KEY=" "`` falls through.
    """

    def __init__(self, environ: Optional[Mapping[str, str]] = None, cwd: Optional[Path] = None):
        self.environ = dict(os.environ if environ is None else environ)
        self.cwd = cwd
        self._layers: Optional[Layers] = None
        self._unreadable: List[str] = []

    @property
    def layers(self) -> Layers:
        if self._layers is None:
            self._layers, self._unreadable = read_dotenv_layers(self.cwd)
            _warn(self._unreadable)
        return self._layers

    @property
    def unreadable(self) -> List[str]:
        """One line per .env file that exists but could not be read ("could not read PATH: not UTF-8")."""
        return list(self._unreadable) if self.layers is not None else []

    def get(self, name: str) -> Optional[str]:
        found = self.lookup(name)
        return found[0] if found else None

    def lookup(self, name: str) -> Optional[Tuple[str, str]]:
        """(value, source) for ``name``: "env" or the .env path it came from."""
        value = self.environ.get(name)
        if value and value.strip():
            return value, "env"
        for path, values in self.layers:
            value = values.get(name)
            if value and value.strip():
                return value, str(path)
        return None

    def first(self, *names: str) -> Optional[Tuple[str, str, str]]:
        """(value, source, name) of the first name set, the environment before any .env file.

        Within each source the names are tried in the order given.
        """
        for name in names:
            value = self.environ.get(name)
            if value and value.strip():
                return value, "env", name
        for path, values in self.layers:
            for name in names:
                value = values.get(name)
                if value and value.strip():
                    return value, str(path), name
        return None
