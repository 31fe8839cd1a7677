"""`--help` from remembered texts: byte-identical to click's, keyed by width and plugins, invalidated by changes.

Subprocesses run the installed console scripts (each test has its own QWEN_SKILLS_HOME);
the cache's edge cases (corrupt file, no state dir, many widths) run in-process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Dict, List, Optional

import pytest
from workflowplugin import PLUGIN_SOURCE

from qwencloud_skills.cli import quickhelp
from qwencloud_skills.entrycache import file_stamp

BIN = Path(sys.executable).parent
SKILL = "qwencloud-video-generation"

# What click itself prints (runner.run, as the scripts end), for several argvs in one process.
CLICK_PRINTS = """
import contextlib, io, json, sys
from qwencloud_skills.cli.app import cli
from qwencloud_skills.cli.generated import skill_group
from qwencloud_skills.cli.runner import run
found = {}
for prog, argv in json.loads(sys.argv[1]):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        try:
            if prog == "qwencloud-skills":
                run(cli, argv, prog_name=prog)
            else:
                run(skill_group("%s", prog, "video"), argv, prog_name=prog)
        except SystemExit as exit:
            assert exit.code in (0, None), exit.code
    found[" ".join([prog, *argv])] = out.getvalue()
print(json.dumps(found))
""" % SKILL

REQUESTS = [
    ("qwencloud-video", ["--help"]),
    ("qwencloud-video", ["-h"]),
    ("qwencloud-video", ["t2v", "--help"]),
    ("qwencloud-video", ["workflow", "run", "long-video", "--help"]),
    ("qwencloud-skills", ["--help"]),
    ("qwencloud-skills", ["video", "--help"]),
]


def _env(home: Path, **extra: str) -> Dict[str, str]:
    env = {**os.environ, "QWEN_SKILLS_HOME": str(home), "COLUMNS": "100", **extra}
    return {name: value for name, value in env.items() if value != ""}  # "" removes a variable


def script(prog: str, *argv: str, env: Dict[str, str]) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / prog), *argv], env=env, capture_output=True, text=True, timeout=60)


def click_prints(requests: List[tuple], env: Dict[str, str]) -> Dict[str, str]:
    done = subprocess.run([sys.executable, "-c", CLICK_PRINTS, json.dumps(requests)], env=env,
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def stored(home: Path) -> dict:
    return json.loads((home / quickhelp.FILE_NAME).read_text(encoding="utf-8"))


def test_first_and_second_run_print_exactly_what_click_prints(tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    expected = click_prints(REQUESTS, env)
    for prog, argv in REQUESTS:
        miss = script(prog, *argv, env=env)
        hit = script(prog, *argv, env=env)
        want = expected[" ".join([prog, *argv])]
        assert want.startswith("Usage: ") and want.endswith("\n")
        assert (miss.returncode, miss.stdout, miss.stderr) == (0, want, ""), (prog, argv)
        assert (hit.returncode, hit.stdout, hit.stderr) == (0, want, ""), (prog, argv)
    assert "long-video" in expected["qwencloud-video workflow run long-video --help"]
    keys = [entry["key"][:2] for entry in stored(tmp_path / "home")["entries"]]
    assert sorted(keys) == sorted([prog, argv] for prog, argv in REQUESTS)


HIT_PROBE = """
import json, sys
sys.path[0] = sys.argv[1]  # as the console script's own folder, so the installed set looks the same
from qwencloud_skills.cli import quickhelp
text = quickhelp.cached("qwencloud-video", ["--help"])
print(json.dumps({"text": text, "click": "click" in sys.modules, "plugins": sorted(
    name for name in sys.modules if name.startswith("qwencloud_video") or name in ("pluggy", "platformdirs"))}))
