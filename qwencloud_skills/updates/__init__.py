"""Update-check signals: one host-level service shared by every installed skill.

Job commands call ``start_check()`` when they begin (optional, gives the index
the whole job to answer) and ``emit_signals()`` when they end; the latter
prints ``[ACTION_REQUIRED]`` / ``[UPDATE_AVAILABLE]`` lines on stderr for the
agent reading it, as SKILL.md instructs. ``pending_signals()`` returns the same lines
without printing them (the MCP server puts them into its tool results).
"""

from __future__ import annotations

from .signals import emit_signals, pending_signals, start_check

__all__ = ["emit_signals", "pending_signals", "start_check"]
