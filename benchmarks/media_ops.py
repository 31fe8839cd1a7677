"""Time of `media concat` by stream copy of two 30 s 1080P clips, against plain ffmpeg doing the same.

The clips are made first (H.264 + AAC, same settings, so the join is a stream copy). Each side
runs --runs times; the medians and their ratio are printed. The baseline is a bare
`ffmpeg -f concat -safe 0 -i list.txt -c copy out.mp4`, so the ratio is our overhead
(start-up, probing the inputs, the no-overwrite placement). Goal: under 1 s.

    python benchmarks/media_ops.py [--runs 5] [--seconds 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

BIN = Path(sys.executable).parent


def make_clip(ffmpeg: str, path: Path, seconds: int, freq: int) -> None:
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"testsrc2=s=1920x1080:r=30:d={seconds}", "-f", "lavfi", "-i", f"sine=f={freq}:d={seconds}",
                    "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-c:a", "aac", "-shortest",
                    str(path)], check=True)


def timed(command: list, cwd: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} exited {result.returncode}: {result.stderr[-500:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=30)
    args = parser.parse_args()

    from qwencloud_skills.mediaops.ffmpeg import locate

    ffmpeg, source = locate()
    work = Path(tempfile.mkdtemp(prefix="qwen-bench-media-"))
    first, second = work / "first.mp4", work / "second.mp4"
    print(f"making two {args.seconds} s 1080P clips with {source} ffmpeg ...", flush=True)
    make_clip(ffmpeg, first, args.seconds, 440)
    make_clip(ffmpeg, second, args.seconds, 660)
    listing = work / "list.txt"
    listing.write_text(f"file '{first}'\nfile '{second}'\n", encoding="utf-8")
    ours, baseline = [], []
    try:
        for run in range(args.runs):
            out = work / f"runs{run}"
            out.mkdir()
            ours.append(timed([str(BIN / "qwencloud-video"), "media", "concat", str(first), str(second),
                               "--output", str(out) + "/"], out))
            baseline.append(timed([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0",
                                   "-i", str(listing), "-c", "copy", str(out / "plain.mp4")], out))
    finally:
        shutil.rmtree(work, ignore_errors=True)
    mine, plain = statistics.median(ours), statistics.median(baseline)
    print(f"clips: 2 x {args.seconds} s 1920x1080, {args.runs} runs each")
    print(f"plain ffmpeg concat -c copy (baseline): {plain:.3f} s")
    print(f"qwencloud-video media concat:           {mine:.3f} s")
    print(f"ratio ours / baseline:                  {mine / plain if plain else float('nan'):.2f}")
    print(f"goal (under 1 s):                       {'met' if mine < 1.0 else 'NOT met'}")


if __name__ == "__main__":
    main()
