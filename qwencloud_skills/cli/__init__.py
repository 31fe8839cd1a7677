"""The ``qwencloud-skills`` command: host commands plus one generated group per skill."""

from __future__ import annotations

from .app import main

__all__ = ["main"]
