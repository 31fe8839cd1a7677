"""Update-check signals: one host-level service shared by every installed skill.

Job commands call ``start_check()`` when they begin (optional, gives the index
the whole job to answer) and ``emit_signals()`` when they end; the latter
prints ``[ACTION_REQUIRED]`` / ``[UPDATE_AVAILABLE]`` lines on stderr for the
agent reading it, as SKILL.md instructs. ``pending_signals()`` returns the same lines
without printing them (the MCP server puts them into its tool results).
"""

from __future__ import annotations

from .switch import disabled

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, List, Optional, TextIO

__all__ = ["emit_signals", "pending_signals", "start_check"]


def start_check(now: Optional[float] = None, env: Optional[Any] = None) -> None:
    """See :func:`.signals.start_check`; with checks off (QWEN_SKILLS_NO_UPDATE_CHECK) nothing more is imported.

    ``env``: an Environment the caller already has (one lookup of the .env files fewer).
    """
    if not disabled(env):
        from .signals import start_check as begin

        begin(now)


def emit_signals(stream: Optional[TextIO] = None, *, now: Optional[float] = None,
                 env: Optional[Any] = None) -> List[str]:
    """See :func:`.signals.emit_signals` (``env`` as for :func:`start_check`)."""
    if disabled(env):
        return []
    from .signals import emit_signals as emit

    return emit(stream, now=now)


def pending_signals(*, now: Optional[float] = None) -> List[str]:
    """See :func:`.signals.pending_signals`."""
    if disabled():
        return []
    from .signals import pending_signals as pending

    return pending(now=now)
