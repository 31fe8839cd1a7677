"""`qwencloud-skills mcp` where it cannot serve (Python 3.9, no SDK, another major version): one clear line
saying what to install, exit 4, no traceback. These tests need no SDK: they run on every Python."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from qwencloud_skills.cli.mcp_cmd import INSTALL, missing_requirement

BIN = Path(sys.executable).parent


def run_mcp(env_extra: dict, cwd: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_extra}
    return subprocess.run([str(BIN / "qwencloud-skills"), "mcp"], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=60, stdin=subprocess.DEVNULL)


def test_without_the_sdk_the_command_says_what_to_install_and_exits_4(tmp_path: Path) -> None:
    fake = tmp_path / "no-sdk"
    (fake / "mcp").mkdir(parents=True)
    (fake / "mcp" / "__init__.py").write_text("raise ImportError(\"No module named 'mcp'\")\n", encoding="utf-8")
    result = run_mcp({"PYTHONPATH": str(fake)}, tmp_path)
    assert result.returncode == 4, result.stderr
    assert INSTALL in result.stderr and "Python 3.10" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""


def test_on_python_39_the_message_names_the_python_it_needs() -> None:
    message = missing_requirement((3, 9))
    assert message is not None and "Python 3.10 or newer" in message and "this is Python 3.9" in message
    assert INSTALL in message


def test_the_command_is_listed_with_the_host_commands() -> None:
    result = subprocess.run([str(BIN / "qwencloud-skills"), "--help"], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0 and "mcp" in result.stdout.split()
    shown = subprocess.run([str(BIN / "qwencloud-skills"), "mcp", "--help"], capture_output=True, text=True,
                           timeout=60)
    assert shown.returncode == 0 and INSTALL in " ".join(shown.stdout.split())
