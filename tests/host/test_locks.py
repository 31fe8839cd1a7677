"""Per-task locks: one holder at a time across processes, released however the holder ends."""

from __future__ import annotations

import asyncio
import subprocess
import sys
import time
from pathlib import Path

import pytest

from qwencloud_skills.locks import LockTimeoutError, aexclusive, exclusive

HOLDER = """
import sys, time
from pathlib import Path
from qwencloud_skills.locks import exclusive
with exclusive("save:t-1", folder=Path(sys.argv[1])):
    print("held", flush=True)
    time.sleep(float(sys.argv[2]))
    (Path(sys.argv[1]) / "done").write_text("the holder's work is finished")
"""


def _holder(folder: Path, seconds: float) -> subprocess.Popen:
    process = subprocess.Popen([sys.executable, "-c", HOLDER, str(folder), str(seconds)], stdout=subprocess.PIPE,
                               text=True)
    assert process.stdout is not None and process.stdout.readline().strip() == "held"
    return process


def test_a_lock_held_by_another_process_makes_us_wait_and_tells_once(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 0.6)
    told = []
    with exclusive("save:t-1", folder=tmp_path, on_wait=lambda: told.append(1)):
        assert (tmp_path / "done").exists()  # we got it only once the other process let go
    assert told == [1]
    holder.wait(10)


def test_a_busy_lock_times_out_with_a_clear_error(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 5)
    try:
        with pytest.raises(LockTimeoutError, match="another process"):
            with exclusive("save:t-1", folder=tmp_path, timeout=0.3):
                pass
    finally:
        holder.kill()
        holder.wait(10)


def test_a_killed_holder_releases_the_lock(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 60)
    holder.kill()
    holder.wait(10)
    with exclusive("save:t-1", folder=tmp_path, timeout=2):
        pass


def test_the_async_lock_waits_without_blocking_the_loop(tmp_path: Path) -> None:
    holder = _holder(tmp_path, 0.5)
    ticks = []

    async def ticker() -> None:
        for _ in range(5):
            ticks.append(time.monotonic())
            await asyncio.sleep(0.05)

    async def main() -> None:
        tick = asyncio.ensure_future(ticker())
        async with aexclusive("save:t-1", folder=tmp_path):
            assert (tmp_path / "done").exists()
        await tick

    asyncio.run(main())
    assert len(ticks) == 5
    holder.wait(10)
