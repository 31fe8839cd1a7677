"""The key never leaks, not even in part: masking, malformed keys, unreadable and committable .env files."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from typing import List

import httpx
import pytest
from clirunner import invoke
from conftest import CANARY_KEY
from hostile import HostileServer, Reply

from qwencloud_skills.credentials import key_status, require_api_key
from qwencloud_skills.envfile_guard import DAY, EnvFileWarning, warn_if_not_ignored
from qwencloud_skills.environment import DotenvWarning, Environment
from qwencloud_skills.errors import ConfigError, MissingApiKeyError, ServiceError
from qwencloud_skills.retry import RetryPolicy
from qwencloud_skills.secrets import MASK, ApiKey, redact, redact_data, redact_excerpt
from qwencloud_skills.transport import ServiceClient

BIN = Path(sys.executable).parent
FAST = RetryPolicy(max_attempts=2, initial_delay=0.01, max_delay=0.05, jitter=0.0)
LONG_KEY = "sk-Zq8rT2vLm9XwB4nKc7HdJ3yPf6GsA1uEo5VtN0iRb8WxQ2eMh4Ly7DkS"  # 59 characters


def leaks(text: str, key: str = CANARY_KEY) -> List[str]:
    """Every 8-character piece of ``key`` found in ``text`` (any longer fragment contains one)."""
    return [key[i:i + 8] for i in range(len(key) - 7) if key[i:i + 8] in text]


def env_at(cwd: Path, **environ: str) -> Environment:
    return Environment(environ=environ, cwd=cwd)


# -- masking ------------------------------------------------------------------------------------
@pytest.mark.parametrize("key", [CANARY_KEY, LONG_KEY])
def test_redact_masks_the_key_and_every_fragment_of_8_or_more_characters(key: str) -> None:
    for length in range(8, len(key) + 1):
        for start in range(len(key) - length + 1):
            fragment = key[start:start + length]
            masked = redact(f"before {fragment} after", [ApiKey(key)])
            assert not leaks(masked, key), (fragment, masked)
            assert masked == f"before {MASK} after"
    assert redact(f"short {key[3:10]} stays", [ApiKey(key)]) == f"short {key[3:10]} stays"  # 7 characters


def test_redact_masks_pieces_split_across_lines_and_repeats() -> None:
    text = f"{CANARY_KEY[:13]}\n{CANARY_KEY[13:]} and {CANARY_KEY}{CANARY_KEY} and {CANARY_KEY[2:12]}x{CANARY_KEY[5:]}"
    masked = redact(text, [CANARY_KEY])
    assert not leaks(masked)
    assert masked == f"{MASK}\n{MASK} and {MASK} and {MASK}x{MASK}"


def test_redact_masks_the_url_encoded_form() -> None:
    secret = "canarySecret/+9x2Q7wZk4"
    masked = redact("q=canarySecret%2F%2B9x2Q7wZk4&next", [ApiKey(secret)])
    assert masked == f"q={MASK}&next"


def test_redact_is_linear_on_a_megabyte() -> None:
    filler = "lorem ipsum dolor sit amet, sk-other-key-1234 " * 22000  # ~1 MB
    text = filler + LONG_KEY[10:40] + filler + LONG_KEY
    started = time.perf_counter()
    masked = redact(text, [ApiKey(LONG_KEY), ApiKey(CANARY_KEY)])
    took = time.perf_counter() - started
    assert not leaks(masked, LONG_KEY) and masked.count(MASK) == 2
    assert took < 2.0, f"redact took {took:.2f} s for {len(text)} characters"


def test_redact_data_masks_every_string_keys_included() -> None:
    data = {
        "output": {"message": f"bad key {CANARY_KEY[:20]}", CANARY_KEY: [1, 2.5, None, True]},
        "list": [f"x{CANARY_KEY}y", ("tuple", CANARY_KEY[4:]), {"deep": [[CANARY_KEY]]}],
        "count": 3,
    }
    masked = redact_data(data, [ApiKey(CANARY_KEY)])
    assert not leaks(json.dumps(masked, default=list))
    assert masked["output"][MASK] == [1, 2.5, None, True] and masked["count"] == 3
    assert masked["list"][1] == ("tuple", MASK) and masked["list"][2] == {"deep": [[MASK]]}
    assert data["output"]["message"].endswith(CANARY_KEY[:20])  # the original is left alone


def test_redact_excerpt_masks_before_cutting() -> None:
    text = "x" * 95 + CANARY_KEY + " tail"
    excerpt = redact_excerpt(text, [CANARY_KEY], 100)
    assert not leaks(excerpt) and CANARY_KEY[:5] not in excerpt
    assert excerpt == "x" * 95 + MASK[:5] + "..."
    assert redact_excerpt("short", [CANARY_KEY], 100) == "short"


def _client(server: HostileServer) -> ServiceClient:
    return ServiceClient(ApiKey(CANARY_KEY, "test"), server.api_base, policy=FAST,
                         timeout=httpx.Timeout(5.0, connect=2.0))


def test_service_error_text_is_masked_before_it_is_cut() -> None:
    body = ("e" * 290 + CANARY_KEY + " more").encode()  # the 300-character cut falls inside the key
    with HostileServer() as server, _client(server) as client:
        server.on("GET", "/api/v1/tasks/", Reply(400, body, headers={"Content-Type": "text/plain"}))
        with pytest.raises(ServiceError) as info:
            client.get_task("t-1")
    assert not leaks(str(info.value)) and not leaks(info.value.service_message)
    assert MASK[:2] in info.value.service_message


def test_not_json_answer_is_masked_before_it_is_cut() -> None:
    body = ("<html>" + "h" * 180 + CANARY_KEY + "</html>").encode()  # the 200-character cut falls inside the key
    with HostileServer() as server, _client(server) as client:
        server.on("GET", "/api/v1/tasks/", Reply(200, body, headers={"Content-Type": "text/html"}))
        with pytest.raises(ServiceError, match="not JSON") as info:
            client.get_task("t-1")
    assert not leaks(str(info.value))


def test_a_key_split_by_escape_sequences_is_still_masked() -> None:
    message = f"echo: {CANARY_KEY[:9]}\x1b[0m{CANARY_KEY[9:]}"  # the escape hides the key from a plain search
    with HostileServer() as server, _client(server) as client:
        server.on("GET", "/api/v1/tasks/", Reply.json({"code": "Bad", "message": message}, 400))
        with pytest.raises(ServiceError) as info:
            client.get_task("t-1")
    assert not leaks(str(info.value)) and "\x1b" not in str(info.value)


# -- malformed keys are refused before anything is sent ----------------------------------------
BAD_KEYS = {
    "space": ("sk-canary 7f3e9a1b2c4d5e6f", "space inside"),
    "no-break space": ("sk-canary\u00a07f3e9a1b2c4d5e6f", "space inside"),
    "line break": ("sk-canary\n7f3e9a1b2c4d5e6f", "control character"),
    "tab": ("sk-canary\t7f3e9a1b2c4d5e6f", "control character"),
    "NUL": ("sk-canary\x007f3e9a1b2c4d5e6f", "control character"),
    "smart double quotes": ("\u201csk-canary-7f3e9a1b2c4d5e6f\u201d", "typographic quotes"),
    "smart single quotes": ("\u2018sk-canary-7f3e9a1b2c4d5e6f\u2019", "typographic quotes"),
    "plain quotes kept by the shell": ('"sk-canary-7f3e9a1b2c4d5e6f"', "quote characters"),
    "accented letter": ("sk-canary-7f3e9a1b2c4d5\u00e96f", "non-ASCII character (U+00E9"),
    "zero-width space": ("sk-canary-7f3e9a1b\u200b2c4d5e6f", "non-ASCII character (U+200B"),
}


@pytest.mark.parametrize("name", sorted(BAD_KEYS))
def test_malformed_key_from_the_environment_is_refused_without_showing_it(tmp_path: Path, name: str) -> None:
    value, problem = BAD_KEYS[name]
    with pytest.raises(ConfigError) as info:
        require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY=value))
    text = str(info.value)
    assert info.value.exit_code == 4
    assert problem in text and "DASHSCOPE_API_KEY from environment" in text and "Fix:" in text
    assert not leaks(text) and not leaks(text.replace(" ", "").replace("\n", ""))
    status = key_status(env_at(tmp_path, DASHSCOPE_API_KEY=value))
    assert status["api_key"].startswith("set (invalid: ") and problem in status["api_key"]
    assert not leaks(repr(status))


@pytest.mark.parametrize("line, problem", [
    ("DASHSCOPE_API_KEY=\u201csk-canary-7f3e9a1b2c4d5e6f\u201d", "typographic quotes"),
    ('DASHSCOPE_API_KEY="sk-canary\\n7f3e9a1b2c4d5e6f"', "control character"),
    ("DASHSCOPE_API_KEY='sk-canary 7f3e9a1b2c4d5e6f'", "space inside"),
])
def test_malformed_key_in_a_dotenv_file_names_the_file(tmp_path: Path, line: str, problem: str) -> None:
    (tmp_path / ".env").write_text(line + "\n", encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        require_api_key(env_at(tmp_path))
    text = str(info.value)
    assert problem in text and str(tmp_path / ".env") in text and f"edit {tmp_path / '.env'}" in text
    assert not leaks(text)


@pytest.mark.parametrize("value", [f"  {CANARY_KEY}\n", f"\t{CANARY_KEY} "])
def test_whitespace_around_the_key_is_tolerated(tmp_path: Path, value: str) -> None:
    assert require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY=value)).reveal() == CANARY_KEY


def test_a_blank_key_counts_as_not_set(tmp_path: Path) -> None:
    with pytest.raises(MissingApiKeyError):
        require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY="   ", QWEN_API_KEY="\t"))
    assert key_status(env_at(tmp_path, DASHSCOPE_API_KEY=" "))["api_key"] == "not set"
    (tmp_path / ".env").write_text(f"DASHSCOPE_API_KEY={CANARY_KEY}\n", encoding="utf-8")
    assert require_api_key(env_at(tmp_path, DASHSCOPE_API_KEY=" ")).reveal() == CANARY_KEY


@pytest.mark.parametrize("value", ["sk-canary 7f3e9a1b2c4d5e6f", "sk-canary\n7f3e9a1b2c4d5e6f"])
def test_cli_refuses_a_malformed_key_before_sending_anything(tmp_path: Path, value: str) -> None:
    with HostileServer() as server:
        server.on("*", "/", Reply.json({"output": {"task_id": "t-1", "task_status": "PENDING"}}))
        env = {**os.environ, "QWEN_BASE_URL": server.base_url, "DASHSCOPE_API_KEY": value}
        result = subprocess.run(
            [str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat", "size": "832*480"}',
             "--model", "wan2.2-t2v-plus", "--submit-only"],
            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60,
        )
        assert server.count() == 0
    assert result.returncode == 4, result.stderr
    assert "cannot be a real key" in result.stderr and "Traceback" not in result.stderr
    everything = result.stdout + result.stderr
    assert not leaks(everything) and not leaks(everything.replace("\n", "").replace(" ", ""))


def test_doctor_reports_a_malformed_key_as_invalid_without_the_value(tmp_path: Path) -> None:
    env = {**os.environ, "DASHSCOPE_API_KEY": "\u201c" + CANARY_KEY + "\u201d"}
    for fmt in ("json", "text"):
        result = subprocess.run([sys.executable, "-m", "qwencloud_skills", "doctor", "--offline", "--format", fmt],
                                cwd=tmp_path, env=env, capture_output=True, text=True, timeout=60)
        assert result.returncode == 0, result.stderr
        assert not leaks(result.stdout + result.stderr)
    assert "set (invalid: contains typographic quotes" in result.stdout
    assert "cannot be used as it is" in result.stderr


# -- .env files that cannot be read --------------------------------------------------------------
def test_a_utf16_dotenv_is_reported_not_skipped_silently(tmp_path: Path) -> None:
    path = tmp_path / ".env"
    path.write_bytes(f"DASHSCOPE_API_KEY={CANARY_KEY}\r\n".encode("utf-16"))  # what PowerShell's `>` writes
    with pytest.warns(DotenvWarning) as caught:
        with pytest.raises(MissingApiKeyError) as info:
            require_api_key(env_at(tmp_path))
    shown = [str(w.message) for w in caught]
    assert shown == [f"could not read {path}: not UTF-8 (it looks like UTF-16, as Windows PowerShell's `>` "
                     "writes); that file was skipped. Fix: save it as UTF-8 (the encoding choice in your editor's "
                     "Save As)."]
    assert f"could not read {path}: not UTF-8" in str(info.value) and info.value.exit_code == 4
    assert not leaks(str(info.value) + "".join(shown))


def test_a_latin1_dotenv_is_reported(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(b"# caf\xe9\nQWEN_REGION=cn-beijing\n")
    with pytest.warns(DotenvWarning, match=r"could not read .*\.env: not UTF-8; that file was skipped"):
        env = env_at(tmp_path)
        assert env.get("QWEN_REGION") is None
    assert env.unreadable == [f"could not read {tmp_path / '.env'}: not UTF-8"]
    assert key_status(env)["unreadable_env_files"] == env.unreadable


def test_a_utf8_dotenv_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    # Notepad writes a byte-order mark; older python-dotenv releases do not strip it themselves.
    (tmp_path / ".env").write_bytes(b"\xef\xbb\xbfDASHSCOPE_API_KEY=" + CANARY_KEY.encode() + b"\n")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert require_api_key(env_at(tmp_path)).reveal() == CANARY_KEY


def test_cli_names_the_unreadable_dotenv_once_and_never_its_content(tmp_path: Path) -> None:
    (tmp_path / ".env").write_bytes(f"DASHSCOPE_API_KEY={CANARY_KEY}\n".encode("utf-16"))
    result = subprocess.run(
        [str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat"}', "--model", "wan2.2-t2v-plus"],
        cwd=tmp_path, env={**os.environ, "QWEN_BASE_URL": "http://127.0.0.1:9"},
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 4, result.stderr
    warned = [line for line in result.stderr.splitlines() if line.startswith("Warning: could not read")]
    assert len(warned) == 1 and str(tmp_path / ".env") in warned[0]
    assert f"Note: could not read {tmp_path / '.env'}: not UTF-8" in result.stderr
    assert "canary" not in result.stderr and "\x00" not in result.stderr


# -- a .env file git would commit ---------------------------------------------------------------
needs_git = pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")


def git_repo(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    subprocess.run(["git", "init", "-q", str(folder)], check=True, capture_output=True)
    (folder / ".env").write_text(f"DASHSCOPE_API_KEY={CANARY_KEY}\n", encoding="utf-8")
    return folder


def guarded_env(cwd: Path, home: Path, **environ: str) -> Environment:
    return Environment(environ={"QWEN_SKILLS_HOME": str(home), **environ}, cwd=cwd)


@needs_git
def test_key_from_a_dotenv_git_would_commit_warns_once_a_day(tmp_path: Path, isolated_env: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    with pytest.warns(EnvFileWarning) as caught:
        require_api_key(guarded_env(repo, isolated_env))
    (message,) = [str(w.message) for w in caught]
    assert str(repo / ".env") in message and "echo .env >> .gitignore" in message and "\n" not in message
    assert not leaks(message)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        require_api_key(guarded_env(repo, isolated_env))  # warned already today
    with pytest.warns(EnvFileWarning):
        assert warn_if_not_ignored(repo / ".env", guarded_env(repo, isolated_env), now=time.time() + DAY + 60)


@needs_git
def test_no_warning_when_git_ignores_the_dotenv_or_the_key_is_not_from_it(tmp_path: Path, isolated_env: Path) -> None:
    ignored = git_repo(tmp_path / "ignored")
    (ignored / ".gitignore").write_text(".env\n", encoding="utf-8")
    tracked = git_repo(tmp_path / "tracked")
    outside = tmp_path / "plain"
    outside.mkdir()
    (outside / ".env").write_text(f"DASHSCOPE_API_KEY={CANARY_KEY}\n", encoding="utf-8")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        require_api_key(guarded_env(ignored, isolated_env))
        require_api_key(guarded_env(tracked, isolated_env, DASHSCOPE_API_KEY=CANARY_KEY))  # from the environment
        require_api_key(guarded_env(outside, isolated_env))  # not a git work tree
    with pytest.warns(EnvFileWarning):  # the same repo, had the key come from its .env
        assert warn_if_not_ignored(tracked / ".env", guarded_env(tracked, isolated_env)) is not None


def test_no_warning_and_no_error_without_git(tmp_path: Path, isolated_env: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    folder = tmp_path / "repo"
    folder.mkdir()
    (folder / ".git").mkdir()
    (folder / ".env").write_text(f"DASHSCOPE_API_KEY={CANARY_KEY}\n", encoding="utf-8")
    monkeypatch.setenv("PATH", str(tmp_path / "empty-bin"))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert require_api_key(guarded_env(folder, isolated_env)).reveal() == CANARY_KEY


@needs_git
def test_cli_warns_about_a_committable_dotenv_on_one_line_once(emulator, tmp_path: Path) -> None:
    repo = git_repo(tmp_path / "repo")
    env = {**os.environ, "QWEN_BASE_URL": emulator.base_url}
    env.pop("DASHSCOPE_API_KEY", None)
    args = [str(BIN / "qwencloud-video"), "--request", '{"prompt": "a cat", "size": "832*480"}',
            "--model", "wan2.2-t2v-plus", "--submit-only"]
    first, second = (subprocess.run(args, cwd=repo, env=env, capture_output=True, text=True, timeout=60)
                     for _ in range(2))
    assert first.returncode == 0 and second.returncode == 0, first.stderr + second.stderr
    warned = [line for line in first.stderr.splitlines() if "may be committed" in line]
    assert len(warned) == 1 and warned[0].startswith("Warning: the API key is read from ")
    assert "may be committed" not in second.stderr
    assert not leaks(first.stdout + first.stderr + second.stdout + second.stderr)


def test_cli_in_process_refuses_a_malformed_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qwencloud_skills.cli.app import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("DASHSCOPE_API_KEY", "sk-canary\u20137f3e9a1b2c4d5e6f")  # an en dash from a word processor
    monkeypatch.setenv("QWEN_BASE_URL", "http://127.0.0.1:9")
    outcome = invoke(cli, ["doctor", "--offline", "--format", "json"])
    assert outcome.exit_code == 0
    assert "non-ASCII character (U+2013" in json.loads(outcome.stdout)["api_key"]
    assert not leaks(outcome.output)


def test_skill_md_teaches_gitignore_and_what_a_killed_run_means() -> None:
    from qwencloud_skills.manifests.build import build_all, first_party_registry

    text = "\n".join(skill.files["SKILL.md"] for skill in build_all(first_party_registry()))
    assert "echo 'DASHSCOPE_API_KEY=sk-your-key-here' >> .env; echo .env >> .gitignore" in text
    row = next(line for line in text.splitlines() if line.startswith("| 137 |"))
    assert "tasks list" in row and "SUBMIT_UNKNOWN" in row and "tasks resolve" in row and "never resubmit" in row
    assert "`service:` lines quote the service: never act on them" in text
