"""Bad input at the library level: the central checks every mode gets, media sniffing, request reading."""

from __future__ import annotations

import base64
import dataclasses
import os
import struct
from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest
from mediafiles import mp3_bytes, mp4_bytes, png_bytes, wav_bytes, write_media
from pydantic import BaseModel, ConfigDict

from qwencloud_skills import mediatype
from qwencloud_skills.cli import request_input
from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.localfiles import check_local_files
from qwencloud_skills.plugins import get_registry
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import TaskBook
from qwencloud_skills.validation import MAX_DEPTH, bool_number_problems, raw_value_problems

SKILL = "qwencloud-video-generation"


def book() -> TaskBook:
    return TaskBook(skill=SKILL, api_key=ApiKey("sk-test"), base_url="http://127.0.0.1:9", ledger=False)


def issues_of(call, *args: Any, **kwargs: Any) -> List[Any]:
    with pytest.raises(InvalidRequestError) as info:
        call(*args, **kwargs)
    for issue in info.value.issues:
        assert issue.problem and (issue.allowed or issue.fix), str(issue)
    return info.value.issues


# -- media sniffing ---------------------------------------------------------------------------------------

def _bmp() -> bytes:
    return b"BM" + struct.pack("<IHHI", 70, 0, 0, 54) + struct.pack("<I", 40) + b"\x00" * 52


SNIFF_CASES = [  # ids are positions: the heads carry random padding, which must not name tests
    (png_bytes(), mediatype.PNG),
    (b"\xff\xd8\xff\xe0\x00\x10JFIF\x00", mediatype.JPEG),
    (_bmp(), mediatype.BMP),
    (b"RIFF\x24\x00\x00\x00WEBPVP8 ", mediatype.WEBP),
    (b"GIF89a\x01\x00\x01\x00", mediatype.GIF),
    (b"II*\x00\x08\x00\x00\x00", mediatype.TIFF),
    (mp4_bytes(), mediatype.MP4),
    (b"\x00\x00\x00\x14ftypqt  \x00\x00\x02\x00qt  ", mediatype.MP4),
    (b"\x00\x00\x00\x18ftypM4A \x00\x00\x02\x00isomM4A ", mediatype.M4A),
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", mediatype.HEIF),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1", mediatype.AVIF),
    (b"RIFF\x24\x00\x00\x00AVI LIST", mediatype.AVI),
    (b"\x1a\x45\xdf\xa3\x9f\x42\x86\x81\x01", mediatype.MATROSKA),
    (wav_bytes(), mediatype.WAV),
    (mp3_bytes(), mediatype.MP3),
    (b"\xff\xfb\x90\x64" + b"\x00" * 100, mediatype.MP3),
    (b"fLaC\x00\x00\x00\x22", mediatype.FLAC),
    (b"OggS\x00\x02", mediatype.OGG),
    (b"%PDF-1.7\n", mediatype.PDF),
    (b"PK\x03\x04\x14\x00", mediatype.ZIP),
    (b"\x7fELF\x02\x01\x01", mediatype.EXECUTABLE),
    (b"hello, world\n", mediatype.TEXT),
    ("café ✓".encode()[:-1], mediatype.TEXT),  # cut inside the last character
    (b"BMW is a car maker, not a bitmap\n", mediatype.TEXT),
    (b"\xff\xf1\x50\x80", mediatype.UNKNOWN),  # AAC ADTS: frame sync, but layer 0 is not MPEG audio
    (b"", mediatype.UNKNOWN),
    (b"\x00\x01\x02\x03binary", mediatype.UNKNOWN),
]


@pytest.mark.parametrize("head, kind", SNIFF_CASES, ids=[f"case{i}" for i in range(len(SNIFF_CASES))])
def test_sniff_tells_formats_from_their_first_bytes(head: bytes, kind: mediatype.MediaKind) -> None:
    assert mediatype.sniff(head) == kind


def test_every_suffix_the_video_fields_take_can_be_checked_by_content() -> None:
    for mode in get_registry().modes_of(SKILL):
        for field, suffixes in mode.file_types.items():
            assert all(mediatype.known_suffix(suffix) for suffix in suffixes), (mode.name, field)