"""


def test_a_hit_comes_from_the_file_without_click_or_plugins(tmp_path: Path) -> None:
    home = tmp_path / "home"
    env = _env(home)
    first = script("qwencloud-video", "--help", env=env)
    probe = subprocess.run([sys.executable, "-c", HIT_PROBE, str(BIN)], env=env, capture_output=True, text=True,
                           timeout=60)
    assert json.loads(probe.stdout) == {"text": first.stdout[:-1], "click": False, "plugins": []}, probe.stderr
    # The script prints what the file says: a marked text comes back as it is.
    data = stored(home)
    data["entries"][0]["text"] += "\n(marked)"
    (home / quickhelp.FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    assert script("qwencloud-video", "--help", env=env).stdout == first.stdout[:-1] + "\n(marked)\n"


def test_each_width_wraps_differently_and_is_kept_apart(tmp_path: Path) -> None:
    home = tmp_path / "home"
    narrow, wide = _env(home, COLUMNS="60"), _env(home, COLUMNS="200")
    expected = {"60": click_prints([REQUESTS[0]], narrow), "200": click_prints([REQUESTS[0]], wide)}
    texts = {}
    for columns, env in (("60", narrow), ("200", wide), ("60", narrow), ("200", wide)):
        texts.setdefault(columns, set()).add(script("qwencloud-video", "--help", env=env).stdout)
    assert texts == {columns: set(found.values()) for columns, found in expected.items()}
    assert texts["60"] != texts["200"]
    assert max(len(line) for line in texts["60"].pop().splitlines()) <= 60
    assert sorted(entry["key"][2] for entry in stored(home)["entries"]) == [60, 200]


def test_a_plugin_restriction_has_its_own_text(tmp_path: Path) -> None:
    home = tmp_path / "home"
    everything = script("qwencloud-skills", "--help", env=_env(home))
    only_image = script("qwencloud-skills", "--help", env=_env(home, QWEN_SKILLS_PLUGINS="image"))
    again = script("qwencloud-skills", "--help", env=_env(home))
    assert "  video " in everything.stdout and "  image " in everything.stdout
    assert "  video " not in only_image.stdout and "  image " in only_image.stdout
    assert again.stdout == everything.stdout


def test_editing_a_plugins_source_invalidates_its_help(tmp_path: Path, install_plugin) -> None:
    site = install_plugin("acme_pair", PLUGIN_SOURCE, dist="acme-pair")
    env = _env(tmp_path / "home", PYTHONPATH=str(site))
    before = script("qwencloud-video", "workflow", "run", "--help", env=env)
    assert "Two clips side by side in time." in before.stdout
    assert script("qwencloud-video", "workflow", "run", "--help", env=env).stdout == before.stdout
    source = site / "acme_pair.py"
    source.write_text(PLUGIN_SOURCE.replace("side by side in time", "one after the other"), encoding="utf-8")
    after = script("qwencloud-video", "workflow", "run", "--help", env=env)
    assert after.returncode == 0 and "Two clips one after the other." in after.stdout


def test_a_plugin_that_fails_to_load_is_reported_on_every_run(tmp_path: Path, install_plugin) -> None:
    site = install_plugin("acme_broken", "raise RuntimeError('acme is broken')\n", dist="acme-broken")
    env = _env(tmp_path / "home", PYTHONPATH=str(site))
    for _ in range(2):
        done = script("qwencloud-video", "--help", env=env)
        assert done.returncode == 0 and done.stdout.startswith("Usage: ")
        assert "acme_broken" in done.stderr and "acme is broken" in done.stderr
    assert not (tmp_path / "home" / quickhelp.FILE_NAME).exists()


@pytest.mark.parametrize("argv, said", [
    (["--help", "--x"], ["No such option", "--x"]),
    (["t2v", "--bogus", "--help"], ["No such option", "--bogus"]),
    (["nosuchcmd", "--help"], ["No such command", "nosuchcmd"]),
])
def test_anything_but_a_plain_help_request_is_left_to_click(tmp_path: Path, argv: List[str], said: List[str]) -> None:
    env = _env(tmp_path / "home")
    script("qwencloud-video", "--help", env=env)  # a file exists: these must still not come from it
    done = script("qwencloud-video", *argv, env=env)
    assert (done.returncode, done.stdout) == (3, "")
    assert all(part in done.stderr for part in said) and "Traceback" not in done.stderr
    assert [entry["key"][1] for entry in stored(tmp_path / "home")["entries"]] == [["--help"]]


def test_no_usable_state_dir_still_prints_the_help(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    env = _env(blocker / "home")
    done = script("qwencloud-video", "--help", env=env)
    assert done.returncode == 0 and done.stdout == click_prints([REQUESTS[0]], env)["qwencloud-video --help"]
    assert "Traceback" not in done.stderr


def test_a_reader_that_has_gone_gets_no_traceback(tmp_path: Path) -> None:
    env = _env(tmp_path / "home")
    for _ in ("miss", "hit"):
        read, write = os.pipe()
        os.close(read)  # like `qwencloud-video --help | head -0`: every write fails with EPIPE
        try:
            done = subprocess.run([str(BIN / "qwencloud-video"), "--help"], env=env, stdout=write,
                                  stderr=subprocess.PIPE, text=True, timeout=60)
        finally:
            os.close(write)
        assert (done.returncode, done.stderr) == (1, "")
    assert stored(tmp_path / "home")["entries"]


# -- in-process: the cache's own rules ---------------------------------------------------------------


@pytest.mark.parametrize("argv, words", [
    (["--help"], []),
    (["-h"], []),
    (["t2v", "--help"], ["t2v"]),
    (["workflow", "run", "long-video", "-h"], ["workflow", "run", "long-video"]),
    ([], None),
    (["t2v"], None),
    (["--help", "t2v"], None),
    (["--help", "--help"], None),
    (["--x", "--help"], None),
    (["t2v", "--model", "m", "--help"], None),
    (["a=b", "--help"], None),
    (["", "--help"], None),
])
def test_request_words(argv: List[str], words: Optional[List[str]]) -> None:
    assert quickhelp.request_words(argv) == words


def _group():
    """A fresh tree and plugin host, as a console script starts (a host set up before is never remembered)."""
    from qwencloud_skills import plugins
    from qwencloud_skills.cli.generated import skill_group

    plugins.reset()
    return skill_group(SKILL, "qwencloud-video", "video")


def test_a_corrupt_file_is_a_miss_and_gets_replaced(isolated_env: Path) -> None:
    path = isolated_env / quickhelp.FILE_NAME
    path.write_text('{"format": 1, "entries": [', encoding="utf-8")
    assert quickhelp.cached("qwencloud-video", ["--help"]) is None
    text = quickhelp.remember(_group(), "qwencloud-video", ["--help"])
    assert text and text.startswith("Usage: qwencloud-video [OPTIONS]")
    assert quickhelp.cached("qwencloud-video", ["--help"]) == text
    for garbage in ("[]", '{"format": 1}', json.dumps({**stored(isolated_env), "entries": [7, {"key": None}]})):
        path.write_text(garbage, encoding="utf-8")
        assert quickhelp.cached("qwencloud-video", ["--help"]) is None


def test_a_changed_recorded_file_or_version_is_a_miss(isolated_env: Path, tmp_path: Path) -> None:
    text = quickhelp.remember(_group(), "qwencloud-video", ["--help"])
    data = stored(isolated_env)
    assert any(path.endswith(os.path.join("qwencloud_video", "t2v.py")) for path in data["sources"])
    recorded = tmp_path / "recorded.py"
    recorded.write_text("X = 1\n", encoding="utf-8")
    data["sources"][str(recorded)] = file_stamp(str(recorded))
    (isolated_env / quickhelp.FILE_NAME).write_text(json.dumps(data), encoding="utf-8")
    assert quickhelp.cached("qwencloud-video", ["--help"]) == text
    recorded.write_text("X = 12\n", encoding="utf-8")
    assert quickhelp.cached("qwencloud-video", ["--help"]) is None
    quickhelp.remember(_group(), "qwencloud-video", ["--help"])  # the stale stamp is replaced
    assert str(recorded) not in stored(isolated_env)["sources"]
    data = stored(isolated_env)
    (isolated_env / quickhelp.FILE_NAME).write_text(json.dumps({**data, "version": "0.0.0"}), encoding="utf-8")
    assert quickhelp.cached("qwencloud-video", ["--help"]) is None


def test_the_file_keeps_the_newest_texts_only(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    for columns in range(60, 60 + quickhelp.KEEP + 3):
        monkeypatch.setenv("COLUMNS", str(columns))
        assert quickhelp.remember(_group(), "qwencloud-video", ["models", "--help"])
    widths = [entry["key"][2] for entry in stored(isolated_env)["entries"]]
    assert widths == list(range(60 + quickhelp.KEEP + 2, 62, -1))
    assert quickhelp.cached("qwencloud-video", ["models", "--help"]) is not None
    monkeypatch.setenv("COLUMNS", "60")
    assert quickhelp.cached("qwencloud-video", ["models", "--help"]) is None


def test_no_state_dir_means_no_cache_but_the_text(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x", encoding="utf-8")
    monkeypatch.setenv("QWEN_SKILLS_HOME", str(blocker / "home"))
    assert quickhelp.remember(_group(), "qwencloud-video", ["t2v", "--help"]).startswith("Usage: qwencloud-video t2v")
    assert quickhelp.cached("qwencloud-video", ["t2v", "--help"]) is None


def test_a_host_set_up_by_the_caller_is_not_remembered(isolated_env: Path) -> None:
    from qwencloud_skills.plugins import get_host

    group = _group()
    get_host()  # in-process use: such a host may hold plugins that are not installed
    assert quickhelp.remember(group, "qwencloud-video", ["--help"]).startswith("Usage: ")
    assert not (isolated_env / quickhelp.FILE_NAME).exists()


def test_words_that_are_not_commands_are_left_to_click(isolated_env: Path) -> None:
    group = _group()
    assert quickhelp.remember(group, "qwencloud-video", ["nosuchcmd", "--help"]) is None
    assert quickhelp.remember(group, "qwencloud-video", ["models", "t2v", "--help"]) is None  # t2v: an argument
    assert quickhelp.remember(group, "qwencloud-video", ["--model", "--help"]) is None
    assert not (isolated_env / quickhelp.FILE_NAME).exists()


def test_an_error_while_building_is_raised_as_click_would(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from qwencloud_skills.errors import ConfigError

    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "video_t2v")  # the skill itself is left out
    with pytest.raises(ConfigError, match="QWEN_SKILLS_PLUGINS"):
        quickhelp.remember(_group(), "qwencloud-video", ["--help"])
    assert not (isolated_env / quickhelp.FILE_NAME).exists()
