"""Bad input through the real `qwencloud-video` never crashes: exit 3, the field named, nothing sent.

Every case runs the installed console script against the emulator and checks that the emulator
received no request at all, that no traceback reached the user, and that the message says what was
given, what is allowed and how to fix it.
"""

from __future__ import annotations

import base64
import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict

import pytest
from mediafiles import png_bytes, write_media

from .conftest import all_output

I2V = {"prompt": "a cat", "resolution": "720P"}
VACE_REF = {"function": "image_reference", "prompt": "a girl", "ref_images_url": ["https://e.invalid/g.png"],
            "obj_or_bg": ["obj"]}


def refused(cli, *args: str, field: str, needles: tuple = ()) -> str:
    result = cli(*args)
    output = all_output(result)
    assert result.returncode == 3, output
    assert "Traceback" not in output and "Error" in result.stderr
    assert cli.emulator.requests == [], "nothing may be sent for a request refused locally"
    assert field in result.stderr and "fix:" in result.stderr, result.stderr
    for needle in needles:
        assert needle in result.stderr, result.stderr
    return result.stderr


def request(data: Dict[str, Any]) -> tuple:
    return ("--request", json.dumps(data), "--submit-only")


# -- 1. sizes that divided by zero or took the log of zero ----------------------------------------------

@pytest.mark.parametrize("data", [
    {"prompt": "a", "size": "0*0"},
    {"prompt": "a", "size": "1280*0"},
    {"prompt": "a", "size": "1" * 5000 + "*720"},
    {"prompt": "a", "size": "0*0", "model": "wan9.9-t2v-future"},
    {**VACE_REF, "size": "0*720"},
    {**I2V, "img_url": "https://e.invalid/a.png", "size": "0*0"},
])
def test_impossible_sizes_are_refused(cli, data: Dict[str, Any]) -> None:
    refused(cli, *request(data), field="size")


def test_a_typed_zero_size_is_refused(cli) -> None:
    refused(cli, "t2v", "--prompt", "a cat", "--size", "0*720", "--submit-only", field="size",
            needles=("128-8192", "0*720"))


# -- 2. NUL characters in any string field --------------------------------------------------------------

@pytest.mark.parametrize("data, field", [
    ({"prompt": "a\u0000cat"}, "prompt"),
    ({"prompt": "a cat", "negative_prompt": "blur\u0000"}, "negative_prompt"),
    ({**I2V, "img_url": "https://e.invalid/a\u0000.png"}, "img_url"),
    ({**I2V, "img_url": "frame\u0000.png"}, "img_url"),
    ({"prompt": "character1", "reference_urls": ["https://e.invalid/a.png", "b\u0000.png"]}, "reference_urls[1]"),
    ({"prompt": "a cat", "extra_input": {"note\u0000": 1}}, "extra_input.note"),
    ({"prompt": "a cat", "model": "wan2.6-t2v\u0000"}, "model"),
])
def test_nul_characters_are_refused_naming_the_field(cli, data: Dict[str, Any], field: str) -> None:
    refused(cli, *request(data), field=field, needles=("NUL",))


def test_text_that_is_not_unicode_is_refused(cli) -> None:
    # Bytes that are not UTF-8 reach Python as lone surrogates; they cannot be sent as JSON text.
    refused(cli, *request({"prompt": "caf\udce9"}), field="prompt", needles=("not valid Unicode",))


# -- 3. file names the system cannot even look up --------------------------------------------------------

def test_a_300_character_file_name_is_a_clear_error(cli) -> None:
    refused(cli, *request({**I2V, "img_url": "a" * 300 + ".png"}), field="img_url", needles=("too long",))


# -- 4. request files and JSON that crashed the reader ---------------------------------------------------

def test_a_binary_request_file_is_refused(cli) -> None:
    (cli.cwd / "frame.png").write_bytes(png_bytes())
    refused(cli, "--file", "frame.png", field="--file", needles=("is a PNG image, not a JSON request",))


def test_a_request_file_that_is_not_utf8_is_refused(cli) -> None:
    (cli.cwd / "latin1.json").write_bytes('{"prompt": "café"}'.encode("latin-1"))
    refused(cli, "--file", "latin1.json", field="--file", needles=("not UTF-8", "0xe9"))


def test_a_request_file_that_is_a_folder_is_refused(cli) -> None:
    (cli.cwd / "requests").mkdir()
    refused(cli, "--file", "requests", field="--file", needles=("is a folder",))


