"""Fixtures of the MCP server tests (helpers: mcpharness.py). The folder has no __init__.py on purpose:
as a package it would be called ``mcp`` and hide the SDK's own package from the tests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from mcpharness import Harness


@pytest.fixture
def harness(tmp_path: Path) -> Harness:
    pytest.importorskip("mcp.client.stdio")  # the SDK itself: a bare "mcp" would find this folder
    work = tmp_path / "work"
    work.mkdir()
    return Harness(work)


@pytest.fixture
def served(harness: Harness, emulator_env: Any) -> Harness:
    """The harness with the emulator as the service and the canary key."""
    harness.emulator = emulator_env  # type: ignore[attr-defined]
    return harness
