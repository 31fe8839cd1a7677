"""probe reads real files; concat copies matching clips, re-encodes others, keeps sound, crossfades."""

from __future__ import annotations

import json

import pytest

from qwencloud_skills.mediaops.join import concat
from qwencloud_skills.mediaops.probe import probe

pytestmark = pytest.mark.slow


def test_probe_reports_the_streams(clips, media_run) -> None:
    outcome, _ = media_run("probe", clips["a"], "--format", "json")
    data = json.loads(outcome.stdout)
    assert data["width"] == 160 and data["height"] == 120 and data["fps"] == 24.0
    assert abs(data["duration"] - 2.0) < 0.05
    assert data["video_codec"] == "h264" and data["has_audio"] and data["audio_codec"] == "aac"
    assert probe(clips["silent"]).has_audio is False
    text, _ = media_run("probe", clips["tone"])
    assert "has_video: False" in text.stdout and "has_audio: True" in text.stdout


def test_matching_clips_join_by_stream_copy_without_timestamp_warnings(clips, tmp_path) -> None:
    infos = [probe(clips["a"]), probe(clips["a"]), probe(clips["a"])]
    how, log = concat(infos, tmp_path / "joined.mp4")
    assert how == "stream copy"
    assert "Non-monotonous DTS" not in log and "non monotonically" not in log.lower()
    joined = probe(tmp_path / "joined.mp4")
    assert abs(joined.duration - 6.0) <= 0.1 and joined.has_audio


def test_different_clips_are_re_encoded_and_keep_their_sound(clips, tmp_path) -> None:
    infos = [probe(clips["a"]), probe(clips["silent"]), probe(clips["big"])]
    how, log = concat(infos, tmp_path / "joined.mp4")
    assert how == "re-encode" and "Non-monotonous DTS" not in log
    joined = probe(tmp_path / "joined.mp4")
    assert abs(joined.duration - 4.0) <= 0.1
    assert joined.has_audio and (joined.width, joined.height) == (160, 120)


def test_crossfade_shortens_by_the_overlap(clips, media_run) -> None:
    outcome, path = media_run("concat", clips["a"], clips["b"], clips["a"], "--crossfade", "0.5")
    assert "crossfade" in outcome.stderr
    joined = probe(path)
    assert abs(joined.duration - (2 + 1 + 2 - 2 * 0.5)) <= 0.1 and joined.has_audio


def test_concat_never_overwrites(clips, media_run) -> None:
    _, first = media_run("concat", clips["b"], clips["b"])
    _, second = media_run("concat", clips["b"], clips["b"])
    assert first.name == "b_joined.mp4" and second.name == "b_joined_1.mp4" and first.exists()
    _, named = media_run("concat", clips["b"], clips["b"], "--output", str(first))
    assert named.name == "b_joined_2.mp4"
    assert not [p for p in first.parent.iterdir() if p.name.startswith(".")]  # no temp files left
