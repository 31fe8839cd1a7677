"""add-audio replaces, mixes, loops and cuts; mix spans the longest track; the contact sheet's grid."""

from __future__ import annotations

import pytest

from qwencloud_skills.mediaops.probe import probe
from qwencloud_skills.pixelsize import pixel_size

pytestmark = pytest.mark.slow


def test_short_audio_is_looped_to_the_clip_length(clips, media_run) -> None:
    _, path = media_run("add-audio", clips["a"], clips["tone"])
    result = probe(path)
    assert abs(result.duration - 2.0) <= 0.1 and result.has_audio and result.video_codec == "h264"


def test_long_audio_is_cut_and_mixed_with_fades(clips, media_run) -> None:
    _, path = media_run("add-audio", clips["a"], clips["long_tone"], "--mix", "--volume", "0.5", "--fade", "0.3")
    result = probe(path)
    assert abs(result.duration - 2.0) <= 0.1 and result.has_audio


def test_silent_clip_gets_sound(clips, media_run) -> None:
    _, path = media_run("add-audio", clips["silent"], clips["long_tone"])
    result = probe(path)
    assert abs(result.duration - 1.0) <= 0.1 and result.has_audio


def test_mix_lasts_as_long_as_the_longest(clips, media_run) -> None:
    _, path = media_run("mix", clips["tone"], clips["long_tone"])
    result = probe(path)
    assert path.suffix == ".m4a" and abs(result.duration - 5.0) <= 0.1 and not result.has_video
    _, wav = media_run("mix", clips["tone"], clips["long_tone"], "--output", "both.wav")
    assert wav.name == "both.wav" and probe(wav).audio_codec == "pcm_s16le"


def test_contact_sheet_is_a_png_grid(clips, media_run) -> None:
    outcome, path = media_run("contact-sheet", clips["a"], "--columns", "3", "--frames", "5")
    with path.open("rb") as handle:
        assert tuple(pixel_size(handle)) == (3 * 320, 2 * 240)
    from qwencloud_skills.mediaops.ffmpeg import has_filter

    # Builds with drawtext draw the times; others (older bundled ffmpeg) say so and still make the grid.
    assert path.suffix == ".png" and ("drawtext" in outcome.stderr) == (not has_filter("drawtext"))
