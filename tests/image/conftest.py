"""The installed `qwencloud-image` run as a subprocess against the emulator (which serves images and video)."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Optional

import pytest
from cli.conftest import Runner


class ImageRunner(Runner):
    """tests/cli's runner, with `qwencloud-image` as the default script."""

    def __call__(self, *args: str, script: str = "qwencloud-image", env: Optional[dict] = None,
                 timeout: float = 60) -> subprocess.CompletedProcess:
        return super().__call__(*args, script=script, env=env, timeout=timeout)

    def popen(self, *args: str, script: str = "qwencloud-image") -> subprocess.Popen:
        return super().popen(*args, script=script)


@pytest.fixture
def cli(emulator, tmp_path: Path, canary_key: str) -> ImageRunner:
    work = tmp_path / "work"
    work.mkdir()
    return ImageRunner(emulator, work, canary_key)
