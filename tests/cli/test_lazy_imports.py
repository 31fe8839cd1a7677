"""Start-up stays fast because heavy modules load only when a command needs them.

These tests check which modules a command imports (not how long it takes:
timing lives in benchmarks/startup.py).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

PROBE = """
import json, sys
sys.argv = {argv!r}
from qwencloud_video.cli import main
try:
    main()
except SystemExit:
    pass
sys.stderr.write("\\nMODULES=" + json.dumps(sorted(sys.modules)) + "\\n")
"""


def modules_after(cli, *argv: str) -> set:
    result = subprocess.run([sys.executable, "-c", PROBE.format(argv=["qwencloud-video", *argv])],
                            capture_output=True, text=True, env=cli.env, cwd=cli.cwd, timeout=60)
    line = [line for line in result.stderr.splitlines() if line.startswith("MODULES=")][-1]
    return set(json.loads(line[len("MODULES="):]))


def test_help_lists_modes_without_pydantic_or_httpx(cli) -> None:
    loaded = modules_after(cli, "--help")
    assert "pydantic" not in loaded and "httpx" not in loaded
    assert not [name for name in loaded if name.startswith("qwencloud_video.requests.")]


def test_help_reads_the_installed_plugins_from_the_cache_once_it_is_written(cli) -> None:
    cold = modules_after(cli, "--help")  # a fresh state dir: the scan runs and writes the cache
    (Path(os.environ["QWEN_SKILLS_HOME"]) / "help-texts.json").unlink()  # build the help again (cli/quickhelp)
    warm = modules_after(cli, "--help")
    assert "importlib.metadata" in cold
    assert "importlib.metadata" not in warm and "email.parser" not in warm
    assert "qwencloud_video.t2v" in warm  # the plugins themselves still load for the modes list
    assert "qwencloud_skills.cli.app" not in warm  # a skill's script never builds the root group


def test_poll_once_loads_no_plugin_code(cli) -> None:
    cli.emulator.config.generation_seconds = 2.0
    task_id = cli("--request", '{"prompt": "a cat"}', "--submit-only").stdout.strip()
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    # Still running: answered over the standard library (qwencloud_skills.quickpoll), with no click either.
    assert not {"httpx", "click", "pydantic", "pluggy", "tenacity", "dataclasses"} & loaded
    assert "qwencloud_skills.quickpoll" in loaded
    assert not [name for name in loaded if name.startswith("qwencloud_video.") and name != "qwencloud_video.cli"]
    assert "importlib.metadata" not in loaded and "qwencloud_skills.entrycache" not in loaded
    assert "qwencloud_skills.cli.app" not in loaded


def test_resuming_a_submit_only_task_loads_no_plugin_code(cli) -> None:
    task_id = cli("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                  "--submit-only").stdout.strip()
    time.sleep(0.5)
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert "pluggy" not in loaded  # the output folder was recorded at submit: no registry lookup needed
    assert (cli.cwd / "output" / "qwencloud-video-generation" / "video.mp4").is_file()


def test_a_mode_command_loads_only_its_own_request_model(cli) -> None:
    loaded = modules_after(cli, "kf2v", "--help")
    assert "qwencloud_video.requests.kf2v" in loaded
    assert "qwencloud_video.requests.vace" not in loaded


# -- update checks: nothing heavy on a job's path -------------------------------------------------

UPDATE_HEAVY = ("packaging", "importlib.metadata", "qwencloud_skills.plugins", "pluggy")


def _running_task(cli) -> str:
    from qwencloud_skills.emulator import Fault

    cli.emulator.inject(Fault("submit", "never_finish"))
    return cli("--request", '{"prompt": "a cat"}', "--submit-only").stdout.strip()


def _checks_enabled(monkeypatch, index_url: str, fresh: bool) -> None:
    """Checks on; ``fresh``: every installed distribution already checked (up to date) just now."""
    from qwencloud_skills.updates import check
    from qwencloud_skills.updates import state as store

    monkeypatch.delenv("QWEN_SKILLS_NO_UPDATE_CHECK", raising=False)
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", index_url)

    def change(current: store.UpdateState) -> None:
        current.mode = store.ENABLED
        if fresh:
            for dist in check.installed_distributions():
                current.releases[dist.key] = store.CachedRelease(store.now(), dist.version)

    store.update(change)


def test_checks_off_load_none_of_the_update_check(cli) -> None:
    loaded = modules_after(cli, "--task-id", _running_task(cli), "--poll-once")
    assert not [name for name in UPDATE_HEAVY if name in loaded]
    assert "qwencloud_skills.updates.check" not in loaded and "qwencloud_skills.updates.installed" not in loaded


def test_checks_enabled_but_not_due_load_nothing_heavy(cli, monkeypatch) -> None:
    from qwencloud_skills.updates import state as store

    task_id = _running_task(cli)
    _checks_enabled(monkeypatch, cli.emulator.base_url, fresh=True)
    loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert not [name for name in UPDATE_HEAVY if name in loaded]
    assert store.load().last_attempt is None  # no check started
    assert not [r for r in cli.emulator.requests if r.path.startswith("/pypi/")]


def test_a_due_check_keeps_heavy_modules_off_the_job(cli, monkeypatch) -> None:
    import socket

    from qwencloud_skills.updates import state as store

    task_id = _running_task(cli)
    with socket.socket() as silent:  # the index: the kernel accepts, nobody answers
        silent.bind(("127.0.0.1", 0))
        silent.listen(4)
        _checks_enabled(monkeypatch, "http://127.0.0.1:%d" % silent.getsockname()[1], fresh=False)
        loaded = modules_after(cli, "--task-id", task_id, "--poll-once")
    assert "qwencloud_skills.updates.check" in loaded  # the check did start ...
    assert store.load().last_attempt is not None
    assert not [name for name in UPDATE_HEAVY if name in loaded]  # ... without metadata scans or packaging