def test_a_utf16_request_file_with_a_bom_is_read(cli) -> None:
    (cli.cwd / "win.json").write_bytes('{"prompt": "a cat", "size": "0*0"}'.encode("utf-16"))
    refused(cli, "--file", "win.json", field="size")  # read fine: the size is what is wrong


@pytest.mark.parametrize("where", ["--request", "--file"])
@pytest.mark.parametrize("depth", [100_000, 100])
def test_deeply_nested_json_is_refused(cli, where: str, depth: int) -> None:
    text = '{"prompt": "a", "extra_input": {"x": ' + "[" * depth + "]" * depth + "}}"
    if where == "--request" and depth > 1000:
        text = text[: text.index("]")]  # one argument holds at most 128 KiB: the opening half is what recurses
    if where == "--file":
        (cli.cwd / "deep.json").write_text(text, encoding="utf-8")
        text = "deep.json"
    refused(cli, where, text, "--submit-only", field="extra_input" if depth == 100 else where,
            needles=("nested",))


def test_deeply_nested_json_in_a_typed_option_is_refused(cli) -> None:
    result = cli("t2v", "--prompt", "a", "--extra-input", "[" * 100_000, "--submit-only")
    assert result.returncode == 3 and "Traceback" not in all_output(result)
    assert "nested" in result.stderr and cli.emulator.requests == []


@pytest.mark.parametrize("text, needle", [
    ('{"prompt": "a", "seed": NaN}', "NaN"),
    ('{"prompt": "a", "seed": 1, "seed": 2}', "given twice"),
])
def test_json_a_request_cannot_mean_is_refused(cli, text: str, needle: str) -> None:
    refused(cli, "--request", text, "--submit-only", field="--request" if "NaN" in text else "seed",
            needles=(needle,))


# -- 5. true/false where a number belongs ----------------------------------------------------------------

@pytest.mark.parametrize("data, field", [
    ({"prompt": "a", "seed": True}, "seed"),
    ({"prompt": "a", "duration": True}, "duration"),
    ({"prompt": "a", "duration": False, "model": "wan9.9-t2v-future"}, "duration"),
    ({"function": "video_outpainting", "prompt": "a", "video_url": "https://e.invalid/v.mp4", "top_scale": True},
     "top_scale"),
    ({"function": "video_edit", "video_url": "https://e.invalid/v.mp4", "mask_image_url": "https://e.invalid/m.png",
      "mask_frame_id": True}, "mask_frame_id"),
])
def test_booleans_are_not_numbers(cli, data: Dict[str, Any], field: str) -> None:
    refused(cli, *request(data), field=field, needles=("is not a number",))


# -- 6. data: and file: URLs -----------------------------------------------------------------------------