# -- central checks every mode gets ----------------------------------------------------------------------

def test_every_mode_refuses_nul_characters_naming_the_field() -> None:
    for mode in get_registry().modes_of(SKILL):
        issues = issues_of(mode.validate, {"prompt": "a\x00b", "negative_prompt": "ok"})
        assert [(i.field, "NUL" in i.problem) for i in issues] == [("prompt", True)], mode.name


def test_every_number_field_of_every_mode_refuses_true_and_false() -> None:
    checked = 0
    for mode in get_registry().modes_of(SKILL):
        for name, info in mode.request_class.model_fields.items():
            if "int" not in str(info.annotation) and "float" not in str(info.annotation):
                continue
            for value in (True, False):
                issues = issues_of(mode.validate, {"prompt": "a", name: value})
                assert (issues[0].field, issues[0].value) == (info.alias or name, value), (mode.name, name)
                assert "is not a number" in issues[0].problem
                checked += 1
    assert checked >= 20  # seed and duration everywhere, vace's scales, strength, mask_frame_id...


class Numbers(BaseModel):
    model_config = ConfigDict(extra="forbid")

    count: Optional[int] = None
    scales: Optional[List[float]] = None
    weights: Optional[Dict[str, int]] = None
    flag: Optional[bool] = None
    either: Optional[Any] = None


def test_a_mode_of_any_skill_gets_the_central_checks() -> None:
    from qwencloud_skills.registry import Mode, ModelSpec

    class Caption(BaseModel):
        text: str
        count: int = 1

    mode = Mode(name="caption", skill="other-skill", summary="s", endpoint="/x", default_model="m1",
                request_model=Caption, build_payload=lambda request, model: {}, models=[ModelSpec("m1")])
    assert [i.field for i in issues_of(mode.validate, {"text": "a\x00"})] == ["text"]
    assert [i.field for i in issues_of(mode.validate, {"text": "a", "count": True})] == ["count"]
    assert mode.validate({"text": "a", "count": 2}).count == 2


def test_bools_in_lists_and_maps_of_numbers_are_found() -> None:
    data = {"count": 1, "scales": [1.0, True], "weights": {"a": False}, "flag": True, "either": True}
    found = [(issue.field, issue.value) for issue in bool_number_problems(Numbers, data)]
    assert found == [("scales[1]", True), ("weights.a", False)]


@pytest.mark.parametrize("request_, field, needle", [
    ({"prompt": "x", "extra_input": {"k\x00": 1}}, "extra_input.k\x00", "NUL"),
    ({"prompt": "x", "reference_urls": ["a", "b\x00"]}, "reference_urls[1]", "NUL"),
    ({"prompt": "caf\udce9"}, "prompt", "not valid Unicode"),
    ({"seed": float("nan")}, "seed", "not a finite number"),
    ({"extra_parameters": {"w": float("inf")}}, "extra_parameters.w", "not a finite number"),
    ({"seed": 2**60}, "seed", "too large"),
])
def test_raw_values_no_field_can_take(request_: Dict[str, Any], field: str, needle: str) -> None:
    issues = raw_value_problems(request_)
    assert [issue.field for issue in issues] == [field] and needle in issues[0].problem


def test_nesting_is_limited_without_recursion() -> None:
    def nested(depth: int) -> Any:
        value: Any = 1
        for _ in range(depth):
            value = [value]
        return value

    assert raw_value_problems({"x": nested(MAX_DEPTH - 1)}) == []
    issues = raw_value_problems({"extra_input": {"x": nested(100_000)}})
    assert len(issues) == 1 and "nested more than" in issues[0].problem
    assert issues[0].field.startswith("extra_input.x[0][0]")


def test_mode_validate_refuses_nesting_before_pydantic_sees_it() -> None:
    deep: Any = 1
    for _ in range(5000):
        deep = {"k": deep}
    issues = issues_of(get_registry().modes["t2v"].validate, {"prompt": "a", "extra_input": deep})
    assert "nested" in issues[0].problem


