"""What update checks add to a real job: checks off vs enabled with a hanging index vs a newer release.

Runs the installed ``qwencloud-video`` console script end to end against the
emulator, as separate processes, for two jobs:

- ``t2v``: submit, poll and download a text-to-video task (short generation);
- ``poll-once``: ``--task-id ID --poll-once`` on a task that never finishes (exit 2).

and three update-check scenarios, interleaved run by run (the order rotates):

- ``off``: QWEN_SKILLS_NO_UPDATE_CHECK=1 (the baseline);
- ``hanging``: checks enabled and due, the index a local socket that accepts and never answers;
- ``newer``: checks enabled and due, the index (the emulator) offering a newer release, so the
  job prints an [UPDATE_AVAILABLE] line when the answer arrives in time.

Before every run the update-check state is reset to "enabled, nothing cached", so
each enabled run really starts a check. PYTHONDONTWRITEBYTECODE is dropped from
the jobs' environment: an installed package has its .pyc files, and compiling
sources on every run would be measured instead of the check. Prints per job and scenario the median and
mean wall time, the extra time over ``off`` and the ratio, and (for ``newer``) how
many runs printed the line. The extra time is given two ways: the difference
of the medians, and the median of the per-round differences (each round runs
every scenario back to back, so this one cancels most of the drift of a busy
machine). "cpu" is the same paired extra in the job's own CPU time (user +
sys), which a busy machine disturbs far less than wall time.

    python benchmarks/update_check.py [--runs 12] [--bin DIR]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.request
from pathlib import Path
from typing import Dict, List, Tuple

BIN = Path(sys.executable).parent
SCENARIOS = ("off", "hanging", "newer")
UPDATE_TAG = "[UPDATE_AVAILABLE]"


class HangingIndex:
    """A loopback socket that accepts connections and never answers (nor closes them)."""

    def __init__(self) -> None:
        self.sock = socket.socket()
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(64)
        self.held: List[socket.socket] = []
        self.url = f"http://127.0.0.1:{self.sock.getsockname()[1]}"
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                conn, _ = self.sock.accept()
            except OSError:
                return
            self.held.append(conn)

    def close(self) -> None:
        for conn in self.held:
            conn.close()
        self.sock.close()


def never_finishing_task(emu, key: str) -> str:
    from qwencloud_skills.emulator import Fault

    emu.inject(Fault("submit", "never_finish"))
    body = json.dumps({"model": "wan2.6-t2v", "input": {"prompt": "bench"}, "parameters": {}}).encode()
    request = urllib.request.Request(
        emu.api_base + "/services/aigc/video-generation/video-synthesis", data=body,
        headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json", "X-DashScope-Async": "enable"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["output"]["task_id"]


def reset_state(home: Path) -> None:
    """Enabled, nothing cached, nothing attempted: the next job starts a check."""
    home.mkdir(parents=True, exist_ok=True)
    (home / "update-check.json").write_text(json.dumps({"format": 1, "mode": "enabled"}), encoding="utf-8")


def _children_cpu() -> float:
    try:
        import resource
    except ImportError:  # Windows: no CPU column
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_once(command: List[str], env: Dict[str, str], cwd: Path) -> Tuple[float, float, int, str]:
    """(wall seconds, CPU seconds, exit code, stderr) of one job."""
    cpu = _children_cpu()
    started = time.perf_counter()
    done = subprocess.run(command, env=env, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    return time.perf_counter() - started, _children_cpu() - cpu, done.returncode, done.stderr


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=12, help="runs per job and scenario (default 12)")
    parser.add_argument("--bin", type=Path, default=BIN, help="scripts folder of the install to measure")
    args = parser.parse_args()
    script = str(args.bin / "qwencloud-video")

    from qwencloud_skills import DISTRIBUTION
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    work = Path(tempfile.mkdtemp(prefix="qwen-bench-updates-"))
    hanging = HangingIndex()
    key = "sk-bench-key"
    config = EmulatorConfig(pending_seconds=0.05, generation_seconds=0.2, result_size_bytes=64 * 1024)
    try:
        with Emulator(config, host="127.0.0.1", port=0) as emu:
            emu.add_version(DISTRIBUTION, "0.0.1")
            emu.add_version(DISTRIBUTION, "999.0.0")
            task_id = never_finishing_task(emu, key)
            base_env = {**os.environ, "QWEN_BASE_URL": emu.base_url, "DASHSCOPE_API_KEY": key}
            for name in ("QWEN_SKILLS_NO_UPDATE_CHECK", "QWEN_SKILLS_UPDATE_URL", "QWEN_SKILLS_PLUGINS",
                         "PYTHONDONTWRITEBYTECODE"):
                base_env.pop(name, None)
            envs = {
                "off": {**base_env, "QWEN_SKILLS_NO_UPDATE_CHECK": "1"},
                "hanging": {**base_env, "QWEN_SKILLS_UPDATE_URL": hanging.url},
                "newer": {**base_env, "QWEN_SKILLS_UPDATE_URL": emu.base_url},
            }
            for scenario, env in envs.items():
                env["QWEN_SKILLS_HOME"] = str(work / scenario / "home")
            jobs = {
                "t2v": lambda n: [script, "--request", '{"prompt": "bench"}', "--poll-interval", "0.1",
                                  "--output", str(work / "out" / str(n))],
                "poll-once": lambda n: [script, "--task-id", task_id, "--poll-once"],
            }
            times: Dict[Tuple[str, str], List[float]] = {}
            cpus: Dict[Tuple[str, str], List[float]] = {}
            printed: Dict[Tuple[str, str], int] = {}
            counter = 0
            for job, build in jobs.items():
                for scenario in SCENARIOS:  # warm-up: pyc files, page cache
                    reset_state(work / scenario / "home")
                    run_once(build(counter), envs[scenario], work)
                    counter += 1
                for round_ in range(args.runs):
                    order = SCENARIOS[round_ % 3:] + SCENARIOS[:round_ % 3]
                    for scenario in order:
                        reset_state(work / scenario / "home")
                        elapsed, cpu, code, stderr = run_once(build(counter), envs[scenario], work)
                        counter += 1
                        expected = 0 if job == "t2v" else 2
                        if code != expected:
                            sys.exit(f"{job}/{scenario}: exit {code}, expected {expected}:\n{stderr}")
                        times.setdefault((job, scenario), []).append(elapsed)
                        cpus.setdefault((job, scenario), []).append(cpu)
                        printed[(job, scenario)] = printed.get((job, scenario), 0) + (UPDATE_TAG in stderr)
                    shutil.rmtree(work / "out", ignore_errors=True)
    finally:
        hanging.close()
        shutil.rmtree(work, ignore_errors=True)

    print(f"{args.runs} interleaved rounds; extra = scenario - off")
    print(f"{'job':<10} {'scenario':<8} {'median s':>9} {'mean s':>8} {'extra (medians)':>16}"
          f" {'extra (paired)':>15} {'cpu (paired)':>13} {'ratio':>6} {'printed':>8}")
    for job in jobs:
        base = times[(job, "off")]
        base_median = statistics.median(base)
        for scenario in SCENARIOS:
            values = times[(job, scenario)]
            median, mean = statistics.median(values), statistics.mean(values)
            paired = statistics.median(v - b for v, b in zip(values, base))
            cpu = statistics.median(v - b for v, b in zip(cpus[(job, scenario)], cpus[(job, "off")]))
            shown = f"{printed[(job, scenario)]}/{len(values)}" if scenario != "off" else "-"
            print(f"{job:<10} {scenario:<8} {median:>9.3f} {mean:>8.3f} {1000 * (median - base_median):>14.0f}ms"
                  f" {1000 * paired:>13.0f}ms {1000 * cpu:>11.0f}ms {median / base_median:>6.2f} {shown:>8}")


if __name__ == "__main__":
    main()
