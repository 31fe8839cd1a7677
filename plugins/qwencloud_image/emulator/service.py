"""Plugin: registers the image service with the emulator (the record itself loads only when asked)."""

from __future__ import annotations

from typing import Any, Callable

from qwencloud_skills.hookspecs import hookimpl


@hookimpl
def register_emulator_services(register: Callable[[Any], None]) -> None:
    from .handler import SERVICE  # only the emulator calls this hook: the CLI never pays for the import

    register(SERVICE)
