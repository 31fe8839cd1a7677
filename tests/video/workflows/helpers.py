"""Helpers for the video workflow tests: plans from the loaded registry, their requests checked by the real
modes (Refs replaced by the placeholders --dry-run uses), and real clips made with ffmpeg."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from qwencloud_skills.plugins import get_registry
from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, StepContext, depends_on, step_refs

SKILL = "qwencloud-video-generation"
IMG = "https://example.com/first.png"
IMG2 = "https://example.com/last.png"


def workflow(name: str) -> Any:
    return get_registry().workflow(name, skill=SKILL)


def plan(name: str, **options: Any) -> Plan:
    flow = workflow(name)
    made = flow.plan_for(flow.options_class(**options))
    check_shape(made)
    return made


def placeholders(value: Any) -> Any:
    """Refs replaced as --dry-run does: an oss:// URL ending in the Ref's suffix."""
    if isinstance(value, Ref):
        return f"oss://dry-run/{value.step}-{value.key}{value.suffix}"
    if isinstance(value, dict):
        return {key: placeholders(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [placeholders(item) for item in value]
    return value


def jobs(made: Plan) -> List[JobStep]:
    return [step for step in made.steps if isinstance(step, JobStep)]


def locals_(made: Plan) -> List[LocalStep]:
    return [step for step in made.steps if isinstance(step, LocalStep)]


def validated(step: JobStep) -> Any:
    """The step's request as its mode's real validator accepts it (raises when it would be refused)."""
    mode = get_registry().mode(step.mode, skill=step.skill or SKILL)
    return mode.validate(placeholders(dict(step.request)), step.model)


def billed(made: Plan) -> Dict[str, float]:
    """What the plan's jobs bill, summed by unit, from each mode's own estimate."""
    total: Dict[str, float] = {}
    for step in jobs(made):
        mode = get_registry().mode(step.mode, skill=step.skill or SKILL)
        for unit, amount in mode.billed_amounts(validated(step), step.model or mode.default_model).items():
            total[unit] = total.get(unit, 0.0) + amount
    return total


def check_shape(made: Plan) -> None:
    """Unique ids, every Ref to an earlier step, the final step in the plan, every job accepted by its mode."""
    seen: List[str] = []
    for step in made.steps:
        assert step.id not in seen, step.id
        for name in depends_on(step):
            assert name in seen, f"{step.id} depends on {name}, which does not come before it"
        values = step.request if isinstance(step, JobStep) else step.args
        for ref in step_refs(values):
            if isinstance(step, JobStep):
                assert ref.suffix, f"{step.id}: a Ref in a request needs a suffix"
        seen.append(step.id)
    assert made.final in seen
    for step in jobs(made):
        validated(step)


def context(folder: Path, step_id: str = "join") -> StepContext:
    return StepContext(folder=folder, step_id=step_id, workflow_id="wf-test")


# -- real media ------------------------------------------------------------------------------------------


def ffmpeg_exe() -> str:
    return pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()


def ffmpeg(*args: str) -> None:
    subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", *args], check=True, timeout=120)


def make_clip(path: Path, seconds: float, colour: Optional[str] = None, audio: bool = True, size: str = "320x240",
              rate: int = 30, freq: int = 440) -> Path:
    """An H.264 MP4: a test pattern (or one solid colour) with a sine tone, or silent."""
    source = f"color=c={colour}:s={size}:r={rate}:d={seconds}" if colour else f"testsrc2=s={size}:r={rate}:d={seconds}"
    args: List[str] = ["-f", "lavfi", "-i", source]
    if audio:
        args += ["-f", "lavfi", "-i", f"sine=f={freq}:d={seconds}", "-c:a", "aac", "-shortest"]
    ffmpeg(*args, "-c:v", "libx264", "-pix_fmt", "yuv420p", "-g", "15", str(path))
    return path


def join_clips(path: Path, *parts: Path) -> Path:
    """Parts played one after another, re-encoded into one clip (a service output that replays its clip)."""
    inputs: List[str] = []
    for part in parts:
        inputs += ["-i", str(part)]
    chain = "".join(f"[{i}:v][{i}:a]" for i in range(len(parts))) + f"concat=n={len(parts)}:v=1:a=1[v][a]"
    ffmpeg(*inputs, "-filter_complex", chain, "-map", "[v]", "-map", "[a]", "-c:v", "libx264", "-pix_fmt", "yuv420p",
           "-c:a", "aac", str(path))
    return path


def make_tone(path: Path, seconds: float, freq: int = 300) -> Path:
    ffmpeg("-f", "lavfi", "-i", f"sine=f={freq}:d={seconds}", str(path))
    return path


def make_picture(path: Path, colour: str = "green", size: str = "640x360") -> Path:
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s={size}:d=1", "-frames:v", "1", str(path))
    return path


def seconds_of(path: Any) -> float:
    from qwencloud_skills.mediaops.actions import probe_file

    return probe_file(str(path)).duration or 0.0


def colour_at(video: Any, at: float, folder: Path) -> str:
    """'blue', 'red' or 'other': the colour of the frame shown at ``at`` seconds (taken by the media operation)."""
    from qwencloud_skills.mediaops.actions import frame_file

    picture = frame_file(str(video), at=at, output=str(folder) + "/")
    pixels = subprocess.run([ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-i", str(picture), "-f",
                             "rawvideo", "-pix_fmt", "rgb24", "-"], capture_output=True, check=True,
                            timeout=60).stdout
    red, green, blue = (sum(pixels[channel::3]) / (len(pixels) / 3) for channel in range(3))
    if blue > 180 and red < 60 and green < 60:
        return "blue"
    if red > 180 and blue < 60 and green < 60:
        return "red"
    return "other"
