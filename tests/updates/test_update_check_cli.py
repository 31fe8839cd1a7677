"""`qwencloud-skills update-check`: the three answers to the prompt, --status, and checking now."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import List

import clirunner
import pytest

from qwencloud_skills.cli.update_check import update_check
from qwencloud_skills.emulator import Fault
from qwencloud_skills.updates import state as store
from qwencloud_skills.updates.check import Installed

from .conftest import Clock, index_requests

DAY = 24 * 3600.0


def invoke(*args: str):
    result = clirunner.invoke(update_check, args)
    assert result.exit_code == 0, (result.output, result.stderr, result.exception)
    return result


def test_enable_dismiss_never_set_the_state(updates_on, clock: Clock) -> None:
    assert "enabled" in invoke("--enable").stdout
    assert store.load().mode == store.ENABLED
    out = invoke("--dismiss").stdout
    assert "silenced until 2023-11-15T22:13:20Z" in out
    assert store.load().dismissed_until == clock.now + DAY
    assert "update-check --enable" in invoke("--never").stdout
    current = store.load()
    assert current.mode == store.NEVER and current.dismissed_until is None
    invoke("--enable")
    assert store.load().mode == store.ENABLED
    assert index_requests(updates_on) == []  # answering the prompt never touches the network


def test_dismiss_keeps_the_host_unconfigured(updates_on) -> None:
    invoke("--dismiss")
    assert store.load().mode == store.UNCONFIGURED


def test_status_text_and_json(updates_on, clock: Clock, isolated_env: Path, dists: List[Installed]) -> None:
    dists.append(Installed("acme-video", "0.3.0"))
    store.update(lambda s: s.releases.update({"acme-video": store.CachedRelease(clock.now, "0.4.0")}))
    text = invoke("--status").stdout
    assert "mode: unconfigured" in text
    assert str(isolated_env / "update-check.json") in text
    assert "qwencloud-skills 1.0.0: not checked yet" in text
    assert "acme-video 0.3.0: latest 0.4.0 (checked 2023-11-14T22:13:20Z), update available: 0.4.0" in text
    report = json.loads(invoke("--status", "--format", "json").stdout)
    assert report["mode"] == "unconfigured" and report["disabled_by_env"] is False
    assert report["index"] == updates_on.base_url
    assert report["state_file"] == str(isolated_env / "update-check.json")
    assert report["distributions"][1] == {
        "name": "acme-video", "installed": "0.3.0", "latest": "0.4.0", "latest_prerelease": None,
        "checked_at": "2023-11-14T22:13:20Z", "update_available": "0.4.0",
    }
    assert index_requests(updates_on) == []


def test_status_mentions_the_env_switch(updates_on, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QWEN_SKILLS_NO_UPDATE_CHECK", "1")
    assert "QWEN_SKILLS_NO_UPDATE_CHECK is set" in invoke("--status").stdout


def test_enable_and_dismiss_answer_in_json_too(updates_on) -> None:
    assert json.loads(invoke("--enable", "--format", "json").stdout)["mode"] == "enabled"
    assert json.loads(invoke("--dismiss", "--format", "json").stdout)["dismissed_until"]


def test_a_plain_run_checks_now_and_reports(updates_on, clock: Clock, dists: List[Installed]) -> None:
    dists.append(Installed("acme-video", "0.3.0"))
    dists.append(Installed("private-plugin", "1.0"))
    updates_on.add_version("qwencloud-skills", "1.0.0")
    updates_on.add_version("acme-video", "0.4.0")
    set_enabled_with_fresh_cache(clock)
    result = invoke()
    assert len(index_requests(updates_on)) == 3  # explicit: the fresh cache does not stop it
    assert "qwencloud-skills 1.0.0: up to date (latest 1.0.0)" in result.stdout
    assert f'acme-video 0.3.0: 0.4.0 available; upgrade: "{sys.executable}" -m pip install -U acme-video' \
        in result.stdout
    assert "private-plugin 1.0: not on the package index" in result.stdout
    assert result.stderr.splitlines() == [
        f'[UPDATE_AVAILABLE] acme-video 0.4.0 is available (installed: 0.3.0). '
        f'Upgrade: "{sys.executable}" -m pip install -U acme-video'
    ]
    assert store.load().releases["acme-video"].latest == "0.4.0"


def set_enabled_with_fresh_cache(clock: Clock) -> None:
    def change(current: store.UpdateState) -> None:
        current.mode = store.ENABLED
        current.last_failure = clock.now  # even inside the back-off window
        current.releases["qwencloud-skills"] = store.CachedRelease(clock.now, "1.0.0")

    store.update(change)


def test_now_in_json(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "1.1.0")
    report = json.loads(invoke("--now", "--format", "json").stdout)
    assert report["error"] is None and report["checked_at"] == "2023-11-14T22:13:20Z"
    (row,) = report["distributions"]
    assert row["update_available"] == "1.1.0" and row["upgrade_command"].endswith("-m pip install -U qwencloud-skills")


def test_a_plain_run_while_unconfigured_also_asks_the_question(updates_on) -> None:
    updates_on.add_version("qwencloud-skills", "1.0.0")
    result = invoke()
    assert "up to date" in result.stdout
    assert result.stderr.startswith("[ACTION_REQUIRED] ")


def test_a_plain_run_with_the_index_down_says_so_and_exits_0(updates_on) -> None:
    updates_on.inject(Fault("pypi", "status", status=503, count=None))
    store.update(lambda s: setattr(s, "mode", store.ENABLED))
    result = invoke()
    assert "qwencloud-skills 1.0.0: not checked (the index did not answer)" in result.stdout
    assert f"Could not reach {updates_on.base_url} (HTTP 503); try again later." in result.stdout
    assert result.stderr == ""
    assert json.loads(invoke("--format", "json").stdout)["error"] == "HTTP 503"


def test_an_explicit_check_is_not_announced_again_by_the_next_job(updates_on, clock: Clock) -> None:
    import io

    from qwencloud_skills.updates import emit_signals

    updates_on.add_version("qwencloud-skills", "2.0.0")
    store.update(lambda s: setattr(s, "mode", store.ENABLED))
    assert "[UPDATE_AVAILABLE]" in invoke().stderr
    clock.advance(60)
    assert emit_signals(io.StringIO()) == []


@pytest.mark.slow
def test_the_command_runs_in_a_real_process(updates_on, isolated_env: Path) -> None:
    code = "from qwencloud_skills.cli.update_check import update_check; update_check()"
    done = subprocess.run([sys.executable, "-c", code, "--never"], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert json.loads((isolated_env / "update-check.json").read_text(encoding="utf-8"))["mode"] == "never"
