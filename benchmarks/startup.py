"""Start-up cost of the CLI, as a ratio to the upstream stdlib-only script doing the same work.

Measures the median wall time of `qwencloud-video --help` and of one
`qwencloud-video --task-id ID --poll-once` against the emulator, each next to a
stdlib-only script that does the same the way the upstream skill's `video.py`
does (argparse help; urllib GET + JSON print). Ours and the baseline run
alternately with the same interpreter (the install's own python), so a shared
machine's changing load hits both alike. Prints the medians, the ratios, the goal
(ratio <= 1.0 for --help and --poll-once, issue 14) and the load average. The goal is
judged on wall time; the CPU time (user + system, where the OS reports it) is printed next
to it because it moves much less when other work shares the machine.

Further rows (information, no goal): the TLS variant (the real service is https,
so a stdlib script also builds a TLS context), the other ways to start the same
job (`python -m qwencloud_skills video ...` and the skill folder's
`scripts/video.py` shim) and `--help` with the entry-point and help-text caches removed
before each run (what the first run after an install pays).

    python benchmarks/startup.py [--runs 15] [--bin DIR]

--bin points at another install's scripts folder (e.g. a clean, non-editable
`pip install .` venv without the test extras, which is what users run); the
default is the current interpreter's. The emulator runs in this process.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Callable, Dict, List, Optional, Tuple

BIN = Path(sys.executable).parent
ROOT = Path(__file__).resolve().parent.parent
SHIM = ROOT / "skills" / "video" / "qwencloud-video-generation" / "scripts" / "video.py"
GOAL = 1.0

# Like the upstream script: stdlib modules imported at the top, then argparse.
UPSTREAM_IMPORTS = "import argparse, json, mimetypes, os, ssl, sys, time, urllib.error, urllib.request, uuid\n"

STDLIB_HELP = UPSTREAM_IMPORTS + """
p = argparse.ArgumentParser(prog="video.py", description="Generate videos with Wan models")
for flag in ("--request", "--file", "--mode", "--model", "--output", "--task-id"):
    p.add_argument(flag, help="...")
for flag in ("--print-response", "--submit-only", "--poll-once", "--quiet"):
    p.add_argument(flag, action="store_true", help="...")
p.add_argument("--poll-interval", type=int, default=15)
p.add_argument("--timeout", type=int, default=600)
p.parse_args(["--help"])
"""

STDLIB_POLL = UPSTREAM_IMPORTS + """
base = os.environ["QWEN_BASE_URL"].rstrip("/") + "/api/v1"
req = urllib.request.Request(base + "/tasks/" + sys.argv[1],
                             headers={"Authorization": "Bearer " + os.environ["DASHSCOPE_API_KEY"]})
with urllib.request.urlopen(req) as resp:
    data = json.load(resp)
