"""Peak memory of downloading a large result from the emulator, above the CLI's own baseline.

1. The CLI: `qwencloud-video --task-id ID` saving a 200 MiB result, against the
   same CLI doing a status check only (`--poll-once` on a running task). Each
   runs in its own process; the peak is the kernel's VmHWM for that process
   (not ru_maxrss, which on Linux also counts the parent's memory at fork).
2. For scale: the library download alone, and an upstream-style stdlib download
   (`urlopen(...).read()`, which holds the whole file in memory).
Goal for ours: <= 10 MiB above the baseline. Throughput (MiB/s) is printed for the
in-process downloads, to catch a slowdown.

    python benchmarks/download.py [--size-mb 200]
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Tuple

PEAK = """
def peak_kib():
    for line in open("/proc/self/status"):
        if line.startswith("VmHWM:"):
            return int(line.split()[1])
"""

LIBRARY = PEAK + """
import sys, time
from qwencloud_skills.download import download
before = peak_kib()
start = time.perf_counter()
path = download(sys.argv[1], sys.argv[2], "video.mp4")
print(before, peak_kib(), path.stat().st_size, time.perf_counter() - start)
"""

UPSTREAM_STYLE = PEAK + """
import sys, time, urllib.request, os
before = peak_kib()
start = time.perf_counter()
data = urllib.request.urlopen(sys.argv[1]).read()
with open(os.path.join(sys.argv[2], "video.mp4"), "wb") as f:
    f.write(data)
print(before, peak_kib(), len(data), time.perf_counter() - start)
"""

# Runs the CLI's entry point in this process and reports its peak at exit.
CLI = PEAK + """
import atexit, sys
atexit.register(lambda: sys.stderr.write("PEAK %d\\n" % peak_kib()))
sys.argv = ["qwencloud-video"] + sys.argv[1:]
from qwencloud_video.cli import main
main()
"""


def peak_rss_mib(args: list, env: dict, cwd: str) -> float:
    """Run the CLI with ``args`` in a fresh process and return its peak resident memory in MiB."""
    result = subprocess.run([sys.executable, "-c", CLI, *args], env=env, cwd=cwd, capture_output=True, text=True)
    if result.returncode not in (0, 2):
        raise SystemExit(f"qwencloud-video {args} exited {result.returncode}: {result.stderr[-500:]}")
    peak = [line for line in result.stderr.splitlines() if line.startswith("PEAK ")][-1]
    return int(peak.split()[1]) / 1024


def in_process(script: str, url: str) -> Tuple[float, float]:
    """Peak memory above the script's imports (MiB) and throughput (MiB/s) of one download."""
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([sys.executable, "-c", script, url, out], capture_output=True, text=True, check=True)
    before, after, size, seconds = result.stdout.split()
    assert int(size) > 0, result.stdout
    return (int(after) - int(before)) / 1024, int(size) / 1024 / 1024 / max(float(seconds), 1e-9)


def submit(client, prompt: str) -> str:
    return client.submit({"prompt": prompt}).task_id


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    args = parser.parse_args()
    size = args.size_mb * 1024 * 1024

    from qwencloud_skills.emulator import Emulator, EmulatorConfig
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskClient

    work = tempfile.mkdtemp(prefix="qwen-bench-dl-")
    config = EmulatorConfig(pending_seconds=0, generation_seconds=0.1, result_size_bytes=size)
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        env = {**os.environ, "QWEN_BASE_URL": emu.base_url, "DASHSCOPE_API_KEY": "sk-bench-key",
               "QWEN_SKILLS_HOME": os.path.join(work, "home"), "QWEN_SKILLS_NO_UPDATE_CHECK": "1"}
        os.environ.update({k: env[k] for k in ("QWEN_SKILLS_HOME",)})
        with TaskClient(skill="qwencloud-video-generation", api_key=ApiKey("sk-bench-key"),
                        base_url=emu.api_base) as client:
            done = submit(client, "finished task")
            emu.config.generation_seconds = 3600
            running = submit(client, "running task")
        time.sleep(0.3)
        baseline = peak_rss_mib(["--task-id", running, "--poll-once"], env, work)
        downloading = peak_rss_mib(["--task-id", done, "--poll-interval", "0.2"], env, work)
        saved = max(Path(work).rglob("video*.mp4"), key=lambda p: p.stat().st_mtime)
        assert saved.stat().st_size == size, saved
        blob = emu.add_blob("big.mp4", size)
        library, library_rate = in_process(LIBRARY, blob)
        upstream, upstream_rate = in_process(UPSTREAM_STYLE, blob)
    print(f"result size: {args.size_mb} MiB")
    print(f"CLI status check only (baseline): peak {baseline:7.1f} MiB")
    print(f"CLI poll + download:              peak {downloading:7.1f} MiB  (+{downloading - baseline:.1f} MiB)")
    print(f"library download alone:           +{library:.1f} MiB above its imports, {library_rate:.0f} MiB/s")
    print(f"upstream-style stdlib read():     +{upstream:.1f} MiB above its imports, {upstream_rate:.0f} MiB/s")
    print(f"ratio ours (CLI) / upstream-style: {(downloading - baseline) / upstream if upstream else float('nan'):.3f}")


if __name__ == "__main__":
    main()
