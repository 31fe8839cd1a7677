"""Adaptive waiting: the schedule's shape, the history it learns from, and the hints it gives.

The schedule is a pure function of the seconds waited, so its detection delay and poll count are
computed here by stepping through it (no clock, no sleeping); the benchmark measures them for real.
"""

from __future__ import annotations

import json
import random
import statistics
import subprocess
import sys
from pathlib import Path

from qwencloud_skills.waiting import MAX_INTERVAL, Expectation, PollSchedule, run_seconds

BIN = Path(sys.executable).parent


def walk(schedule: PollSchedule, finish: float) -> tuple:
    """(detection delay, polls) for a task ending at ``finish`` s: one poll at once, then as scheduled."""
    elapsed, polls = 0.0, 1
    while elapsed < finish:
        elapsed += schedule.next_delay(elapsed)
        polls += 1
    return elapsed - finish, polls


def test_with_a_history_of_29_to_45_s_tasks_the_end_is_seen_within_2_s_in_at_most_6_polls() -> None:
    rng = random.Random(7)
    schedule = PollSchedule(Expectation.from_samples([rng.uniform(29, 45) for _ in range(20)]))
    walks = [walk(schedule, rng.uniform(29, 45)) for _ in range(500)]
    assert statistics.mean(delay for delay, _ in walks) <= 2.0
    assert statistics.mean(polls for _, polls in walks) <= 6.0
    fixed = [walk(PollSchedule(fixed=15.0), rng.uniform(29, 45)) for _ in range(500)]
    assert statistics.mean(delay for delay, _ in fixed) > 5.0  # the seed's fixed 15 s loop, for contrast


def test_without_a_history_a_quick_job_is_still_noticed_soon() -> None:
    schedule = PollSchedule(Expectation.from_samples([], prior=120.0))
    delay, polls = walk(schedule, 3.0)
    assert delay < 3.0 and polls <= 3
    delay, polls = walk(schedule, 100.0)
    assert delay <= 15.0 and polls <= 12


def test_a_task_running_long_is_polled_ever_more_sparsely_but_never_beyond_the_cap() -> None:
    schedule = PollSchedule(Expectation.from_samples([30, 32, 35]))
    late = [schedule.next_delay(t) for t in (40, 60, 120, 600)]
    assert late == sorted(late) and late[-1] == MAX_INTERVAL and late[0] < 5


def test_a_fixed_interval_keeps_the_seeds_loop() -> None:
    assert {PollSchedule(fixed=15.0).next_delay(t) for t in (0, 10, 100, 1000)} == {15.0}


def test_run_seconds_read_the_services_own_times_first() -> None:
    answer = {"output": {"submit_time": "2026-01-01 10:00:00.000", "end_time": "2026-01-01 10:00:41.500"}}
    assert run_seconds(answer, submitted_at=0.0, seen_at=999.0) == 41.5
    assert run_seconds({"output": {}}, submitted_at=100.0, seen_at=130.0) == 30.0


def test_the_ledger_history_of_similar_jobs_shapes_the_next_wait(emulator_env) -> None:
    from qwencloud_skills.tasks import TaskClient

    request = {"prompt": "a cat", "size": "1280*720", "duration": 5}
    with TaskClient(skill="qwencloud-video-generation") as client:
        fresh = client.submit(request, model="wan2.6-t2v")
        assert client.schedule(fresh.task_id).expectation.samples == 0  # the plugin's prior
        assert client.schedule(fresh.task_id).expectation.typical > 30
        for _ in range(3):
            done = client.submit(request, model="wan2.6-t2v")
            client.wait(done.task_id, interval=0.05, timeout=30)
        similar = client.submit(request, model="wan2.6-t2v")
        learnt = client.schedule(similar.task_id).expectation
        assert learnt.samples == 3 and learnt.typical < 5  # the emulator's jobs take a fraction of a second
        longer = client.submit({**request, "duration": 10}, model="wan2.6-t2v")
        assert client.schedule(longer.task_id).expectation.samples == 0  # another length bills differently
        status = client.wait(similar.task_id, timeout=30)  # adaptive: done without a fixed interval
        assert status.succeeded
        row = client.ledger.get(similar.task_id)
        assert json.loads(row["billed"]) == {"s of 720P video": 5.0} and row["run_seconds"] is not None


def test_poll_once_says_when_to_check_again(emulator_env, tmp_path) -> None:
    emulator_env.config.generation_seconds = 30
    env = {"QWEN_BASE_URL": emulator_env.base_url, "DASHSCOPE_API_KEY": "sk-canary-7f3e9a1b2c4d5e6f",
           "PATH": str(BIN)}
    import os

    env = {**os.environ, **env}
    task = subprocess.run([str(BIN / "qwencloud-video"), "--request", '{"prompt": "x", "size": "1280*720"}',
                           "--submit-only"], capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert task.returncode == 0, task.stderr
    once = subprocess.run([str(BIN / "qwencloud-video"), "--task-id", task.stdout.strip(), "--poll-once"],
                          capture_output=True, text=True, cwd=tmp_path, env=env, timeout=60)
    assert once.returncode == 2
    assert "check again in" in once.stderr and "similar jobs are done in about" in once.stderr
