"""Hints name a command that runs as printed, on PATH or not."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from .conftest import BIN


def test_hints_use_the_absolute_script_when_it_is_not_on_path(cli, tmp_path: Path) -> None:
    env = {**cli.env, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat"}', "--submit-only"],
                            capture_output=True, text=True, env=env, cwd=cli.cwd, timeout=60)
    assert result.returncode == 0, result.stderr
    hint = next(line for line in result.stderr.splitlines() if line.startswith("Check it with:"))
    command = hint[len("Check it with: "):].split()
    assert command[0] == str(BIN / "qwencloud-video")
    rerun = subprocess.run(command, capture_output=True, text=True, env=env, cwd=cli.cwd, timeout=60)
    assert rerun.returncode in (0, 2), rerun.stderr


def test_hints_use_the_short_name_when_path_finds_this_install(cli) -> None:
    env = {**cli.env, "PATH": f"{BIN}{os.pathsep}/usr/bin:/bin"}
    result = subprocess.run([str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat"}', "--submit-only"],
                            capture_output=True, text=True, env=env, cwd=cli.cwd, timeout=60)
    assert "Check it with: qwencloud-video --task-id" in result.stderr


def test_hints_fall_back_to_python_m(cli) -> None:
    env = {**cli.env, "PATH": "/usr/bin:/bin"}
    result = subprocess.run([sys.executable, "-m", "qwencloud_skills", "video", "--request", '{"prompt": "a cat"}',
                             "--submit-only"], capture_output=True, text=True, env=env, cwd=cli.cwd, timeout=60)
    assert result.returncode == 0, result.stderr
    assert f"Check it with: {sys.executable} -m qwencloud_skills video --task-id" in result.stderr
