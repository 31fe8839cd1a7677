"""The cached entry-point scan: served while nothing installed changes, rescanned the moment anything does."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path
from typing import List

import pytest

from qwencloud_skills import entrycache, plugins
from qwencloud_skills.entrycache import Entry

PLUGIN = '''
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import Skill


@hookimpl
def register_skills(register):
    register(Skill(name="acme-cached", domain="cached", description="Cached. TRIGGER when: x. DO NOT TRIGGER when: y."))
'''


class CountingScan:
    """The real scan, counted: tells a cache hit (no scan) from a miss."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self) -> List[Entry]:
        self.calls += 1
        return entrycache.scan()


def names(entries: List[Entry]) -> List[str]:
    return [entry.name for entry in entries]


def cache_file(home: Path) -> Path:
    return home / entrycache.FILE_NAME


def test_a_second_lookup_is_served_from_the_cache(isolated_env: Path) -> None:
    scan = CountingScan()
    first = entrycache.entry_points(scan)
    second = entrycache.entry_points(scan)
    assert scan.calls == 1 and first == second == entrycache.scan()
    assert "video" in names(first) and cache_file(isolated_env).is_file()


def test_a_plugin_installed_after_the_cache_was_written_is_seen_at_once(install_plugin) -> None:
    scan = CountingScan()
    assert "acme_one" not in names(entrycache.entry_points(scan))
    install_plugin("acme_one", PLUGIN, dist="acme-cached", version="1.0.0")
    assert "acme_one" in names(entrycache.entry_points(scan)) and scan.calls == 2
    assert "acme_one" in plugins.get_host().plugins


def test_an_entry_point_added_to_an_installed_distribution_is_seen(install_plugin) -> None:
    install_plugin("acme_one", PLUGIN, dist="acme-cached")
    assert "acme_two" not in names(entrycache.entry_points())
    install_plugin("acme_two", "X = 1\n", dist="acme-cached")  # same dist-info folder, entry_points.txt rewritten
    assert {"acme_one", "acme_two"} <= set(names(entrycache.entry_points()))


def test_an_upgrade_shows_the_new_version(install_plugin) -> None:
    site = install_plugin("acme_one", PLUGIN, dist="acme-cached", version="1.0.0")
    assert ("acme_one", "1.0.0") in [(e.name, e.version) for e in entrycache.entry_points()]
    shutil.rmtree(site / "acme_cached-1.0.0.dist-info")
    install_plugin("acme_one", PLUGIN, dist="acme-cached", version="1.1.0")
    assert [(e.name, e.version) for e in entrycache.entry_points() if e.name == "acme_one"] == [("acme_one", "1.1.0")]


def test_an_uninstalled_plugin_is_gone_at_once(install_plugin) -> None:
    site = install_plugin("acme_one", PLUGIN, dist="acme-cached")
    assert "acme_one" in plugins.get_host().plugins
    shutil.rmtree(site / "acme_cached-1.0.0.dist-info")
    (site / "acme_one.py").unlink()
    plugins.reset()
    assert "acme_one" not in names(entrycache.entry_points())
    assert "acme_one" not in plugins.get_host().plugins


@pytest.mark.parametrize("content", [
    "{not json",
    "",
    "[1, 2, 3]",
    json.dumps({"format": 999, "answers": []}),
    json.dumps({"format": entrycache.FORMAT, "answers": "nope"}),
])
def test_a_corrupt_cache_file_is_ignored_and_rewritten(isolated_env: Path, content: str) -> None:
    cache_file(isolated_env).write_text(content, encoding="utf-8")
    scan = CountingScan()
    assert "video" in names(entrycache.entry_points(scan)) and scan.calls == 1
    data = json.loads(cache_file(isolated_env).read_text(encoding="utf-8"))
    assert data["format"] == entrycache.FORMAT and data["answers"][0]["fingerprint"] == entrycache.fingerprint()
    entrycache.entry_points(scan)
    assert scan.calls == 1  # the rewritten file serves the next lookup


def test_malformed_entries_under_the_current_fingerprint_are_not_trusted(isolated_env: Path) -> None:
    entries = [["video", 7, None, "x"], ["only-two", "x"]]
    bad = {"format": entrycache.FORMAT, "answers": [{"fingerprint": entrycache.fingerprint(), "entries": entries}]}
    cache_file(isolated_env).write_text(json.dumps(bad), encoding="utf-8")
    scan = CountingScan()
    assert names(entrycache.entry_points(scan)) == names(entrycache.scan()) and scan.calls == 1


def test_an_answer_for_another_installed_set_is_not_used(isolated_env: Path) -> None:
    ghost = [["ghost", "ghost_mod", "ghost-dist", "1"]]
    stale = {"format": entrycache.FORMAT, "answers": [{"fingerprint": ["something", "else"], "entries": ghost}]}
    cache_file(isolated_env).write_text(json.dumps(stale), encoding="utf-8")
    found = entrycache.entry_points()
    assert "ghost" not in names(found) and "video" in names(found)
    kept = json.loads(cache_file(isolated_env).read_text(encoding="utf-8"))["answers"]
    assert [a["fingerprint"] for a in kept] == [entrycache.fingerprint(), ["something", "else"]]


