"""Helpers to run the installed console scripts as subprocesses against the emulator."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import List, Optional

import pytest
from mediafiles import write_media

BIN = Path(sys.executable).parent


class Runner:
    def __init__(self, emulator, cwd: Path, key: str):
        self.emulator = emulator
        self.cwd = cwd
        self.overrides = {"QWEN_BASE_URL": emulator.base_url, "DASHSCOPE_API_KEY": key}

    @property
    def env(self) -> dict:
        # Read at call time: fixtures may change the environment after this runner exists.
        return {**os.environ, **self.overrides}

    def __call__(self, *args: str, script: str = "qwencloud-video", env: Optional[dict] = None,
                 timeout: float = 60) -> subprocess.CompletedProcess:
        return subprocess.run(
            [str(BIN / script), *args], cwd=self.cwd, env={**self.env, **(env or {})},
            capture_output=True, text=True, timeout=timeout,
        )

    def popen(self, *args: str, script: str = "qwencloud-video") -> subprocess.Popen:
        return subprocess.Popen(
            [str(BIN / script), *args], cwd=self.cwd, env=self.env,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        )


@pytest.fixture
def cli(emulator, tmp_path: Path, canary_key: str) -> Runner:
    work = tmp_path / "work"
    work.mkdir()
    return Runner(emulator, work, canary_key)


def all_output(result: subprocess.CompletedProcess) -> str:
    return (result.stdout or "") + (result.stderr or "")


def media(tmp: Path, name: str, size: int = 2048) -> Path:
    """A real (tiny) media file of the type its name says: local media is checked by content."""
    return write_media(tmp / name, size)


__all__: List[str] = ["Runner", "all_output", "media"]
