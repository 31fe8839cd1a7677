"""The workflows' own local steps on real MP4s: continuations joined to exactly the length asked, with sound,
whether the service returned the clip or not, and films assembled with cuts and crossfades."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwencloud_skills.errors import QwenSkillsError
from qwencloud_skills.mediaops.actions import probe_file

from .helpers import colour_at, context, join_clips, make_clip, seconds_of, workflow

pytestmark = pytest.mark.slow


def op(workflow_name: str, name: str):
    found = workflow(workflow_name).operation(name)
    assert found is not None, name
    return found


@pytest.fixture()
def folder(tmp_path: Path) -> Path:
    path = tmp_path / "steps"
    path.mkdir()
    return path


def test_long_video_join_drops_the_clip_a_continuation_replays(tmp_path, folder):
    first = make_clip(tmp_path / "segment-1.mp4", 10)
    second = make_clip(tmp_path / "segment-2.mp4", 12, freq=660)  # 12 s asked, clip included: it holds the clip
    join = op("long-video", "join-continuations")
    out = join({"files": [str(first), str(second)], "overlap": 2, "requested": [None, 12], "total": 20},
               context(folder))
    info = probe_file(out["file"])
    assert abs(info.duration - 20) <= 0.1 and info.has_audio
    assert out["cut"] == [0.0, 2.0]
    assert Path(out["file"]).parent == folder


def test_long_video_join_keeps_a_continuation_of_new_footage_only_whole(tmp_path, folder):
    first = make_clip(tmp_path / "segment-1.mp4", 10)
    second = make_clip(tmp_path / "segment-2.mp4", 10, freq=660)  # 12 s asked, 2 s less came back: new only
    out = op("long-video", "join-continuations")(
        {"files": [str(first), str(second)], "overlap": 2, "requested": [None, 12], "total": 20}, context(folder))
    info = probe_file(out["file"])
    assert abs(info.duration - 20) <= 0.1 and info.has_audio
    assert out["cut"] == [0.0, 0.0]


def test_a_32_second_join_of_three_segments_is_exact_with_sound(tmp_path, folder):
    parts = [make_clip(tmp_path / "s1.mp4", 11), make_clip(tmp_path / "s2.mp4", 13, freq=550),
             make_clip(tmp_path / "s3.mp4", 10, freq=660)]  # s2 holds its clip, s3 does not
    out = op("long-video", "join-continuations")(
        {"files": [str(part) for part in parts], "overlap": 2, "requested": [None, 13, 12], "total": 32},
        context(folder))
    assert out["cut"] == [0.0, 2.0, 0.0]
    info = probe_file(out["file"])
    assert abs(info.duration - 32) <= 0.1 and info.has_audio


def test_segments_longer_than_asked_are_cut_to_the_exact_length(tmp_path, folder):
    first = make_clip(tmp_path / "a.mp4", 10)
    second = make_clip(tmp_path / "b.mp4", 10)
    out = op("long-video", "join-continuations")(
        {"files": [str(first), str(second)], "overlap": 0, "requested": [None, 10], "total": 17}, context(folder))
    assert abs(seconds_of(out["file"]) - 17) <= 0.1
    assert probe_file(out["file"]).has_audio


def test_a_continuation_of_an_unexpected_length_is_refused_not_guessed(tmp_path, folder):
    first = make_clip(tmp_path / "a.mp4", 4)
    odd = make_clip(tmp_path / "b.mp4", 4)  # 8 s asked with a 2 s clip: neither 8 nor 6 s
    with pytest.raises(QwenSkillsError) as caught:
        op("long-video", "join-continuations")(
            {"files": [str(first), str(odd)], "overlap": 2, "requested": [None, 8], "total": 10}, context(folder))
    assert "4.00 s" in str(caught.value) and "duplicating or dropping" in str(caught.value)


def test_a_join_that_comes_out_short_is_an_error(tmp_path, folder):
    first = make_clip(tmp_path / "a.mp4", 3)
    second = make_clip(tmp_path / "b.mp4", 3)
    with pytest.raises(QwenSkillsError) as caught:
        op("long-video", "join-continuations")(
            {"files": [str(first), str(second)], "overlap": 0, "requested": [None, 3], "total": 8}, context(folder))
    assert "not the 8.00 s asked" in str(caught.value)


@pytest.mark.parametrize("replays_clip", [True, False])
def test_extend_keeps_the_input_and_adds_only_new_footage(tmp_path, folder, replays_clip):
    source = make_clip(tmp_path / "input.mp4", 4, colour="blue")
    new = make_clip(tmp_path / "new.mp4", 5, colour="red", freq=660)
    if replays_clip:  # what wan2.7-i2v returns: the 2 s clip (the input's blue end), then 5 s of new footage
        output = join_clips(tmp_path / "output.mp4", make_clip(tmp_path / "clip.mp4", 2, colour="blue"), new)
    else:
        output = new
    out = op("extend", "join-continuations")(
        {"files": [str(source), str(output)], "overlap": 2, "requested": [None, 7], "add": 5}, context(folder))
    assert abs(seconds_of(out["file"]) - 9) <= 0.1
    assert probe_file(out["file"]).has_audio
    looks = tmp_path / "frames"
    looks.mkdir()
    # exactly the input's 4 s of blue, then exactly 5 s of red: no blue replayed, nothing dropped
    assert [colour_at(out["file"], at, looks) for at in (0.5, 3.85)] == ["blue", "blue"]
    assert [colour_at(out["file"], at, looks) for at in (4.15, 6.0, 8.85)] == ["red", "red", "red"]


def test_ops_never_overwrite_and_can_run_again(tmp_path, folder):
    first = make_clip(tmp_path / "a.mp4", 3)
    second = make_clip(tmp_path / "b.mp4", 5)
    join = op("long-video", "join-continuations")
    args = {"files": [str(first), str(second)], "overlap": 2, "requested": [None, 5], "total": 6}
    one = join(dict(args), context(folder))
    two = join(dict(args), context(folder))
    assert one["file"] != two["file"] and Path(one["file"]).exists() and Path(two["file"]).exists()
    assert abs(seconds_of(one["file"]) - seconds_of(two["file"])) < 0.05


def test_assemble_cuts_and_crossfades(tmp_path, folder):
    clips = [make_clip(tmp_path / "s1.mp4", 3), make_clip(tmp_path / "s2.mp4", 2, freq=550),
             make_clip(tmp_path / "s3.mp4", 3, freq=660)]
    args = {"files": [str(clip) for clip in clips], "joins": ["fade", "cut"], "crossfade": 0.5}
    out = op("storyboard", "assemble")(args, context(folder, "assemble"))
    assert abs(seconds_of(out["file"]) - (3 + 2 - 0.5 + 3)) <= 0.15
    assert probe_file(out["file"]).has_audio
    assert "crossfade" in out["how"]


def test_assemble_with_cuts_only_plays_every_clip_in_full(tmp_path, folder):
    clips = [make_clip(tmp_path / "s1.mp4", 2), make_clip(tmp_path / "m.mp4", 2, audio=False),
             make_clip(tmp_path / "s2.mp4", 2)]  # a silent morph between two scenes with sound
    args = {"files": [str(clip) for clip in clips], "joins": ["cut", "cut"], "crossfade": 0.5}
    out = op("storyboard", "assemble")(args, context(folder, "assemble"))
    assert abs(seconds_of(out["file"]) - 6) <= 0.15
    assert probe_file(out["file"]).has_audio