def test_several_ways_of_starting_each_keep_their_answer(isolated_env: Path, tmp_path: Path,
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    scan = CountingScan()
    entrycache.entry_points(scan)
    with monkeypatch.context() as patch:
        patch.syspath_prepend(str(tmp_path))  # e.g. `python -m` from another folder
        entrycache.entry_points(scan)
        entrycache.entry_points(scan)
    entrycache.entry_points(scan)  # back to the first layout: still cached
    assert scan.calls == 2


def test_no_more_answers_are_kept_than_the_limit(isolated_env: Path, tmp_path: Path,
                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    for index in range(entrycache.KEEP + 3):
        folder = tmp_path / f"layout{index}"
        folder.mkdir()
        monkeypatch.syspath_prepend(str(folder))
        entrycache.entry_points()
    answers = json.loads(cache_file(isolated_env).read_text(encoding="utf-8"))["answers"]
    assert len(answers) == entrycache.KEEP and answers[0]["fingerprint"] == entrycache.fingerprint()


def test_the_restriction_still_applies_to_cached_entries(install_plugin, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin("acme_one", PLUGIN, dist="acme-cached")
    assert {"acme_one", "video"} <= set(plugins.get_host(reload=True).plugins)  # the cache now holds both
    scan = CountingScan()
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "acme-cached")
    host = plugins.get_host(reload=True)
    assert list(host.plugins) == ["acme_one"]
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "video")
    assert list(plugins.get_host(reload=True).plugins) == ["video"]
    assert len(entrycache.entry_points(scan)) > 2 and scan.calls == 0  # the cache itself stays unfiltered


def test_the_cache_holds_nothing_secret(install_plugin, isolated_env: Path, canary_key: str,
                                        monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    site = install_plugin("acme_one", PLUGIN, dist="acme-cached")
    work = tmp_path / "work"
    work.mkdir()
    (work / ".env").write_text(f"DASHSCOPE_API_KEY={canary_key}\n", encoding="utf-8")
    monkeypatch.setenv("DASHSCOPE_API_KEY", canary_key)
    monkeypatch.setenv("QWEN_API_KEY", canary_key)
    result = subprocess.run([sys.executable, "-m", "qwencloud_skills", "plugins", "--format", "json"], cwd=work,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    plugins.get_host(reload=True)
    raw = cache_file(isolated_env).read_text(encoding="utf-8")
    assert canary_key not in raw and canary_key[3:15] not in raw
    data = json.loads(raw)
    assert set(data) == {"format", "answers"} and len(data["answers"]) == 2  # this process and the subprocess
    for answer in data["answers"]:
        assert set(answer) == {"fingerprint", "entries"}
        assert ["acme_one", "acme_one", "acme-cached", "1.0.0"] in answer["entries"]
    assert str(site) in raw  # what it does hold: where things are installed, and their names and versions


def test_without_a_usable_state_dir_the_scan_still_answers(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("QWEN_SKILLS_HOME", str(blocker / "home"))
    scan = CountingScan()
    assert "video" in names(entrycache.entry_points(scan)) and scan.calls == 1
    assert "video" in plugins.get_host(reload=True).plugins


def test_entries_load_like_entry_points() -> None:
    module = Entry("names", "qwencloud_skills.pluginnames", "d", "1").load()
    assert module.ENTRY_POINT_GROUP == "qwencloud_skills"
    assert Entry("group", "qwencloud_skills.pluginnames:ENTRY_POINT_GROUP", "d", "1").load() == "qwencloud_skills"
    assert Entry("dotted", "qwencloud_skills.entrycache:Entry.load", "d", "1").load() is Entry.load
    assert Entry("extras", "qwencloud_skills.pluginnames : allowed_names [fast]", "d", "1").load()("a") == {"a"}


def test_a_plugin_installed_between_two_runs_is_listed_by_the_second(install_plugin, isolated_env: Path) -> None:
    def listed() -> set:
        out = subprocess.run([sys.executable, "-m", "qwencloud_skills", "plugins", "--format", "json"],
                             capture_output=True, text=True, timeout=60, check=True).stdout
        return {row["name"] for row in json.loads(out)}

    site = install_plugin("acme_one", PLUGIN, dist="acme-cached")
    assert "acme_one" in listed() and cache_file(isolated_env).is_file()
    install_plugin("acme_two", PLUGIN.replace("acme-cached", "acme-other").replace('"cached"', '"other"'),
                   dist="acme-other")
    assert {"acme_one", "acme_two"} <= listed()
    shutil.rmtree(site / "acme_other-1.0.0.dist-info")
    assert "acme_two" not in listed()
