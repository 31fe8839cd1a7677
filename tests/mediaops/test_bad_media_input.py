"""Bad input to media commands: exit 3, the argument and value named, no traceback; via both installed CLIs."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

BIN = Path(sys.executable).parent


def run(*args, script: str = "qwencloud-video", cwd: Path) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / script), "media", *map(str, args)], cwd=cwd, capture_output=True, text=True,
                          timeout=60)


@pytest.mark.parametrize("case, expected", [
    (("probe", "missing.mp4"), 'FILE="missing.mp4": no such file'),
    (("probe", "{text}"), "not a media file"),
    (("trim", "{a}", "--start", "-1", "--end", "1"), "--start=-1.0: is negative"),
    (("trim", "{a}", "--end", "9"), "--end=9.0: is beyond the end"),
    (("trim", "{a}", "--start", "1.5", "--end", "1"), "is not after --start"),
    (("trim", "{a}", "--last", "1", "--start", "0"), "--last=1.0: cannot be combined"),
    (("trim", "{a}"), "no cut given"),
    (("frame", "{a}", "--at", "5"), "--at=5.0: is beyond the end"),
    (("frame", "{a}"), "choose exactly one"),
    (("add-audio", "{a}", "{silent}"), 'has no audio stream'),
    (("add-audio", "{a}", "{tone}", "--volume", "-1"), "--volume=-1.0"),
    (("add-audio", "{a}", "{tone}", "--fade", "5"), "--fade=5.0"),
    (("concat", "{a}"), "needs at least two clips"),
    (("concat", "{a}", "{b}", "--crossfade", "3"), "--crossfade=3.0"),
    (("mix", "{tone}", "{long_tone}", "--output", "x.txt"), "has the suffix .txt"),
    (("contact-sheet", "{tone}"), "has no picture stream"),
])
def test_bad_input_exits_3_naming_the_argument(clips, tmp_path, case, expected) -> None:
    args = [part.format(**{k: str(v) for k, v in clips.items()}) for part in case]
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 3, result.stderr
    assert expected in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == "" and list(tmp_path.iterdir()) == []


def test_unreadable_media_is_invalid_input(clips, tmp_path) -> None:
    broken = tmp_path / "broken.mp4"
    broken.write_bytes(clips["a"].read_bytes()[:2000])  # the index (moov) is at the end: cut off
    result = run("trim", broken, "--last", "0.5", cwd=tmp_path)
    assert result.returncode == 3 and "cannot be read as media" in result.stderr, result.stderr


def test_ffmpeg_failure_exits_1_with_its_last_lines(clips, tmp_path) -> None:
    whole = tmp_path / "whole.mp4"
    assert run("trim", clips["a"], "--end", "2", "--output", whole, cwd=tmp_path).returncode == 0  # index first
    damaged = tmp_path / "damaged.mp4"
    damaged.write_bytes(whole.read_bytes()[: whole.stat().st_size * 4 // 10])  # frames after ~0.8 s are gone
    result = run("frame", damaged, "--at", "1.9", cwd=tmp_path)
    assert result.returncode == 1, result.stderr
    assert "ffmpeg:" in result.stderr and "Traceback" not in result.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["damaged.mp4", "whole.mp4"]


def test_run_turns_an_ffmpeg_error_into_ours() -> None:
    from qwencloud_skills.mediaops.ffmpeg import MediaOpError
    from qwencloud_skills.mediaops.ffmpeg import run as run_ffmpeg

    with pytest.raises(MediaOpError) as caught:
        run_ffmpeg(["-f", "lavfi", "-i", "nosuchfilter=\x1b[31m", "-f", "null", "-"], "testing")
    assert caught.value.exit_code == 1 and "ffmpeg failed" in str(caught.value) and "\x1b" not in str(caught.value)


def test_both_installed_clis_offer_media(clips, tmp_path) -> None:
    probe = run("probe", clips["a"], "--format", "json", cwd=tmp_path)
    assert probe.returncode == 0 and '"has_audio": true' in probe.stdout
    sheet = run("contact-sheet", clips["a"], "--frames", "4", script="qwencloud-skills", cwd=tmp_path)
    assert sheet.returncode == 0, sheet.stderr
    assert Path(sheet.stdout.strip().splitlines()[-1]).parent == tmp_path
    listed = subprocess.run([str(BIN / "qwencloud-video"), "--help"], capture_output=True, text=True, timeout=60)
    assert "media" in listed.stdout


def test_doctor_names_the_ffmpeg_in_use(tmp_path) -> None:
    result = subprocess.run([str(BIN / "qwencloud-skills"), "doctor", "--offline"], cwd=tmp_path,
                            capture_output=True, text=True, timeout=60)
    line = [row for row in result.stdout.splitlines() if row.startswith("media_ffmpeg")]
    assert line and ("(bundled)" in line[0] or "(system)" in line[0])
