"""Start-up cost of the CLI, as a ratio to a stdlib-only script doing the same work.

Measures the median wall time of (a) `qwencloud-video --help` and (b) one
`qwencloud-video --task-id ID --poll-once` against the emulator, each next to
a stdlib-only script (argparse help; urllib GET + JSON print), the way the
upstream skill's script works. Prints the medians and the ratios.

    python benchmarks/startup.py [--runs 15] [--bin DIR]

--bin points at another install's scripts folder (e.g. a clean `pip install .`
venv without the test extras, which is what users run); the default is the
current interpreter's.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent

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


def median_time(command: list, env: dict, runs: int) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--bin", type=Path, default=BIN, help="scripts folder of the install to measure")
    args = parser.parse_args()
    scripts = args.bin

    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    home = tempfile.mkdtemp(prefix="qwen-bench-")
    with Emulator(EmulatorConfig(pending_seconds=3600), host="127.0.0.1", port=0) as emu:
        env = {**os.environ, "QWEN_BASE_URL": emu.base_url, "DASHSCOPE_API_KEY": "sk-bench-key",
               "QWEN_SKILLS_HOME": home, "QWEN_SKILLS_NO_UPDATE_CHECK": "1"}
        import json
        import urllib.request

        body = json.dumps({"model": "wan2.6-t2v", "input": {"prompt": "bench"}, "parameters": {}}).encode()
        request = urllib.request.Request(
            emu.api_base + "/services/aigc/video-generation/video-synthesis", data=body,
            headers={"Authorization": "Bearer sk-bench-key", "Content-Type": "application/json",
                     "X-DashScope-Async": "enable"},
        )
        with urllib.request.urlopen(request) as response:
            task_id = json.load(response)["output"]["task_id"]

        cases = {
            "help": ([str(scripts / "qwencloud-video"), "--help"], [sys.executable, "-c", STDLIB_HELP]),
            "poll-once": (
                [str(scripts / "qwencloud-video"), "--task-id", task_id, "--poll-once"],
                [sys.executable, "-c", STDLIB_POLL, task_id],
            ),
            "poll+tls": (
                [str(scripts / "qwencloud-video"), "--task-id", task_id, "--poll-once"],
                [sys.executable, "-c", STDLIB_POLL_TLS, task_id],
            ),
        }
        print(f"{'case':<10} {'ours (s)':>9} {'stdlib (s)':>11} {'ratio':>6}")
        for name, (ours, baseline) in cases.items():
            median_time(ours, env, 2)  # warm caches (pyc, page cache)
            ours_s = median_time(ours, env, args.runs)
            base_s = median_time(baseline, env, args.runs)
            print(f"{name:<10} {ours_s:>9.3f} {base_s:>11.3f} {ours_s / base_s:>6.2f}")


if __name__ == "__main__":
    main()
