"""The ``qwencloud-skills`` command: host commands plus one generated group per skill.

``main`` is imported on first use (PEP 562): a skill's own console script imports
:mod:`.generated` through this package and never needs the root group.
"""

from __future__ import annotations

__all__ = ["main"]

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover - for type checkers; at run time see __getattr__
    from typing import Any

    from .app import main


def __getattr__(name: str) -> Any:
    if name != "main":
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    from .app import main

    return main
