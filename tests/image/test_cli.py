"""The installed `qwencloud-image` script: help, typed mode commands, dry runs and refusals (no network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from mediafiles import png_bytes

BIN = Path(sys.executable).parent / "qwencloud-image"
pytestmark = pytest.mark.slow


def run(*args: str, cwd: Path, home: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "QWEN_BASE_URL": "http://127.0.0.1:9/api/v1", "DASHSCOPE_API_KEY": "sk-test12345678",
           "QWEN_SKILLS_HOME": str(home), "QWEN_SKILLS_NO_UPDATE_CHECK": "1"}
    return subprocess.run([str(BIN), *args], cwd=cwd, env=env, capture_output=True, text=True, timeout=60)


@pytest.fixture
def image_cli(tmp_path):
    home = tmp_path / "home"
    work = tmp_path / "work"
    home.mkdir()
    work.mkdir()
    return lambda *args: run(*args, cwd=work, home=home)


def test_help_lists_the_three_modes(image_cli):
    result = image_cli("--help")
    assert result.returncode == 0, result.stderr
    for name in ("t2i", "image-edit", "i2i", "Qwen Image Generation"):
        assert name in result.stdout


def test_mode_help_has_typed_options_from_the_request_model(image_cli):
    result = image_cli("t2i", "--help")
    assert result.returncode == 0, result.stderr
    for option in ("--prompt", "--n INTEGER", "--size", "--thinking-mode / --no-thinking-mode", "--enable-sequential",
                   "wan2.6-t2i [default]", "qwen-image-plus", "image-generation/generation"):
        assert option in result.stdout
    edit = image_cli("image-edit", "--help")
    assert "--reference-images" in edit.stdout and "multimodal-generation/generation" in edit.stdout


def test_dry_run_prints_the_body_with_n_stated(image_cli):
    result = image_cli("--request", '{"prompt": "A fox in snow"}', "--dry-run")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["url"] == "http://127.0.0.1:9/api/v1/services/aigc/image-generation/generation"
    assert shown["body"] == {"model": "wan2.6-t2i", "input": {"messages": [{"role": "user", "content": [
        {"text": "A fox in snow"}]}]}, "parameters": {"n": 1, "size": "1280*1280"}}
    assert "Mode: t2i | Model: wan2.6-t2i | 1 image, 1280*1280" in result.stderr
    assert "sk-test12345678" not in result.stdout + result.stderr


def test_typed_options_build_the_same_body(image_cli):
    result = image_cli("image-edit", "--prompt", "Make it snow", "--reference-images", "https://e.com/a.png",
                       "--reference-images", "https://e.com/b.png", "--n", "2", "--dry-run")
    assert result.returncode == 0, result.stderr
    body = json.loads(result.stdout)["body"]
    assert body["input"]["messages"][0]["content"] == [{"text": "Make it snow"}, {"image": "https://e.com/a.png"},
                                                       {"image": "https://e.com/b.png"}]
    assert body["parameters"] == {"n": 2, "size": "1K"}


def test_dry_run_of_i2i_chosen_by_model_with_a_local_file_to_upload(image_cli, tmp_path):
    photo = tmp_path / "work" / "photo.png"
    photo.write_bytes(png_bytes(width=512, height=512))
    result = image_cli("--request", '{"prompt": "Make it night", "reference_images": ["photo.png"]}',
                       "--model", "wan2.5-i2i-preview", "--dry-run")
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert shown["url"].endswith("/services/aigc/image2image/image-synthesis")
    assert shown["body"]["input"]["images"] == ["photo.png"] and shown["body"]["parameters"] == {"n": 1}
    assert [item["field"] for item in shown["uploads"]] == ["reference_images[0]"]


def test_an_invalid_request_exits_3_naming_field_allowed_and_fix(image_cli):
    result = image_cli("--request", '{"prompt": "A fox", "n": 9}', "--dry-run")
    assert result.returncode == 3
    assert "n=9" in result.stderr and "allowed: 1 to 4" in result.stderr and "fix: use n 4" in result.stderr
    assert "Traceback" not in result.stderr and result.stdout == ""
