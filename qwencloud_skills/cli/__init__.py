"""The ``qwencloud-skills`` command: host commands plus one generated group per skill.

``main`` is imported on first use (PEP 562): a skill's own console script imports
:mod:`.generated` through this package and never needs the root group.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

__all__ = ["main"]

if TYPE_CHECKING:  # pragma: no cover - for type checkers; at run time see __getattr__
    from .app import main


def __getattr__(name: str) -> Any:
    if name != "main":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .app import main

    return main
