"""The record of a validated request, ready to send.

It lives apart from :mod:`.tasks` (which makes it) so that :mod:`.uploads` (which
rewrites its local paths into remote URLs) can build one without importing the
task lifecycle: the two modules then import in one direction only.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Dict

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Mode


@dataclass
class Prepared:
    """A validated request, ready to send: the exact endpoint, JSON body and host.

    ``base_url`` is where it goes (and its task lives): the client's own base
    URL, or a workspace host for a model served only there. Empty means the
    client's own.
    """

    mode: Mode
    model: str
    request: Any
    payload: Dict[str, Any]
    base_url: str = ""
    origin: str = ""  # who submits it (e.g. "workflow:<id>/<step>"), recorded with the intent; "" : nobody

    @property
    def endpoint(self) -> str:
        """The model's own endpoint when its catalog entry names one, else the mode's."""
        spec = self.mode.model(self.model)
        return getattr(spec, "endpoint", "") or self.mode.endpoint
