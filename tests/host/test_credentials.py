"""Key discovery: precedence, .env lookup order and parsing, secrecy, Coding Plan warning."""

from __future__ import annotations

import logging
import warnings
from pathlib import Path

import pytest

from qwencloud_skills.credentials import (
    CodingPlanKeyWarning,
    find_api_key,
    key_status,
    require_api_key,
)
from qwencloud_skills.environment import Environment, dotenv_files
from qwencloud_skills.errors import MissingApiKeyError
from qwencloud_skills.secrets import ApiKey

CANARY = "sk-canary-0123456789abcdef"


def env_at(cwd: Path, **environ: str) -> Environment:
    return Environment(environ=environ, cwd=cwd)


def make_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    (root / ".git").mkdir(parents=True)
    work = root / "sub" / "dir"
    work.mkdir(parents=True)
    return work


@pytest.mark.parametrize(
    "environ, expected, source",
    [
        ({"QWEN_API_KEY": "sk-qwen", "DASHSCOPE_API_KEY": "sk-dash"}, "sk-qwen", "QWEN_API_KEY"),
        ({"DASHSCOPE_API_KEY": "sk-dash"}, "sk-dash", "DASHSCOPE_API_KEY"),
        ({"QWEN_API_KEY": "sk-qwen"}, "sk-qwen", "QWEN_API_KEY"),
    ],
)
def test_qwen_key_wins_over_dashscope_key(tmp_path: Path, environ, expected, source) -> None:
    key = find_api_key(env_at(tmp_path, **environ))
    assert key is not None and key.reveal() == expected
    assert key.source.startswith(source)


def test_environment_wins_over_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("QWEN_API_KEY=sk-from-file\n")
    key = find_api_key(env_at(tmp_path, DASHSCOPE_API_KEY="sk-from-env"))
    assert key.reveal() == "sk-from-env"
    assert "environment" in key.source


def test_cwd_dotenv_wins_over_project_root_dotenv(tmp_path: Path) -> None:
    work = make_project(tmp_path)
    root = tmp_path / "project"
    (root / ".env").write_text("DASHSCOPE_API_KEY=sk-root\n")
    assert find_api_key(env_at(work)).reveal() == "sk-root"
    (work / ".env").write_text("DASHSCOPE_API_KEY=sk-cwd\n")
    assert find_api_key(env_at(work)).reveal() == "sk-cwd"
    assert dotenv_files(work) == [work / ".env", root / ".env"]


def test_project_root_found_by_skills_folder(tmp_path: Path) -> None:
    root = tmp_path / "agent-project"
    (root / "skills").mkdir(parents=True)
    work = root / "a"
    work.mkdir()
    (root / ".env").write_text("QWEN_API_KEY=sk-skills-root\n")
    assert find_api_key(env_at(work)).reveal() == "sk-skills-root"


def test_qwen_key_in_file_wins_over_dashscope_key_in_same_file(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DASHSCOPE_API_KEY=sk-dash\nQWEN_API_KEY=sk-qwen\n")
    assert find_api_key(env_at(tmp_path)).reveal() == "sk-qwen"


@pytest.mark.parametrize(
    "content, expected",
    [
        ("export DASHSCOPE_API_KEY=sk-exported\n", "sk-exported"),
        ('DASHSCOPE_API_KEY="sk-double-quoted"\n', "sk-double-quoted"),
        ("DASHSCOPE_API_KEY='sk-single-quoted'\n", "sk-single-quoted"),
        ("# a comment\nDASHSCOPE_API_KEY=sk-commented # trailing comment\n", "sk-commented"),
        ("\n\n  DASHSCOPE_API_KEY = sk-spaced  \n", "sk-spaced"),
    ],
)
def test_dotenv_semantics(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / ".env").write_text(content)
    assert find_api_key(env_at(tmp_path)).reveal() == expected


def test_missing_key_gives_setup_guidance_not_a_request_for_the_key(tmp_path: Path) -> None:
    with pytest.raises(MissingApiKeyError) as info:
        require_api_key(env_at(tmp_path))
    text = str(info.value)
    assert "DASHSCOPE_API_KEY=sk-your-key-here" in text
    assert ".env" in text and "Console" in text
    assert "paste" in text.lower()  # tells the user NOT to paste it anywhere
    assert info.value.exit_code == 4


def test_coding_plan_key_warns(tmp_path: Path) -> None:
    with pytest.warns(CodingPlanKeyWarning, match="Coding Plan"):
        key = require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY="sk-sp-canary123"))
    assert key.is_coding_plan
    assert key_status(env_at(tmp_path, DASHSCOPE_API_KEY="sk-sp-canary123"))["coding_plan"] is True


def test_standard_key_does_not_warn(tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY="sk-standard"))


def test_secret_never_in_str_repr_format_logs_or_exceptions(caplog: pytest.LogCaptureFixture) -> None:
    key = ApiKey(CANARY, source="test")
    shown = [str(key), repr(key), f"{key}", "%s" % (key,), f"{key}", str([key]), str({"k": key})]
    for text in shown:
        assert CANARY not in text
    logging.getLogger("t").warning("key is %s / %r", key, key)
    assert CANARY not in caplog.text
    try:
        raise RuntimeError(f"failed with {key!r}")
    except RuntimeError as exc:
        assert CANARY not in str(exc)
    with pytest.raises(TypeError):
        import pickle

        pickle.dumps(key)
    assert key.reveal() == CANARY


def test_key_status_reports_only_set_or_not_set(tmp_path: Path) -> None:
    status = key_status(env_at(tmp_path, DASHSCOPE_API_KEY=CANARY))
    assert status["api_key"] == "set"
    assert CANARY not in repr(status)
    assert key_status(env_at(tmp_path))["api_key"] == "not set"


def test_the_setup_placeholder_is_not_a_key(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("DASHSCOPE_API_KEY=sk-your-key-here\n")
    with pytest.raises(MissingApiKeyError, match="still the placeholder") as info:
        require_api_key(env_at(tmp_path))
    assert info.value.exit_code == 4
    assert key_status(env_at(tmp_path))["api_key"] == "placeholder (not a real key)"
