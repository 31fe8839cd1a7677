"""emit_signals(): every state transition, the daily limit, and never slowing or breaking a job."""

from __future__ import annotations

import io
import socket
import sys
import time
from pathlib import Path
from typing import List

import pytest

from qwencloud_skills.emulator import Fault
from qwencloud_skills.updates import check, emit_signals, signals, start_check
from qwencloud_skills.updates import state as store
from qwencloud_skills.updates.check import Installed

from .conftest import Clock, finish_background, index_requests, set_mode

DAY = 24 * 3600.0


def run(**kwargs: object) -> List[str]:
    """One 'process': emit, let any background check finish, forget it."""
    lines = emit_signals(io.StringIO(), **kwargs)  # type: ignore[arg-type]
    finish_background()
    return lines


def run_job(**kwargs: object) -> List[str]:
    """One 'process' of a job long enough for the index to answer: start early, finish, emit."""
    start_check()
    finish_thread()
    return run(**kwargs)


def finish_thread() -> None:
    if check._thread is not None:
        check._thread.join(10)


def action_lines(lines: List[str]) -> List[str]:
    return [line for line in lines if line.startswith("[ACTION_REQUIRED]")]


# -- unconfigured ------------------------------------------------------------------------------


def test_unconfigured_asks_for_a_choice_every_run_without_any_network(updates_on, clock: Clock) -> None:
    for _ in range(3):
        lines = run()
        assert len(action_lines(lines)) == 1 and len(lines) == 2
        clock.advance(60)
    text = "\n".join(lines)
    for flag in ("--enable", "--dismiss", "--never"):
        assert f"update-check {flag}" in text
    assert "24 hours" in text
    assert index_requests(updates_on) == []


def test_signals_go_to_stderr_by_default(updates_on, capsys: pytest.CaptureFixture) -> None:
    emit_signals()
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.startswith("[ACTION_REQUIRED] ")


def test_dismiss_silences_for_24_hours_then_asks_again(updates_on, clock: Clock) -> None:
    store.update(lambda s: setattr(s, "dismissed_until", clock.now + DAY))
    assert run() == []
    clock.advance(DAY - 1)
    assert run() == []
    clock.advance(1)
    assert action_lines(run())
    assert index_requests(updates_on) == []


def test_never_means_silent_for_good_and_no_checks(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "9.0.0")
    set_mode(store.NEVER)
    for _ in range(3):
        assert run() == []
        clock.advance(30 * DAY)
    start_check()
    finish_background()
    assert index_requests(updates_on) == []


def test_disable_env_silences_everything(updates_on, monkeypatch: pytest.MonkeyPatch, clock: Clock) -> None:
    monkeypatch.setenv("QWEN_SKILLS_NO_UPDATE_CHECK", "1")
    assert run() == []  # not even ACTION_REQUIRED
    updates_on.add_version("qwencloud-skills", "9.0.0")
    set_mode(store.ENABLED)
    start_check()
    assert run() == []
    assert index_requests(updates_on) == []
    monkeypatch.setenv("QWEN_SKILLS_NO_UPDATE_CHECK", "0")  # explicit "no" turns it back on
    assert run_job()


# -- enabled -----------------------------------------------------------------------------------


def test_enabled_reports_an_update_with_the_exact_upgrade_command(updates_on, dists: List[Installed]) -> None:
    updates_on.add_version("qwencloud-skills", "1.0.0")
    updates_on.add_version("qwencloud-skills", "1.2.0")
    set_mode(store.ENABLED)
    lines = run_job()
    assert lines == [
        f'[UPDATE_AVAILABLE] qwencloud-skills 1.2.0 is available (installed: 1.0.0). '
        f'Upgrade: "{sys.executable}" -m pip install -U qwencloud-skills'
    ]


def test_enabled_and_up_to_date_prints_nothing(updates_on) -> None:
    updates_on.add_version("qwencloud-skills", "1.0.0")
    updates_on.add_version("qwencloud-skills", "1.1.0rc1")  # a pre-release is not offered to 1.0.0
    set_mode(store.ENABLED)
    assert run() == [] and run() == []
    assert len(index_requests(updates_on)) == 1
    assert store.load().releases["qwencloud-skills"].latest == "1.0.0"


