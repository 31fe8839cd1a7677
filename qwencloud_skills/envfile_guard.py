"""A key read from a .env file that git would commit gets a one-line warning, once a day per file.

Asks ``git check-ignore`` (short timeout) only when the key really came from a
.env file, and at most once a day per file: the answer is remembered in the
state dir. No git, no work tree, or git failing: silently nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import time
import warnings
from pathlib import Path
from typing import Any, Dict, Optional

DAY = 24 * 3600
STATE_FILE = "envfile-checks.json"
GIT_TIMEOUT = 3.0
# Variables that would point git at another repository than the one holding the file.
_GIT_REDIRECTS = ("GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_COMMON_DIR")


class EnvFileWarning(UserWarning):
    """The .env file holding the key is inside a git work tree and git does not ignore it."""


def warn_if_not_ignored(path: Path, env: Any = None, now: Optional[float] = None) -> Optional[str]:
    """Warn when ``path`` (a .env file the key came from) may be committed; returns the warning or None."""
    path = Path(path).resolve()
    now = time.time() if now is None else now
    state = _state_path(env)
    checks = _load(state) if state is not None else {}
    last = checks.get(str(path))
    if isinstance(last, (int, float)) and 0 <= now - last < DAY:
        return None
    ignored = git_ignores(path)
    if ignored is None:
        return None  # no git, or not inside a work tree
    if state is not None:
        checks = {name: at for name, at in checks.items()
                  if isinstance(at, (int, float)) and now - at < 7 * DAY}
        checks[str(path)] = now
        _save(state, checks)
    if ignored:
        return None
    message = (f"the API key is read from {path}, which is inside a git work tree and not ignored by git, so "
               f"it may be committed. Fix: echo .env >> .gitignore (in {path.parent}); if it was committed "
               "already, also replace the key in the console.")
    warnings.warn(message, EnvFileWarning, stacklevel=2)
    return message


def git_ignores(path: Path) -> Optional[bool]:
    """True if git ignores ``path``, False if it would track it, None if git cannot tell (or is missing)."""
    environ = {name: value for name, value in os.environ.items() if name not in _GIT_REDIRECTS}
    try:
        done = subprocess.run(
            ["git", "check-ignore", "-q", path.name], cwd=str(path.parent), env=environ,
            stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=GIT_TIMEOUT,
        )
    except (OSError, subprocess.SubprocessError):
        return None
    return {0: True, 1: False}.get(done.returncode)


def _state_path(env: Any) -> Optional[Path]:
    from .settings import state_dir

    try:
        return state_dir(env, create=False) / STATE_FILE
    except OSError:
        return None


def _load(path: Path) -> Dict[str, Any]:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data if isinstance(data, dict) else {}


def _save(path: Path, checks: Dict[str, Any]) -> None:
    """Best effort: a state dir we cannot write only means the warning may repeat."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(f".{path.name}.{os.getpid()}")
        partial.write_text(json.dumps(checks, indent=0), encoding="utf-8")
        os.replace(partial, path)
    except OSError:
        pass
