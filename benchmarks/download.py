"""Peak memory while downloading a large video from the emulator, above the process's own baseline.

Runs each downloader in a fresh subprocess: ours (`qwencloud_skills.download`,
streamed to disk) and an upstream-style stdlib download (`urlopen(...).read()`
then write). Each reports its peak RSS after imports and after the download;
the difference is what the download itself cost. Goal for ours: <= 10 MiB.

    python benchmarks/download.py [--size-mb 200]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import tempfile

OURS = """
import resource, sys
from qwencloud_skills.download import download
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
path = download(sys.argv[1], sys.argv[2], "video.mp4")
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, path.stat().st_size)
"""

UPSTREAM_STYLE = """
import resource, sys, urllib.request, os
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
data = urllib.request.urlopen(sys.argv[1]).read()
with open(os.path.join(sys.argv[2], "video.mp4"), "wb") as f:
    f.write(data)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(before, after, len(data))
"""


def run(script: str, url: str) -> tuple:
    with tempfile.TemporaryDirectory() as out:
        result = subprocess.run([sys.executable, "-c", script, url, out], capture_output=True, text=True, check=True)
    before, after, size = (int(v) for v in result.stdout.split())
    return (after - before) / 1024, size  # ru_maxrss is in KiB on Linux


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size-mb", type=int, default=200)
    args = parser.parse_args()
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    with Emulator(EmulatorConfig(), host="127.0.0.1", port=0) as emu:
        url = emu.add_blob("big.mp4", args.size_mb * 1024 * 1024)
        ours, size = run(OURS, url)
        upstream, _ = run(UPSTREAM_STYLE, url)
    print(f"downloaded {size / 1048576:.0f} MiB")
    print(f"ours (streamed):        peak +{ours:7.1f} MiB above baseline")
    print(f"upstream-style (read):  peak +{upstream:7.1f} MiB above baseline")
    print(f"ratio ours/upstream:    {ours / upstream if upstream else float('nan'):.3f}")


if __name__ == "__main__":
    main()