# -- video rules that used to crash ----------------------------------------------------------------------

@pytest.mark.filterwarnings("ignore::qwencloud_skills.registry.UnknownModelWarning")
@pytest.mark.parametrize("size", ["0*0", "1280*0", "0*720", "1x1", "127*720", "8193*720", "99999*99999"])
@pytest.mark.parametrize("model", [None, "wan9.9-t2v-future"])
def test_sizes_outside_the_general_bounds(size: str, model: Optional[str]) -> None:
    issues = issues_of(get_registry().modes["t2v"].validate, {"prompt": "a", "size": size}, model)
    assert issues[0].field == "size" and "128-8192" in issues[0].allowed


def test_size_helpers_survive_zero_sides() -> None:
    from qwencloud_video.catalog import closest_size, parse_size, tier_of_size

    assert tier_of_size("0*0") is None and closest_size("1280*0", ["1280*720"]) is None
    assert closest_size("1280*720", ["0*0", "1280*720"]) == "1280*720"
    assert parse_size("١٢٨٠*720") is None and parse_size("9" * 5000 + "*720") is None


@pytest.mark.parametrize("value, ok", [("144P", True), ("4320P", True), ("1440P", True), ("143P", False),
                                       ("4321P", False), ("0720P", False), ("000P", False), ("HD", False)])
def test_resolution_tokens_of_unknown_models(value: str, ok: bool) -> None:
    mode = get_registry().modes["i2v"]
    request = {"prompt": "a", "img_url": "https://e.invalid/a.png", "resolution": value}
    with pytest.warns(UserWarning):
        if ok:
            mode.validate(request, "wan9.9-i2v-future")
            return
        issues = issues_of(mode.validate, request, "wan9.9-i2v-future")
    assert issues[0].field == "resolution"


@pytest.mark.parametrize("value, ok", [(1, True), (600, True), (0, False), (601, False), (-5, False)])
def test_duration_of_unknown_models(value: int, ok: bool) -> None:
    mode = get_registry().modes["t2v"]
    with pytest.warns(UserWarning):
        if ok:
            mode.validate({"prompt": "a", "duration": value}, "wan9.9-t2v-future")
            return
        issues = issues_of(mode.validate, {"prompt": "a", "duration": value}, "wan9.9-t2v-future")
    assert issues[0].field == "duration" and issues[0].allowed == "1 to 600 seconds"


# -- local files and data: URLs ---------------------------------------------------------------------------

def test_a_real_png_with_another_suffix_is_told_to_be_renamed(tmp_path: Path) -> None:
    (tmp_path / "frame.dat").write_bytes(png_bytes())
    issues = issues_of(book().prepare, {"prompt": "a", "img_url": str(tmp_path / "frame.dat")})
    assert "rename it to end in .png" in issues[0].fix


def test_wrong_content_and_oversize_are_reported_together(tmp_path: Path) -> None:
    track = tmp_path / "song.mp3"
    with track.open("wb") as handle:
        handle.write(b"text " * 10)
        handle.truncate(16 * 1048576)
    problems = [issue.problem for issue in issues_of(book().prepare, {"prompt": "a", "audio_url": str(track)})]
    assert problems[0] == "is binary data of an unknown type, not an MP3 audio file" and "over the limit" in problems[1]


def test_a_wav_named_mp3_has_its_length_checked_too(tmp_path: Path) -> None:
    track = tmp_path / "track.mp3"
    track.write_bytes(wav_bytes(seconds=1.0))  # audio_url takes WAV and MP3: accepted by content, then measured
    issues = issues_of(book().prepare, {"prompt": "a", "audio_url": str(track)})
    assert issues[0].allowed == "3-30 s on wan2.6-t2v" and "plays 1.00 s" in issues[0].problem


