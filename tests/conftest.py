"""Shared fixtures: a real emulator on a free loopback port, isolated state, fake installs.

Every test runs with its own QWEN_SKILLS_HOME, no API key from the developer's
environment, update checks off, and a fresh plugin host.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from typing import Callable, Iterator, Optional

import pytest

CANARY_KEY = "sk-canary-7f3e9a1b2c4d5e6f"


@pytest.fixture(autouse=True)
def isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("qwen-home")
    for name in ("QWEN_API_KEY", "DASHSCOPE_API_KEY", "QWEN_REGION", "QWEN_BASE_URL", "QWEN_SKILLS_PLUGINS",
                 "QWEN_WORKSPACE_ID"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("QWEN_SKILLS_HOME", str(home))
    monkeypatch.setenv("QWEN_SKILLS_NO_UPDATE_CHECK", "1")
    from qwencloud_skills import plugins

    plugins.reset()
    yield home
    plugins.reset()


@pytest.fixture
def canary_key() -> str:
    return CANARY_KEY


@pytest.fixture
def emulator() -> Iterator[object]:
    """A real DashScope emulator on a free loopback port, stopped at teardown."""
    pytest.importorskip("imageio_ffmpeg")
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    config = EmulatorConfig(pending_seconds=0.05, generation_seconds=0.2)
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        yield emu


@pytest.fixture
def emulator_env(emulator, monkeypatch: pytest.MonkeyPatch):
    """The emulator plus QWEN_BASE_URL and a canary key in the environment."""
    monkeypatch.setenv("QWEN_BASE_URL", emulator.base_url)
    monkeypatch.setenv("DASHSCOPE_API_KEY", CANARY_KEY)
    return emulator


@pytest.fixture
def install_plugin(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Callable[..., Path]:
    """Install a throwaway distribution whose module registers through our entry-point group.

    ``install_plugin("acme_plugin", source, dist="acme-video")`` writes the
    module and a ``*.dist-info`` folder with ``entry_points.txt`` on a fresh
    sys.path entry, exactly as pip would, so loading goes through
    importlib.metadata entry points like any real third-party plugin. The
    folder is also returned so subprocess tests can put it on PYTHONPATH.
    """
    site = tmp_path / "site"
    site.mkdir(exist_ok=True)
    monkeypatch.syspath_prepend(str(site))
    monkeypatch.setenv("PYTHONPATH", str(site))

    def install(module: str, source: str, dist: str = "acme-plugin", version: str = "1.0.0",
                entry_name: Optional[str] = None) -> Path:
        (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
        info = site / f"{dist.replace('-', '_')}-{version}.dist-info"
        info.mkdir(exist_ok=True)
        (info / "METADATA").write_text(
            f"Metadata-Version: 2.1\nName: {dist}\nVersion: {version}\n", encoding="utf-8"
        )
        entries = info / "entry_points.txt"
        existing = entries.read_text(encoding="utf-8") if entries.exists() else "[qwencloud_skills]\n"
        entries.write_text(existing + f"{entry_name or module} = {module}\n", encoding="utf-8")
        sys.modules.pop(module, None)
        import importlib

        importlib.invalidate_caches()
        from qwencloud_skills import plugins

        plugins.reset()
        return site

    return install
