"""trim cuts exact lengths; frame --last is the real last frame, pixel for pixel."""

from __future__ import annotations

import pytest

from qwencloud_skills.mediaops.probe import probe
from qwencloud_skills.pixelsize import pixel_size

from .conftest import ffmpeg, rgb

pytestmark = pytest.mark.slow


@pytest.mark.parametrize("args, length", [(("--start", "0.5", "--end", "1.5"), 1.0), (("--last", "0.5"), 0.5),
                                          (("--start", "1.25"), 0.75), (("--end", "1"), 1.0)])
def test_trim_has_the_exact_length(clips, media_run, args, length) -> None:
    _, path = media_run("trim", clips["a"], *args)
    cut = probe(path)
    assert abs(cut.duration - length) <= 0.05 and cut.has_audio


def test_last_frame_is_the_final_decoded_frame(clips, media_run, tmp_path) -> None:
    _, path = media_run("frame", clips["a"], "--last")
    frames = 48  # 2 s at 24 fps
    reference, before = tmp_path / "ref.png", tmp_path / "before.png"
    ffmpeg("-i", str(clips["a"]), "-vf", f"select=eq(n\\,{frames - 1})", "-frames:v", "1", str(reference))
    ffmpeg("-i", str(clips["a"]), "-vf", f"select=eq(n\\,{frames - 2})", "-frames:v", "1", str(before))
    assert rgb(path) == rgb(reference)
    assert rgb(path) != rgb(before)  # the frames differ, so equality above means "the last one"


def test_first_and_at_frames_are_pngs(clips, media_run, tmp_path) -> None:
    _, first = media_run("frame", clips["a"], "--first")
    reference = tmp_path / "ref.png"
    ffmpeg("-i", str(clips["a"]), "-frames:v", "1", str(reference))
    assert rgb(first) == rgb(reference)
    _, at = media_run("frame", clips["a"], "--at", "1")
    with at.open("rb") as handle:
        assert tuple(pixel_size(handle)) == (160, 120)
    assert rgb(at) != rgb(first)


def test_at_the_very_end_gives_the_last_frame(clips, media_run) -> None:
    _, end = media_run("frame", clips["a"], "--at", "2")
    _, last = media_run("frame", clips["a"], "--last")
    assert end.name == "a_at2s.png" and rgb(end) == rgb(last)