def test_plugin_distributions_are_checked_too(updates_on, dists: List[Installed]) -> None:
    dists.append(Installed("Acme_Video", "0.3.0"))
    dists.append(Installed("private-plugin", "1.0"))  # not on the index: 404, cached, silent
    updates_on.add_version("qwencloud-skills", "1.0.0")
    updates_on.add_version("acme-video", "0.4.0")
    set_mode(store.ENABLED)
    lines = run_job()
    assert len(lines) == 1
    assert lines[0].startswith("[UPDATE_AVAILABLE] Acme_Video 0.4.0 is available (installed: 0.3.0)")
    assert lines[0].endswith("-m pip install -U Acme_Video")
    assert sorted(index_requests(updates_on)) == [
        "/pypi/acme-video/json", "/pypi/private-plugin/json", "/pypi/qwencloud-skills/json"
    ]
    assert store.load().releases["private-plugin"].latest is None


def test_prerelease_users_are_offered_prereleases_with_pip_pre(updates_on, dists: List[Installed]) -> None:
    dists[0] = Installed("qwencloud-skills", "2.0.0b1")
    updates_on.add_version("qwencloud-skills", "1.0.0")
    updates_on.add_version("qwencloud-skills", "2.0.0b2")
    set_mode(store.ENABLED)
    (line,) = run_job()
    assert "2.0.0b2 is available (installed: 2.0.0b1)" in line
    assert line.endswith("-m pip install -U --pre qwencloud-skills")


def test_at_most_one_check_a_day(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "1.0.0")
    set_mode(store.ENABLED)
    run()
    assert len(index_requests(updates_on)) == 1
    for _ in range(4):
        clock.advance(DAY / 5)
        run()
    clock.advance(DAY / 5 - 1)
    run()
    assert len(index_requests(updates_on)) == 1  # still inside the 24 hours
    clock.advance(1)
    run()
    assert len(index_requests(updates_on)) == 2


def test_the_same_update_is_announced_once_a_day(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "1.5.0")
    set_mode(store.ENABLED)
    assert run_job()
    clock.advance(3600)
    assert run() == []  # known, already told
    updates_on.add_version("qwencloud-skills", "1.6.0")
    clock.advance(DAY)
    (line,) = run_job()  # the daily check found a newer one: tell again
    assert "1.6.0 is available" in line


def test_upgrading_makes_the_signal_go_away(updates_on, clock: Clock, dists: List[Installed]) -> None:
    updates_on.add_version("qwencloud-skills", "1.5.0")
    set_mode(store.ENABLED)
    assert run_job()
    dists[0] = Installed("qwencloud-skills", "1.5.0")
    clock.advance(2 * DAY)
    assert run() == []


def test_dismiss_also_quiets_an_enabled_host(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "1.5.0")
    set_mode(store.ENABLED)
    store.update(lambda s: setattr(s, "dismissed_until", clock.now + DAY))
    assert run() == []
    assert index_requests(updates_on) == []
    clock.advance(DAY)
    assert run_job()


def test_a_background_check_sweeps_temp_files_left_by_ended_processes(updates_on, isolated_env: Path) -> None:
    import os

    left = isolated_env / f"{store.TEMP_PREFIX}left{store.TEMP_SUFFIX}"
    left.write_text("{", encoding="utf-8")
    os.utime(left, (time.time() - 2 * store.STALE_TEMP,) * 2)
    updates_on.add_version("qwencloud-skills", "1.0.0")
    set_mode(store.ENABLED)
    run_job()
    assert not left.exists()


def test_a_check_started_early_is_ready_at_emit_time(updates_on) -> None:
    updates_on.add_version("qwencloud-skills", "3.0.0")
    set_mode(store.ENABLED)
    start_check()
    check._thread.join(10)  # the job runs while the index answers
    lines = emit_signals(io.StringIO())
    check.reset()
    assert len(lines) == 1 and "3.0.0 is available" in lines[0]
    assert len(index_requests(updates_on)) == 1


def test_a_check_that_outlives_the_budget_serves_the_next_run(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "3.0.0")
    updates_on.inject(Fault("pypi", "delay", delay=0.4))
    set_mode(store.ENABLED)
    assert run() == []  # the answer came after the signals were printed ...
    clock.advance(60)
    (line,) = run()  # ... and was cached for the next run, without asking again
    assert "3.0.0 is available" in line
    assert len(index_requests(updates_on)) == 1


# -- failures stay silent and cheap ----------------------------------------------------------------


