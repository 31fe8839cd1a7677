"""Time of the media steps on a 60 s 1080P video, each against plain ffmpeg doing the same job.

Two --seconds (default 30) 1080P clips are made (H.264 + AAC, same settings, so the join is a stream
copy), then one step at a time runs on our side (`qwencloud-skills media ...`, the installed CLI) and as
a bare command of the same ffmpeg binary, alternating, --runs times each; the medians and their ratio are
printed. The ratio is our overhead: start-up, probing the inputs, the no-overwrite placement, and any
extra work a step does for its promise (the contact sheet draws each frame's time).

- concat: two clips into one by stream copy (goal: under 1 s, PASS/FAIL printed);
- trim: the joined video cut to 10..15 s (both re-encode, same encoder settings, for frame accuracy);
- frame --last: the real last frame (baseline: -sseof -1 ... -update 1);
- add-audio: the sound replaced by a track as long as the video (pictures copied, sound encoded);
- contact-sheet: 12 frames in a 4x3 grid (baseline: select + scale + tile).

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
from typing import Callable, Dict, List, Optional, Tuple

BIN = Path(sys.executable).parent
CLI = str(BIN / "qwencloud-skills")
FPS = 30
CONCAT_GOAL = 1.0  # seconds
# The encoder settings of qwencloud_skills.mediaops.encode, spelled out so the baseline is a plain command.
VIDEO_ENCODE = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "18"]
AUDIO_ENCODE = ["-c:a", "aac", "-b:a", "192k"]

Command = Callable[[Path], Tuple[List[str], Optional[Path]]]  # run folder -> (command, file it must write)


def make_clips(ffmpeg: str, first: Path, second: Path, seconds: int) -> None:
    """A moving 1080P test clip with a tone; the second is its pictures (copied: cheap) under another tone."""
    quiet = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    subprocess.run([*quiet, "-f", "lavfi", "-i", f"testsrc2=s=1920x1080:r={FPS}:d={seconds}", "-f", "lavfi", "-i",
                    f"sine=f=440:d={seconds}", "-c:v", "libx264", "-preset", "ultrafast", "-crf", "30", "-pix_fmt",
                    "yuv420p", "-c:a", "aac", "-shortest", str(first)], check=True)
    subprocess.run([*quiet, "-i", str(first), "-f", "lavfi", "-i", f"sine=f=660:d={seconds}", "-map", "0:v:0",
                    "-map", "1:a:0", "-c:v", "copy", "-c:a", "aac", "-shortest", str(second)], check=True)


def make_track(ffmpeg: str, path: Path, seconds: int) -> None:
    subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i",
                    f"sine=f=330:d={seconds}", "-c:a", "aac", str(path)], check=True)


def timed(command: List[str], cwd: Path, expect: Optional[Path]) -> float:
    """Seconds the command took; it must succeed and write its file (ours: the last line of stdout)."""
    start = time.perf_counter()
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"{' '.join(command[:3])} exited {result.returncode}: {result.stderr[-500:]}")
    written = expect or Path(result.stdout.strip().splitlines()[-1] if result.stdout.strip() else "")
    if not written.is_file() or not written.stat().st_size:
        raise SystemExit(f"{' '.join(command[:3])} wrote no file (expected {written})")
    return elapsed


def steps(ffmpeg: str, work: Path, seconds: int) -> Dict[str, Tuple[Command, Command]]:
    """Each step's (ours, baseline) command builders, on the clips in ``work``."""
    first, second, joined, track = (str(work / name) for name in ("first.mp4", "second.mp4", "joined.mp4",
                                                                   "track.m4a"))
    plain = [ffmpeg, "-hide_banner", "-loglevel", "error", "-nostdin", "-y"]
    total = 2 * seconds
    start, end = total / 6, total / 4  # 10..15 s of a 60 s video (re-encoding dominates the run time)
    frames, columns = 12, 4
    every = max(1, total * FPS // frames)

    def media(*args: str) -> Command:
        return lambda out: ([CLI, "media", *args, "--output", f"{out}/"], None)

    def baseline(args: List[str], name: str) -> Command:
        return lambda out: ([*plain, *args, str(out / name)], out / name)

    return {
        "concat (stream copy)": (
            media("concat", first, second),
            baseline(["-f", "concat", "-safe", "0", "-i", str(work / "list.txt"), "-c", "copy"], "plain.mp4")),
        f"trim {start:g}..{end:g} s (re-encode)": (
            media("trim", joined, "--start", f"{start:g}", "--end", f"{end:g}"),
            baseline(["-ss", f"{start:g}", "-i", joined, "-t", f"{end - start:g}", "-map", "0:v:0", "-map", "0:a?",
                      *VIDEO_ENCODE, *AUDIO_ENCODE, "-movflags", "+faststart"], "plain.mp4")),
        "frame --last": (
            media("frame", joined, "--last"),
            baseline(["-sseof", "-1", "-i", joined, "-map", "0:v:0", "-update", "1"], "plain.png")),
        "add-audio (replace)": (
            media("add-audio", joined, track),
            baseline(["-i", joined, "-i", track, "-map", "0:v:0", "-map", "1:a:0", "-c:v", "copy", *AUDIO_ENCODE,
                      "-shortest", "-movflags", "+faststart"], "plain.mp4")),
        f"contact-sheet {frames} frames": (
            media("contact-sheet", joined, "--frames", str(frames), "--columns", str(columns)),
            baseline(["-i", joined, "-vf", f"select='not(mod(n\\,{every}))',scale=320:-2,"
                      f"tile={columns}x{-(-frames // columns)}", "-frames:v", "1", "-update", "1"], "plain.png")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seconds", type=int, default=30, help="length of each of the two clips (default 30)")
    args = parser.parse_args()

    from qwencloud_skills.mediaops.ffmpeg import locate

    ffmpeg, source = locate()
    work = Path(tempfile.mkdtemp(prefix="qwen-bench-media-"))
    rows = []
    try:
        print(f"making two {args.seconds} s 1080P clips and a {2 * args.seconds} s track with {source} ffmpeg ...",
              flush=True)
        make_clips(ffmpeg, work / "first.mp4", work / "second.mp4", args.seconds)
        make_track(ffmpeg, work / "track.m4a", 2 * args.seconds)
        (work / "list.txt").write_text(f"file '{work / 'first.mp4'}'\nfile '{work / 'second.mp4'}'\n",
                                       encoding="utf-8")
        subprocess.run([ffmpeg, "-hide_banner", "-loglevel", "error", "-y", "-f", "concat", "-safe", "0", "-i",
                        str(work / "list.txt"), "-c", "copy", str(work / "joined.mp4")], check=True)
        size_mb = (work / "joined.mp4").stat().st_size / 1e6
        for name, (ours, plain) in steps(ffmpeg, work, args.seconds).items():
            print(f"timing {name} ...", flush=True)
            mine, theirs = [], []
            for run in range(args.runs):
                for side, times in ((ours, mine), (plain, theirs)):
                    out = Path(tempfile.mkdtemp(prefix=f"run{run}-", dir=work))
                    command, expect = side(out)
                    times.append(timed(command, out, expect))
                    shutil.rmtree(out, ignore_errors=True)
            rows.append((name, statistics.median(theirs), statistics.median(mine)))
    finally:
        shutil.rmtree(work, ignore_errors=True)

    print(f"\nvideo: 2 x {args.seconds} s 1920x1080 {FPS} fps joined into {2 * args.seconds} s; "
          f"{size_mb:.0f} MB; ffmpeg: {ffmpeg} ({source}); median of {args.runs} runs each")
    print(f"{'step':<28} {'ffmpeg s':>9} {'ours s':>9} {'ratio':>7}  goal")
    for name, plain_s, ours_s in rows:
        goal = ""
        if name.startswith("concat"):
            goal = f"< {CONCAT_GOAL:g} s: {'PASS' if ours_s < CONCAT_GOAL else 'FAIL'}"
        ratio = ours_s / plain_s if plain_s else float("nan")
        print(f"{name:<28} {plain_s:>9.3f} {ours_s:>9.3f} {ratio:>7.2f}  {goal}")


if __name__ == "__main__":
    main()
