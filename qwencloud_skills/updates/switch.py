"""Whether update checks are off: every job asks first, so this imports nothing of the update check itself."""

from __future__ import annotations

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Optional


DISABLE_ENV = "QWEN_SKILLS_NO_UPDATE_CHECK"
_FALSE = ("", "0", "false", "no", "off")


def disabled(env: Optional[Any] = None) -> bool:
    """QWEN_SKILLS_NO_UPDATE_CHECK set to anything but 0/false/no/off turns checks and signals off."""
    from ..environment import Environment

    value = (env or Environment()).get(DISABLE_ENV)
    return (value or "").strip().lower() not in _FALSE
