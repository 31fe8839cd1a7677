"""Pictures too small, too large or too elongated for their field are refused before any upload or charge."""

from __future__ import annotations

import base64
import json
import subprocess
from pathlib import Path

import pytest
from mediafiles import png_bytes

from .conftest import all_output


def picture(folder: Path, name: str, width: int, height: int) -> str:
    path = folder / name
    path.write_bytes(png_bytes(width=width, height=height))
    return str(path)


def refused(cli, data: dict, field: str, *needles: str) -> str:
    cli.emulator.clear_requests()
    result = cli("--request", json.dumps(data), "--submit-only")
    output = all_output(result)
    assert result.returncode == 3, output
    assert "Traceback" not in output and field in result.stderr and "fix:" in result.stderr, output
    for needle in needles:
        assert needle in result.stderr, result.stderr
    assert cli.emulator.requests == []  # no upload, no submit
    return result.stderr


def test_a_tiny_first_frame_is_refused_naming_size_and_limits(cli) -> None:
    small = picture(cli.cwd, "thumb.png", 200, 150)
    refused(cli, {"model": "wan2.7-i2v", "first_frame_url": small, "prompt": "go"}, "first_frame_url",
            "200x150 pixels", "each side 240-8000 px", "larger original")


def test_an_elongated_frame_is_refused_on_wan27_but_kf2v_takes_it(cli) -> None:
    banner = picture(cli.cwd, "banner.png", 2700, 300)
    stderr = refused(cli, {"model": "wan2.7-i2v", "first_frame_url": banner, "prompt": "pan"}, "first_frame_url",
                     "more elongated than 1:8", "aspect 1:8 to 8:1", "crop")
    assert "2700x300" in stderr
    other = picture(cli.cwd, "end.png", 640, 360)
    result = cli("--request", json.dumps({"first_frame_url": banner, "last_frame_url": other, "prompt": "morph"}),
                 "--submit-only")
    assert result.returncode == 0, all_output(result)  # kf2v documents no aspect limit


def test_every_picture_problem_is_listed_at_once(cli) -> None:
    data = {"model": "wan2.7-i2v", "prompt": "x", "first_frame_url": picture(cli.cwd, "a.png", 100, 100),
            "last_frame_url": picture(cli.cwd, "b.png", 9000, 2000)}
    stderr = refused(cli, data, "first_frame_url", "last_frame_url", "9000x2000", "scale it down")
    assert stderr.count("pixels") >= 2


def test_inline_pictures_are_measured_too(cli) -> None:
    inline = "data:image/png;base64," + base64.b64encode(png_bytes(width=100, height=900)).decode()
    refused(cli, {"img_url": inline, "prompt": "a", "resolution": "720P"}, "img_url", "100x900 pixels")


def test_videoedit_reference_images_and_clip_pixels(cli) -> None:
    ffmpeg = pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()
    clip = cli.cwd / "tiny.mp4"
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=160x120:d=3",
                    "-c:v", "mpeg4", str(clip)], check=True, timeout=60)
    refused(cli, {"video_url": str(clip), "prompt": "make it snow"}, "video_url", "160x120 pixels",
            "each side 240-4096 px")
    refused(cli, {"model": "wan2.7-i2v", "first_clip_url": str(clip)}, "first_clip_url", "160x120 pixels")


def test_pictures_within_limits_are_uploaded_and_sent(cli) -> None:
    frame = picture(cli.cwd, "frame.png", 1280, 720)
    result = cli("--request", json.dumps({"model": "wan2.7-i2v", "first_frame_url": frame, "prompt": "go"}),
                 "--submit-only")
    assert result.returncode == 0, all_output(result)
    assert {"upload", "submit"} <= {request.route for request in cli.emulator.requests}
