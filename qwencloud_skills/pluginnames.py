"""The plugin entry-point group and the QWEN_SKILLS_PLUGINS selection rule, in one import-free place.

The plugin host (which loads plugins) and the update check (which only lists
their distributions, and must start fast) both apply it.
"""

from __future__ import annotations

from typing import Iterable, Optional, Set

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
