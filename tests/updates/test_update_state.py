"""The persisted state: where it lives, atomic writes, and a corrupt file reads as a fresh start."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qwencloud_skills.updates import state as store


def test_the_state_file_lives_in_qwen_skills_home(isolated_env: Path) -> None:
    assert store.state_path() == isolated_env / "update-check.json"


def test_missing_file_reads_as_unconfigured() -> None:
    current = store.load()
    assert current.mode == store.UNCONFIGURED
    assert current.releases == {} and current.dismissed_until is None


@pytest.mark.parametrize(
    "text",
    [
        "{not json",
        "",
        "[1, 2]",
        '"enabled"',
        '{"mode": "sideways", "dismissed_until": "tomorrow", "releases": [1], "announced": 7}',
        '{"mode": true, "last_failure": true, "releases": {"x": {"checked_at": "now"}, "y": 3}}',
    ],
)
def test_corrupt_files_read_as_a_fresh_start(text: str) -> None:
    store.state_path().write_text(text, encoding="utf-8")
    current = store.load()
    assert current.mode == store.UNCONFIGURED
    assert current.dismissed_until is None and current.last_failure is None
    assert current.releases == {} and current.announced == {}


def test_binary_garbage_reads_as_a_fresh_start() -> None:
    store.state_path().write_bytes(b"\xff\xfe\x00garbage")
    assert store.load().mode == store.UNCONFIGURED


def test_round_trip_keeps_good_entries_and_drops_bad_ones(isolated_env: Path) -> None:
    data = {
        "mode": "enabled",
        "dismissed_until": 5,
        "releases": {"acme": {"checked_at": 10, "latest": "1.2", "latest_pre": None}, "bad": {"latest": "9"}},
        "announced": {"acme": {"version": "1.2", "at": 0}, "bad": {"version": 3, "at": 1}},
    }
    store.state_path().write_text(json.dumps(data), encoding="utf-8")
    current = store.load()
    assert current.mode == store.ENABLED and current.dismissed_until == 5.0
    assert current.releases == {"acme": store.CachedRelease(10.0, "1.2", None)}
    assert current.announced == {"acme": {"version": "1.2", "at": 0.0}}
    store.save(current)
    assert store.load() == current


def test_writes_are_atomic_and_leave_no_temp_files(isolated_env: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    store.update(lambda s: setattr(s, "mode", store.ENABLED))
    before = store.state_path().read_text(encoding="utf-8")

    def broken_dump(*args: object, **kwargs: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr(store.json, "dump", broken_dump)
    with pytest.raises(OSError):
        store.update(lambda s: setattr(s, "mode", store.NEVER))
    assert store.state_path().read_text(encoding="utf-8") == before  # the old state survives intact
    assert sorted(p.name for p in isolated_env.iterdir()) == ["update-check.json"]


def test_now_is_wall_clock_time() -> None:
    import time

    assert abs(store.now() - time.time()) < 5


def test_temp_files_left_by_an_ended_process_are_swept(isolated_env: Path) -> None:
    import os
    import time

    old = isolated_env / f"{store.TEMP_PREFIX}abc{store.TEMP_SUFFIX}"
    fresh = isolated_env / f"{store.TEMP_PREFIX}def{store.TEMP_SUFFIX}"  # another process writing right now
    unrelated = isolated_env / "ledger.tmp"
    for path in (old, fresh, unrelated):
        path.write_text("{half a docu", encoding="utf-8")
    hours_ago = time.time() - 2 * store.STALE_TEMP
    os.utime(old, (hours_ago, hours_ago))
    os.utime(unrelated, (hours_ago, hours_ago))
    store.sweep()
    assert not old.exists()
    assert fresh.exists() and unrelated.exists()
