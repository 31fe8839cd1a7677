"""How plugins are named: the entry-point group, the QWEN_SKILLS_PLUGINS rule, "module:attr" references.

In one place that imports nothing of ours: the plugin host (which loads
plugins), the update check (which only lists their distributions, and must
start fast) and the registry (which imports a mode's request model on first
use) all use it without importing one another.
"""

from __future__ import annotations

import importlib
from typing import Any, Iterable, Optional, Set

ENTRY_POINT_GROUP = "qwencloud_skills"
RESTRICT_ENV = "QWEN_SKILLS_PLUGINS"


def allowed_names(restrict: Optional[str]) -> Optional[Set[str]]:
    """The names QWEN_SKILLS_PLUGINS allows (lower-cased); None when it allows everything."""
    names = {part.strip().lower() for part in (restrict or "").split(",") if part.strip()}
    return names or None


def selected(allowed: Optional[Set[str]], dist_name: str, entry_names: Iterable[str]) -> bool:
    """Whether a distribution (or one of its entry points) is allowed, by entry-point or distribution name."""
    if allowed is None:
        return True
    return dist_name.lower() in allowed or any(name.lower() in allowed for name in entry_names)


def import_string(path: str) -> Any:
    """The object a ``"package.module:attr"`` reference names (the module itself when there is no ``:attr``)."""
    module, _, attr = path.partition(":")
    obj = importlib.import_module(module)
    return getattr(obj, attr) if attr else obj