def data_url(content: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(content).decode()


def test_a_well_formed_data_url_is_sent_where_the_service_takes_one(cli) -> None:
    value = data_url(png_bytes())
    result = cli(*request({**I2V, "img_url": value}))
    assert result.returncode == 0, all_output(result)
    submit = [r for r in cli.emulator.requests if r.path.endswith("video-synthesis")][-1]
    assert submit.json()["input"]["img_url"] == value


@pytest.mark.parametrize("data, field, needle", [
    ({**I2V, "img_url": "data:image/png;base64,!!not base64!!"}, "img_url", "not valid base64"),
    ({**I2V, "img_url": "data:image/png," + "x" * 20}, "img_url", "not a base64 data URL"),
    ({**I2V, "img_url": data_url(b"hello", "text/plain")}, "img_url", "cannot take text/plain"),
    ({**I2V, "img_url": data_url(b"just some text")}, "img_url", "the data is text, not a PNG image"),
    ({"prompt": "character1", "reference_urls": [data_url(png_bytes())]}, "reference_urls[0]",
     "does not take inline data: URLs"),
    ({"prompt": "a", "audio_url": data_url(b"ID3", "audio/mpeg")}, "audio_url", "does not take inline data: URLs"),
])
def test_bad_or_undocumented_data_urls_are_refused(cli, data: Dict[str, Any], field: str, needle: str) -> None:
    refused(cli, *request(data), field=field, needles=(needle,))


def test_file_urls_are_refused_with_the_path_to_pass(cli) -> None:
    frame = write_media(cli.cwd / "frame.png")
    refused(cli, *request({**I2V, "img_url": frame.as_uri()}), field="img_url",
            needles=("pass the path itself", str(frame)))


def test_other_url_schemes_are_refused(cli) -> None:
    refused(cli, *request({**I2V, "img_url": "ftp://e.invalid/frame.png"}), field="img_url",
            needles=("ftp:// URLs cannot be sent",))


# -- 7. local media is checked by content, not by name ---------------------------------------------------

def test_a_png_that_is_text_is_refused_before_any_upload(cli) -> None:
    (cli.cwd / "frame.png").write_text("not really an image\n", encoding="utf-8")
    refused(cli, *request({**I2V, "img_url": "frame.png"}), field="img_url",
            needles=("is text, not a PNG image",))


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symbolic links")
def test_a_link_to_a_non_media_file_is_refused_saying_where_it_leads(cli) -> None:
    notes = cli.cwd / "notes.png"
    notes.write_text("secret notes\n", encoding="utf-8")
    try:
        (cli.cwd / "frame.png").symlink_to(notes)
    except OSError:
        pytest.skip("symbolic links are not allowed here")
    refused(cli, *request({**I2V, "img_url": "frame.png"}), field="img_url",
            needles=("is text, not a PNG image", "the path leads to"))


def test_a_png_in_a_video_field_is_refused(cli) -> None:
    (cli.cwd / "clip.mp4").write_bytes(png_bytes())
    data = {"function": "video_extension", "prompt": "go on", "first_clip_url": "clip.mp4"}
    refused(cli, *request(data), field="first_clip_url", needles=("is a PNG image, not an MP4/MOV video",))


def test_an_empty_file_is_refused(cli) -> None:
    (cli.cwd / "frame.png").write_bytes(b"")
    refused(cli, *request({**I2V, "img_url": "frame.png"}), field="img_url", needles=("empty",))


def test_a_wav_that_is_not_audio_is_refused(cli) -> None:
    (cli.cwd / "track.wav").write_bytes(os.urandom(4096))
    refused(cli, *request({"prompt": "a", "audio_url": "track.wav"}), field="audio_url",
            needles=("not a WAV audio file",))


def test_a_jpeg_named_png_is_accepted_for_a_field_that_takes_jpeg(cli) -> None:
    ffmpeg = pytest.importorskip("imageio_ffmpeg").get_ffmpeg_exe()
    subprocess.run([ffmpeg, "-y", "-loglevel", "error", "-f", "lavfi", "-i", "color=c=red:s=320x240",
                    "-frames:v", "1", "-f", "image2", "-c:v", "mjpeg", str(cli.cwd / "frame.png")],
                   check=True, timeout=60)
    assert (cli.cwd / "frame.png").read_bytes()[:3] == b"\xff\xd8\xff"
    result = cli(*request({**I2V, "img_url": "frame.png"}))
    assert result.returncode == 0, all_output(result)


# -- 8. a model nobody describes is still held to the general limits -------------------------------------

UNKNOWN = "wan9.9-i2v-future"


@pytest.mark.parametrize("data, field", [
    ({**I2V, "duration": 0}, "duration"),
    ({**I2V, "duration": 601}, "duration"),
    ({**I2V, "duration": 10**12}, "duration"),
    ({**I2V, "resolution": "9999P"}, "resolution"),
    ({**I2V, "resolution": "000P"}, "resolution"),
    ({**I2V, "seed": -1}, "seed"),
    ({**I2V, "seed": 2**60}, "seed"),
])
def test_an_unknown_model_still_gets_the_general_limits(cli, data: Dict[str, Any], field: str) -> None:
    full = {**data, "img_url": "https://e.invalid/a.png", "model": UNKNOWN}
    refused(cli, *request(full), field=field)


def test_an_unknown_model_with_sane_values_is_sent(cli) -> None:
    full = {**I2V, "img_url": "https://e.invalid/a.png", "model": UNKNOWN, "duration": 20, "resolution": "1440P"}
    result = cli(*request(full))
    assert "not in the i2v catalog" in result.stderr and "Traceback" not in all_output(result)
    submit = [r for r in cli.emulator.requests if r.path.endswith("video-synthesis")]  # the emulator knows no such
    assert submit and submit[0].json()["parameters"]["duration"] == 20                # model, but it was sent


def test_an_unknown_model_size_is_bounded_too(cli) -> None:
    data = {"prompt": "a", "size": "99999*720", "model": "wan9.9-t2v-future"}
    refused(cli, *request(data), field="size", needles=("128-8192",))


def test_a_bad_local_path_in_the_request_never_reaches_the_upload(cli, tmp_path: Path) -> None:
    """The whole request is refused before the upload policy is even asked for."""
    write_media(cli.cwd / "good.png")
    (cli.cwd / "bad.png").write_text("text", encoding="utf-8")
    data = {"prompt": "character1 and character2", "reference_urls": ["good.png", "bad.png"], "size": "1280*720"}
    refused(cli, *request(data), field="reference_urls[1]", needles=("is text",))
