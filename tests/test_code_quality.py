"""The package promises Python 3.9+ and ruff-clean code: check both on every run."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [str(ROOT / "qwencloud_skills"), str(ROOT / "plugins")]


def _tool(name: str) -> str:
    candidate = Path(sys.executable).parent / name
    found = str(candidate) if candidate.exists() else shutil.which(name)
    if not found:
        pytest.fail(f"{name} is a test dependency and must be installed")
    return found


def test_vermin_says_python_39_is_enough() -> None:
    result = subprocess.run(
        [
            _tool("vermin"), "--target=3.9-", "--violations", "--eval-annotations",
            "--feature", "union-types", "--no-tips", "--backport", "typing", *SOURCES,
        ],
        capture_output=True, text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_is_clean() -> None:
    result = subprocess.run(
        [_tool("ruff"), "check", "--no-cache", *SOURCES, str(ROOT / "tests"), str(ROOT / "benchmarks")],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout + result.stderr
