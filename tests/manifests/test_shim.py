"""scripts/video.py runs the installed CLI, and says how to install the package when it is missing."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from qwencloud_skills.manifests.shim import render, script_name

from .util import SKILL_DIR

SHIM = SKILL_DIR / "scripts" / "video.py"
pytestmark = pytest.mark.slow


def run(python: str, *args: str, env=None, cwd=None) -> subprocess.CompletedProcess:
    return subprocess.run([python, str(SHIM), *args], capture_output=True, text=True, timeout=120,
                          env=env, cwd=cwd)


def test_script_names_follow_the_cli_name():
    assert script_name("qwencloud-video") == "video.py"
    assert script_name("acme-sound-fx") == "acme_sound_fx.py"
    assert script_name(None) == "run.py"
    assert "COMMAND = ['qwencloud-video']" in SHIM.read_text(encoding="utf-8")
    assert render("T", None, "audio").count("['qwencloud-skills', 'audio']") == 1


def test_the_shim_runs_the_installed_cli_and_lists_the_modes(tmp_path):
    result = run(sys.executable, "--help", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert "Usage: qwencloud-video" in result.stdout
    modes = result.stdout.split("Modes:", 1)[1]
    for mode in ("t2v", "i2v", "kf2v", "r2v", "vace"):
        assert f"\n  {mode} " in modes


def test_the_shim_finds_the_console_script_on_path(tmp_path):
    """Run by a Python without the package, the shim still finds the CLI through PATH."""
    bare = _bare_python(tmp_path)
    env = dict(os.environ, PATH=str(Path(sys.executable).parent))
    result = run(bare, "models", "--format", "json", env=env, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert '"mode": "kf2v"' in result.stdout


def test_the_shim_passes_exit_codes_through(tmp_path):
    result = run(sys.executable, "--request", '{"prompt": "x", "duration": 99}', "--dry-run", cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert "duration" in result.stderr


def _bare_python(tmp_path: Path) -> str:
    """A fresh virtual environment without the package (and without pip: faster)."""
    venv = tmp_path / "bare-venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True, timeout=120)
    python = venv / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
    assert python.exists()
    return str(python)


def test_without_the_package_the_shim_prints_the_install_hint(tmp_path):
    python = _bare_python(tmp_path)
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    env = {"PATH": str(empty), "HOME": str(tmp_path)}
    result = run(python, "--help", env=env, cwd=tmp_path)
    assert result.returncode == 4
    assert "qwencloud-video is not installed" in result.stderr
    assert "pip install qwencloud-skills" in result.stderr
    assert f'"{python}" -m pip install qwencloud-skills' in result.stderr
    assert result.stdout == ""


def test_the_shim_is_python_39_compatible():
    from shutil import which

    vermin = Path(sys.executable).parent / "vermin"
    tool = str(vermin) if vermin.exists() else which("vermin")
    if not tool:
        pytest.fail("vermin is a test dependency and must be installed")
    result = subprocess.run([tool, "--target=3.9-", "--violations", "--no-tips", str(SHIM)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
