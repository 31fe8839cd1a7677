"""Fixtures for the emulator tests: a fast emulator per test and a small HTTP helper."""

from __future__ import annotations

import pytest

from qwencloud_skills.emulator import Emulator, EmulatorConfig

from .helpers import Api


@pytest.fixture(scope="session")
def media_cache(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Shared by all tests of the session so each media combination renders once."""
    return str(tmp_path_factory.mktemp("emulator-media"))


@pytest.fixture
def emu(media_cache: str):
    config = EmulatorConfig(pending_seconds=0.0, generation_seconds=0.0, media_cache_dir=media_cache)
    with Emulator(config) as emulator:
        yield emulator


@pytest.fixture
def api(emu: Emulator):
    client = Api(emu)
    yield client
    client.close()