def test_a_hanging_index_prints_nothing_and_is_not_asked_again_soon(updates_on, clock: Clock) -> None:
    updates_on.add_version("qwencloud-skills", "9.0.0")
    set_mode(store.ENABLED)
    updates_on.inject(Fault("pypi", "delay", delay=3.0, count=None))
    stream = io.StringIO()
    assert emit_signals(stream) == [] and stream.getvalue() == ""
    assert check._thread is not None and check._thread.is_alive()  # emit did not wait for the hung request
    check.reset()
    attempted = clock.now
    # The unanswered attempt is remembered: the next runs do not pile more requests on the index.
    clock.advance(60)
    assert emit_signals(io.StringIO()) == []
    assert check._thread is None  # no new attempt started
    assert store.load().last_attempt == attempted
    clock.advance(check.UNREPORTED_GUARD)  # a few minutes later it is tried again
    emit_signals(io.StringIO())
    assert check._thread is not None and store.load().last_attempt == clock.now
    updates_on.clear_faults()


def test_a_check_started_with_the_job_is_not_waited_for_at_its_end(updates_on) -> None:
    updates_on.add_version("qwencloud-skills", "9.0.0")
    updates_on.inject(Fault("pypi", "delay", delay=2.0))
    set_mode(store.ENABLED)
    start_check()
    time.sleep(signals.JOIN_BUDGET * 2)  # the job: longer than the budget the check gets
    assert emit_signals(io.StringIO()) == []
    assert check._thread.is_alive()  # still waiting for the index: emit went on without it
    finish_thread()
    check.reset()
    (line,) = emit_signals(io.StringIO())  # its answer was cached for the next run
    assert "9.0.0 is available" in line
    assert len(index_requests(updates_on)) == 1


@pytest.mark.parametrize(
    "fault",
    [Fault("pypi", "status", status=500, count=None), Fault("pypi", "drop", count=None),
     Fault("pypi", "truncate", count=None)],
    ids=["http-500", "dropped", "truncated"],
)
def test_a_failing_index_is_silent_and_backs_off_an_hour(updates_on, clock: Clock, fault: Fault) -> None:
    updates_on.add_version("qwencloud-skills", "9.0.0")
    updates_on.inject(fault)
    set_mode(store.ENABLED)
    assert run_job() == []
    assert store.load().last_failure == clock.now
    requests = len(index_requests(updates_on))
    clock.advance(59 * 60)
    assert run() == []
    assert len(index_requests(updates_on)) == requests  # backing off
    updates_on.clear_faults()
    clock.advance(60)
    (line,) = run_job()  # an hour later the index is asked again, and answers
    assert "9.0.0 is available" in line
    assert store.load().last_failure is None


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_connection_refused_is_silent(updates_on, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("QWEN_SKILLS_UPDATE_URL", f"http://127.0.0.1:{_closed_port()}")
    set_mode(store.ENABLED)
    stream = io.StringIO()
    assert emit_signals(stream) == []
    finish_background()
    assert stream.getvalue() == ""
    assert store.load().last_failure is not None


def test_an_unusable_state_dir_never_breaks_the_job(updates_on, monkeypatch: pytest.MonkeyPatch,
                                                    tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder", encoding="utf-8")
    monkeypatch.setenv("QWEN_SKILLS_HOME", str(blocker / "home"))
    assert emit_signals(io.StringIO()) == []
    start_check()


def test_a_closed_stream_is_tolerated(updates_on) -> None:
    stream = io.StringIO()
    stream.close()
    assert action_lines(emit_signals(stream))


def test_nothing_is_written_outside_the_state_dir(updates_on, isolated_env: Path, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    skill_dir = tmp_path / "skills" / "qwencloud-video-generation"
    skill_dir.mkdir(parents=True)
    monkeypatch.chdir(skill_dir)
    updates_on.add_version("qwencloud-skills", "2.0.0")
    set_mode(store.ENABLED)
    assert run_job()
    assert list(skill_dir.iterdir()) == []
    assert (isolated_env / "update-check.json").is_file()


# -- which distributions ------------------------------------------------------------------------------


def test_installed_distributions_are_the_host_and_plugin_distributions(install_plugin,
                                                                       monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin("acme_one", "X = 1\n", dist="acme-video", version="0.3.0")
    install_plugin("acme_two", "Y = 2\n", dist="acme-video", version="0.3.0")
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "acme-video")
    from qwencloud_skills import DISTRIBUTION, __version__, plugins

    plugins.get_host().add(object(), "loose")  # registered by hand: "(not installed)", skipped
    found = check.installed_distributions()
    assert found == [Installed(DISTRIBUTION, __version__), Installed("acme-video", "0.3.0")]