print(json.dumps(data))
sys.exit(2 if data["output"]["task_status"] in ("PENDING", "RUNNING") else 0)
"""

# The real service is https: a stdlib script then also builds a TLS context (urllib does it per
# request). The emulator is plain http, so this variant shows the comparison users actually live with.
STDLIB_POLL_TLS = STDLIB_POLL.replace(
    "with urllib.request.urlopen(req)", "ssl.create_default_context()\nwith urllib.request.urlopen(req)"
)

Case = Tuple[str, List[str], List[str], bool]  # name, ours, baseline, has a goal


def run_once(command: List[str], env: Dict[str, str],
             before: Optional[Callable[[], None]] = None) -> Tuple[float, Optional[float]]:
    """Wall seconds and (where the OS reports it) CPU seconds, user + system, of one run."""
    if before is not None:
        before()
    started = time.perf_counter()
    process = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    if hasattr(os, "wait4"):
        _, _, usage = os.wait4(process.pid, 0)
        process.returncode = 0  # reaped above; keeps Popen from waiting again
        return time.perf_counter() - started, usage.ru_utime + usage.ru_stime
    process.wait()
    return time.perf_counter() - started, None


def medians(ours: List[str], baseline: List[str], env: Dict[str, str], runs: int,
            before: Optional[Callable[[], None]] = None) -> Tuple[float, float, Optional[float], Optional[float]]:
    """Median wall and CPU seconds of each (ours, baseline), run alternately after two warm-up runs each."""
    for _ in range(2):  # pyc files, page cache, the entry-point cache
        run_once(ours, env)
        run_once(baseline, env)
    ours_s, base_s = [], []
    for _ in range(runs):
        ours_s.append(run_once(ours, env, before))
        base_s.append(run_once(baseline, env))

    def cpu(samples: List[Tuple[float, Optional[float]]]) -> Optional[float]:
        values = [used for _, used in samples if used is not None]
        return statistics.median(values) if values else None

    return (statistics.median(w for w, _ in ours_s), statistics.median(w for w, _ in base_s),
            cpu(ours_s), cpu(base_s))


def submit(emu: object) -> str:
    """A task that stays PENDING, for --poll-once to look at."""
    import json
    import urllib.request

    body = json.dumps({"model": "wan2.6-t2v", "input": {"prompt": "bench"}, "parameters": {}}).encode()
    request = urllib.request.Request(
        emu.api_base + "/services/aigc/video-generation/video-synthesis", data=body,  # type: ignore[attr-defined]
        headers={"Authorization": "Bearer sk-bench-key", "Content-Type": "application/json",
                 "X-DashScope-Async": "enable"},
    )
    with urllib.request.urlopen(request) as response:
        return json.load(response)["output"]["task_id"]


def cases(scripts: Path, python: str, task_id: str) -> List[Case]:
    video = str(scripts / "qwencloud-video")
    poll = ["--task-id", task_id, "--poll-once"]
    found: List[Case] = [
        ("help", [video, "--help"], [python, "-c", STDLIB_HELP], True),
        ("poll-once", [video, *poll], [python, "-c", STDLIB_POLL, task_id], True),
        ("poll+tls", [video, *poll], [python, "-c", STDLIB_POLL_TLS, task_id], False),
        ("-m help", [python, "-m", "qwencloud_skills", "video", "--help"], [python, "-c", STDLIB_HELP], False),
        ("-m poll", [python, "-m", "qwencloud_skills", "video", *poll], [python, "-c", STDLIB_POLL, task_id], False),
    ]
    if SHIM.is_file():
        found += [
            ("shim help", [python, str(SHIM), "--help"], [python, "-c", STDLIB_HELP], False),
            ("shim poll", [python, str(SHIM), *poll], [python, "-c", STDLIB_POLL, task_id], False),
        ]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bin", type=Path, default=BIN, help="scripts folder of the install to measure")
    args = parser.parse_args()
    scripts = args.bin
    python = str(scripts / ("python.exe" if os.name == "nt" else "python"))
    if not Path(python).exists():
        python = sys.executable

    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    home = tempfile.mkdtemp(prefix="qwen-bench-")
    try:
        with Emulator(EmulatorConfig(pending_seconds=3600), host="127.0.0.1", port=0) as emu:
            env = {**os.environ, "QWEN_BASE_URL": emu.base_url, "DASHSCOPE_API_KEY": "sk-bench-key",
                   "QWEN_SKILLS_HOME": home, "QWEN_SKILLS_NO_UPDATE_CHECK": "1"}
            env.pop("QWEN_SKILLS_PLUGINS", None)
            task_id = submit(emu)
            load = os.getloadavg() if hasattr(os, "getloadavg") else None
            print(f"install: {scripts}  python: {python}  runs: {args.runs}")
            print(f"{'case':<16} {'ours (s)':>9} {'stdlib (s)':>11} {'ratio':>6}  {'goal':<15} "
                  f"{'CPU ours':>9} {'CPU stdlib':>10} {'ratio':>6}")
            rows = cases(scripts, python, task_id)
            caches = [Path(home) / "entry-points.json", Path(home) / "help-texts.json"]

            def forget() -> None:  # what the first run after an install (or in a new state dir) pays
                for cache in caches:
                    if cache.exists():
                        cache.unlink()

            rows.append(("help, no cache", rows[0][1], rows[0][2], False))
            for name, ours, baseline, has_goal in rows:
                before = forget if name.endswith("no cache") else None
                ours_s, base_s, ours_cpu, base_cpu = medians(ours, baseline, env, args.runs, before)
                ratio = ours_s / base_s
                verdict = ("PASS" if ratio <= GOAL else "FAIL") + f" (<= {GOAL:.1f})" if has_goal else ""
                cpu = (f"{ours_cpu:>9.3f} {base_cpu:>10.3f} {ours_cpu / base_cpu:>6.2f}"
                       if ours_cpu is not None and base_cpu else "")
                print(f"{name:<16} {ours_s:>9.3f} {base_s:>11.3f} {ratio:>6.2f}  {verdict:<15} {cpu}".rstrip())
            after = os.getloadavg() if hasattr(os, "getloadavg") else None
            if load is not None and after is not None:
                print("load average (1, 5, 15 min): before " + " ".join(f"{v:.2f}" for v in load)
                      + ", after " + " ".join(f"{v:.2f}" for v in after) + f"; {os.cpu_count()} CPUs")
    finally:
        shutil.rmtree(home, ignore_errors=True)


if __name__ == "__main__":
    main()