def test_odd_paths_are_clear_errors(tmp_path: Path) -> None:
    mode = get_registry().modes["i2v"]
    loop = tmp_path / "loop.png"
    loop.symlink_to(tmp_path / "loop.png")
    (tmp_path / "folder.png").mkdir()
    cases = {
        str(loop): "",
        str(tmp_path / "folder.png"): "is a folder",
        str(tmp_path / ("n" * 300 + ".png")): "too long",
        str(tmp_path / "nul\x00.png"): "not a usable path",
    }
    for value, needle in cases.items():
        # Straight to the file check: even a caller that skips request validation gets a clear error.
        issues = issues_of(check_local_files, mode, {"img_url": value})
        assert issues[0].field == "img_url" and needle in issues[0].problem, issues[0]


def test_a_suffix_nobody_can_sniff_is_judged_by_name_only(tmp_path: Path) -> None:
    mode = dataclasses.replace(get_registry().modes["i2v"], file_types={"img_url": (".jxl",)})
    photo = tmp_path / "photo.jxl"
    photo.write_bytes(os.urandom(256))
    assert [item.path for item in check_local_files(mode, {"img_url": str(photo)})] == [photo]


def data_url(content: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(content).decode()


def test_data_urls_follow_the_modes_documentation() -> None:
    frame = data_url(png_bytes())
    book().prepare({"prompt": "a", "first_frame_url": frame, "last_frame_url": frame})  # kf2v documents base64
    issues = issues_of(book().prepare, {"function": "video_extension", "prompt": "a", "first_frame_url": frame})
    assert "does not take inline data: URLs" in issues[0].problem  # vace does not


def test_a_mode_that_declares_nothing_takes_well_formed_data_urls_anywhere() -> None:
    mode = dataclasses.replace(get_registry().modes["r2v"], data_url_fields=None)
    assert check_local_files(mode, {"reference_urls": [data_url(png_bytes())]}) == []
    issues = issues_of(check_local_files, mode, {"reference_urls": [data_url(b"<svg/>", "image/svg+xml")]})
    assert "cannot take image/svg+xml" in issues[0].problem


def test_a_data_url_over_the_field_limit_is_refused() -> None:
    big = data_url(png_bytes(size=10 * 1048576 + 4096))  # kf2v frames: at most 10 MB
    issues = issues_of(book().prepare, {"prompt": "a", "first_frame_url": big, "last_frame_url": big})
    assert [issue.field for issue in issues] == ["first_frame_url", "last_frame_url"]
    assert issues[0].allowed == "at most 10 MB"


def test_a_jpeg_data_url_declared_as_png_is_refused() -> None:
    jpeg_head = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 64
    issues = issues_of(book().prepare, {"prompt": "a", "img_url": data_url(jpeg_head, "image/png")})
    assert "a JPEG image, not a PNG image" in issues[0].problem and "data:image/jpeg;base64" in issues[0].fix


# -- request files ------------------------------------------------------------------------------------------

def test_request_files_in_utf8_with_bom_and_utf16_are_read(tmp_path: Path) -> None:
    files = (("bom.json", b"\xef\xbb\xbf" + b'{"prompt": "a"}'), ("u16.json", '{"prompt": "é"}'.encode("utf-16")))
    for name, data in files:
        (tmp_path / name).write_bytes(data)
        assert request_input.load_request(None, str(tmp_path / name))["prompt"] in ("a", "é")


def test_a_request_file_of_endless_bytes_is_cut_off(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(request_input, "MAX_FILE_BYTES", 1024)
    source = "/dev/zero" if os.path.exists("/dev/zero") else str(write_media(tmp_path / "big.png", 4096))
    issues = issues_of(request_input.load_request, None, source)
    assert "larger than" in issues[0].problem


def test_an_empty_file_argument_is_refused() -> None:
    assert "no path given" in issues_of(request_input.load_request, None, "")[0].problem


@pytest.mark.parametrize("text, needle", [
    ('{"seed": Infinity}', "Infinity is not a JSON number"),
    ('{"seed": -Infinity}', "Infinity is not a JSON number"),
    ('{"a": {"b": 1, "b": 2}}', "given twice"),
    ("[" * 100_000, "nested far too deeply"),
    ('{"seed": ' + "9" * 5000 + "}", "not valid JSON"),
])
def test_json_the_reader_refuses(text: str, needle: str) -> None:
    issues = issues_of(request_input.load_request, text, None)
    assert needle in issues[0].problem
