"""wan2.7 on the emulator: the media-list protocol, its refusals, the 1080P default, billing and result MP4s."""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, List, Optional

import pytest

from qwencloud_skills.emulator import Emulator

from .wanmedia import error, finished, image, result, upload, video

pytest.importorskip("imageio_ffmpeg")

IMG, IMG2, CLIP, VID, WAV = (f"https://e.x/{name}" for name in ("a.png", "b.png", "clip.mp4", "v.mp4", "s.wav"))


def media(*items: Any) -> List[Dict[str, Any]]:
    out = []
    for item in items:
        kind, url = item[0], item[1]
        entry: Dict[str, Any] = {"type": kind, "url": url}
        if len(item) > 2:
            entry["reference_voice"] = item[2]
        out.append(entry)
    return out


def body(model: str, prompt: Optional[str] = "p", items: Any = None, **parameters: Any) -> Dict[str, Any]:
    inputs: Dict[str, Any] = {} if prompt is None else {"prompt": prompt}
    if items is not None:
        inputs["media"] = items
    return {"model": model, "input": inputs, "parameters": parameters}


def check(info: Dict[str, Any], width: int, height: int, seconds: float, audio: bool = True) -> None:
    assert (info["width"], info["height"], info["has_audio"]) == (width, height, audio)
    assert info["duration"] == pytest.approx(seconds, abs=0.2)
    assert info["video_codec"] == "h264"


# -- t2v ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "parameters, size",
    [
        ({"resolution": "720P", "ratio": "9:16", "duration": 2}, (720, 1280)),
        ({"resolution": "720P", "ratio": "4:3", "duration": 2}, (1104, 832)),
        ({"resolution": "1080P", "ratio": "3:4", "duration": 2}, (1248, 1648)),
        ({"ratio": "1:1", "duration": 2}, (1440, 1440)),
    ],
)
def test_t2v_resolution_and_ratio(api, tmp_path: Path, parameters: Dict[str, Any], size) -> None:
    info, usage = result(api, tmp_path, body("wan2.7-t2v", **parameters))
    check(info, size[0], size[1], 2)
    tier = parameters.get("resolution", "1080P")
    assert usage == {"video_count": 1, "duration": 2, "input_video_duration": 0.0, "output_video_duration": 2,
                     "SR": int(tier[:-1]), "ratio": parameters["ratio"], "size": f"{size[0]}*{size[1]}"}


def test_t2v_defaults_are_1080p_16_9_five_seconds(api, tmp_path: Path) -> None:
    payload = {"model": "wan2.7-t2v", "input": {"prompt": "p", "audio_url": WAV}}
    info, usage = result(api, tmp_path, payload)
    check(info, 1920, 1080, 5)
    assert usage["SR"] == 1080 and usage["ratio"] == "16:9" and usage["duration"] == 5


def test_output_has_orig_prompt_only(api) -> None:
    output = finished(api, body("wan2.7-t2v", "a quiet lake", duration=2))["output"]
    assert output["orig_prompt"] == "a quiet lake" and "actual_prompt" not in output


def test_t2v_snapshot_id(api, emu: Emulator) -> None:
    task = emu.tasks[api.submit_ok(body("wan2.7-t2v-2026-04-25", resolution="720P", duration=15))]
    assert (task.width, task.height, task.duration) == (1280, 720, 15)


T2V_REFUSALS = [
    ("no prompt", body("wan2.7-t2v", None), "input.prompt"),
    ("long prompt", body("wan2.7-t2v", "x" * 5001), "5000"),
    ("size", body("wan2.7-t2v", size="1280*720"), "resolution"),
    ("480P", body("wan2.7-t2v", resolution="480P"), "720P, 1080P"),
    ("ratio", body("wan2.7-t2v", ratio="21:9"), "16:9"),
    ("duration 1", body("wan2.7-t2v", duration=1), "2-15"),
    ("duration 16", body("wan2.7-t2v", duration=16), "2-15"),
    ("media", body("wan2.7-t2v", items=media(("first_frame", IMG))), "audio_url"),
    ("audio scheme", {"model": "wan2.7-t2v", "input": {"prompt": "p", "audio_url": "ftp://x/a.wav"}}, "audio_url"),
    ("seed", body("wan2.7-t2v", seed=-1), "seed"),
]


@pytest.mark.parametrize("payload, word", [r[1:] for r in T2V_REFUSALS], ids=[r[0] for r in T2V_REFUSALS])
def test_t2v_refusals(api, emu: Emulator, payload: Dict[str, Any], word: str) -> None:
    assert word in error(api.submit(payload))
    assert len(emu.tasks) == 0


# -- i2v ---------------------------------------------------------------------------------------------

I2V_SETS = [
    ("first", media(("first_frame", IMG))),
    ("first+audio", media(("first_frame", IMG), ("driving_audio", WAV))),
    ("first+last", media(("first_frame", IMG), ("last_frame", IMG2))),
    ("first+last+audio", media(("last_frame", IMG2), ("driving_audio", WAV), ("first_frame", IMG))),
    ("clip", media(("first_clip", CLIP))),
    ("clip+last", media(("first_clip", CLIP), ("last_frame", IMG2))),
]


@pytest.mark.parametrize("items", [s[1] for s in I2V_SETS], ids=[s[0] for s in I2V_SETS])
def test_i2v_combinations(api, tmp_path: Path, emu: Emulator, items) -> None:
    emu.config.input_media = {CLIP: {"width": 1280, "height": 720, "duration": 3.0}}
    info, usage = result(api, tmp_path, body("wan2.7-i2v", None, items, resolution="720P", duration=6))
    check(info, 1280, 720, 6)  # a continuation's duration is the whole output, clip included
    assert usage["duration"] == 6 and usage["output_video_duration"] == 6 and usage["SR"] == 720


def test_i2v_default_is_1080p(api, emu: Emulator) -> None:
    task = emu.tasks[api.submit_ok(body("wan2.7-i2v", items=media(("first_frame", IMG))))]
    assert (task.width, task.height, task.duration, task.audio) == (1920, 1080, 5, True)


def test_i2v_aspect_follows_an_uploaded_image(api, tmp_path: Path) -> None:
    url = upload(api, "portrait.png", image(750, 1000))
    payload = body("wan2.7-i2v", items=media(("first_frame", url)), resolution="720P", duration=2)
    info, usage = result(api, tmp_path, payload, oss=True)
    check(info, 816, 1104, 2)  # the documented example: 750x1000 at 720P
    assert usage["size"] == "816*1104"


def test_i2v_continuation_of_an_uploaded_clip(api, emu: Emulator, tmp_path: Path) -> None:
    clip = upload(api, "clip.mp4", video(tmp_path, 640, 480, 3))
    payload = body("wan2.7-i2v", items=media(("first_clip", clip)), resolution="720P", duration=3)
    assert "first_clip" in error(api.submit(payload, oss=True))  # 3 s total cannot extend a 3 s clip
    payload["parameters"]["duration"] = 5
    info, usage = result(api, tmp_path, payload, oss=True)
    check(info, 1104, 816, 5)  # follows the 4:3 clip
    assert usage["duration"] == 5


I2V_REFUSALS = [
    ("no media", body("wan2.7-i2v"), "input.media"),
    ("empty media", body("wan2.7-i2v", items=[]), "input.media"),
    ("last only", body("wan2.7-i2v", items=media(("last_frame", IMG))), "combination"),
    ("audio only", body("wan2.7-i2v", items=media(("driving_audio", WAV))), "combination"),
    ("first+clip", body("wan2.7-i2v", items=media(("first_frame", IMG), ("first_clip", CLIP))), "combination"),
    ("clip+audio", body("wan2.7-i2v", items=media(("first_clip", CLIP), ("driving_audio", WAV))), "combination"),
    ("two firsts", body("wan2.7-i2v", items=media(("first_frame", IMG), ("first_frame", IMG2))), "more than once"),
    ("unknown type", body("wan2.7-i2v", items=media(("reference_image", IMG))), "reference_image"),
    ("no url", body("wan2.7-i2v", items=[{"type": "first_frame"}]), "url"),
    ("ratio", body("wan2.7-i2v", items=media(("first_frame", IMG)), ratio="16:9"), "ratio"),
    ("clip base64", body("wan2.7-i2v", items=media(("first_clip", "data:video/mp4;base64,AAAA"))), "data:"),
    ("long prompt", body("wan2.7-i2v", "x" * 5001, media(("first_frame", IMG))), "5000"),
    ("duration 16", body("wan2.7-i2v", items=media(("first_frame", IMG)), duration=16), "2-15"),
    ("size", body("wan2.7-i2v", items=media(("first_frame", IMG)), size="1280*720"), "size"),
]


@pytest.mark.parametrize("payload, word", [r[1:] for r in I2V_REFUSALS], ids=[r[0] for r in I2V_REFUSALS])
def test_i2v_refusals(api, emu: Emulator, payload: Dict[str, Any], word: str) -> None:
    assert word in error(api.submit(payload))
    assert len(emu.tasks) == 0


def test_i2v_base64_first_frame_is_accepted(api) -> None:
    assert api.submit(body("wan2.7-i2v", items=media(("first_frame", "data:image/png;base64,iVBO")))).status_code == 200


def test_i2v_clip_length_is_checked_when_known(api, emu: Emulator) -> None:
    emu.config.input_media = {CLIP: {"width": 1280, "height": 720, "duration": 12.0}}
    assert "2-10 s" in error(api.submit(body("wan2.7-i2v", items=media(("first_clip", CLIP)), duration=15)))
    emu.config.input_media = {IMG: {"width": 100, "height": 1000}}
    assert "240-8000" in error(api.submit(body("wan2.7-i2v", items=media(("first_frame", IMG)))))


def test_media_oss_urls_need_the_header(api) -> None:
    payload = body("wan2.7-i2v", items=media(("first_frame", "oss://dashscope-instant/x/y.png")))
    assert "X-DashScope-OssResourceResolve" in error(api.submit(payload))


# -- r2v ---------------------------------------------------------------------------------------------


def test_r2v_images_default_1080p_up_to_15_seconds(api, emu: Emulator) -> None:
    refs = media(("reference_image", IMG), ("reference_image", IMG2, WAV))
    task = emu.tasks[api.submit_ok(body("wan2.7-r2v", "Image 1 meets Image 2", refs, duration=15))]
    assert (task.width, task.height, task.duration) == (1920, 1080, 15)


def test_r2v_bills_reference_video_seconds(api, emu: Emulator, tmp_path: Path) -> None:
    emu.config.input_media = {VID: {"width": 1280, "height": 720, "duration": 4.0}}
    refs = media(("reference_video", VID, WAV), ("reference_image", IMG))
    info, usage = result(api, tmp_path, body("wan2.7-r2v", "Video 1", refs, resolution="720P", ratio="9:16",
                                             duration=2))
    check(info, 720, 1280, 2)
    assert usage["input_video_duration"] == 4.0 and usage["output_video_duration"] == 2
    assert usage["duration"] == 6.0 and usage["SR"] == 720 and usage["ratio"] == "9:16"


def test_r2v_unknown_video_length_uses_the_assumption(api, emu: Emulator) -> None:
    emu.config.options["assumed_input_video_seconds"] = 7.5
    done = finished(api, body("wan2.7-r2v", "Video 1", media(("reference_video", VID)), duration=2))
    assert done["usage"]["input_video_duration"] == 7.5 and done["usage"]["duration"] == 9.5


def test_r2v_first_frame_sets_the_aspect(api, tmp_path: Path) -> None:
    url = upload(api, "square.png", image(600, 600))
    refs = media(("first_frame", url), ("reference_image", IMG))
    info, usage = result(api, tmp_path, body("wan2.7-r2v", "Image 1", refs, resolution="720P", duration=2), oss=True)
    check(info, 960, 960, 2)
    assert usage["ratio"] == "1:1"


R2V_REFUSALS = [
    ("no prompt", body("wan2.7-r2v", None, media(("reference_image", IMG))), "input.prompt"),
    ("no refs", body("wan2.7-r2v", items=media(("first_frame", IMG))), "at least one"),
    ("six refs", body("wan2.7-r2v", items=media(*[("reference_image", IMG)] * 4, *[("reference_video", VID)] * 2)),
     "at most 5"),
    ("two firsts", body("wan2.7-r2v", items=media(("first_frame", IMG), ("first_frame", IMG2),
                                                   ("reference_image", IMG))), "first_frame"),
    ("ratio+first", body("wan2.7-r2v", items=media(("first_frame", IMG), ("reference_image", IMG)), ratio="1:1"),
     "ratio"),
    ("video 11s", body("wan2.7-r2v", items=media(("reference_video", VID)), duration=11), "2-10"),
    ("images 16s", body("wan2.7-r2v", items=media(("reference_image", IMG)), duration=16), "2-15"),
    ("voice on frame", body("wan2.7-r2v", items=media(("first_frame", IMG, WAV), ("reference_image", IMG))),
     "reference_voice"),
    ("bad type", body("wan2.7-r2v", items=media(("video", VID))), "video"),
    ("size", body("wan2.7-r2v", items=media(("reference_image", IMG)), size="1920*1080"), "size"),
]


@pytest.mark.parametrize("payload, word", [r[1:] for r in R2V_REFUSALS], ids=[r[0] for r in R2V_REFUSALS])
def test_r2v_refusals(api, emu: Emulator, payload: Dict[str, Any], word: str) -> None:
    assert word in error(api.submit(payload))
    assert len(emu.tasks) == 0


# -- videoedit ---------------------------------------------------------------------------------------


def test_videoedit_keeps_the_input_length_and_bills_both(api, emu: Emulator, tmp_path: Path) -> None:
    emu.config.input_media = {VID: {"width": 1280, "height": 720, "duration": 4.5}}
    refs = media(("video", VID), *[("reference_image", IMG)] * 4)
    info, usage = result(api, tmp_path, body("wan2.7-videoedit", None, refs, resolution="720P",
                                             audio_setting="origin"))
    check(info, 1280, 720, 4.5)
    assert usage["input_video_duration"] == 4.5 and usage["output_video_duration"] == 4.5
    assert usage["duration"] == 9.0 and usage["ratio"] == "16:9"


def test_videoedit_truncates_and_takes_a_ratio(api, emu: Emulator, tmp_path: Path) -> None:
    emu.config.input_media = {VID: {"width": 1280, "height": 720, "duration": 8.0}}
    info, usage = result(api, tmp_path, body("wan2.7-videoedit", "make it snow", media(("video", VID)),
                                             resolution="720P", ratio="1:1", duration=3))
    check(info, 960, 960, 3)
    assert usage["duration"] == 11.0 and usage["output_video_duration"] == 3


def test_videoedit_follows_an_uploaded_video(api, tmp_path: Path) -> None:
    clip = upload(api, "in.mp4", video(tmp_path, 480, 640, 2.5))
    info, usage = result(api, tmp_path, body("wan2.7-videoedit", "p", media(("video", clip)), resolution="720P"),
                         oss=True)
    check(info, 816, 1104, 2.5)  # 3:4 at 720P, sides floored to multiples of 16
    assert usage["input_video_duration"] == pytest.approx(2.5, abs=0.15)


def test_videoedit_default_is_1080p(api, emu: Emulator) -> None:
    task = emu.tasks[api.submit_ok(body("wan2.7-videoedit", items=media(("video", VID))))]
    assert (task.width, task.height, task.duration) == (1920, 1080, 5.0)  # unknown input: the 5 s assumption


EDIT_REFUSALS = [
    ("no media", body("wan2.7-videoedit"), "input.media"),
    ("no video", body("wan2.7-videoedit", items=media(("reference_image", IMG))), "exactly one video"),
    ("two videos", body("wan2.7-videoedit", items=media(("video", VID), ("video", VID))), "exactly one video"),
    ("five images", body("wan2.7-videoedit", items=media(("video", VID), *[("reference_image", IMG)] * 5)),
     "at most 4"),
    ("duration 1", body("wan2.7-videoedit", items=media(("video", VID)), duration=1), "0 (keep"),
    ("duration 11", body("wan2.7-videoedit", items=media(("video", VID)), duration=11), "2-10"),
    ("audio setting", body("wan2.7-videoedit", items=media(("video", VID)), audio_setting="mute"), "origin"),
    ("ratio", body("wan2.7-videoedit", items=media(("video", VID)), ratio="2:1"), "ratio"),
    ("first frame", body("wan2.7-videoedit", items=media(("video", VID), ("first_frame", IMG))), "first_frame"),
]


@pytest.mark.parametrize("payload, word", [r[1:] for r in EDIT_REFUSALS], ids=[r[0] for r in EDIT_REFUSALS])
def test_videoedit_refusals(api, emu: Emulator, payload: Dict[str, Any], word: str) -> None:
    assert word in error(api.submit(payload))
    assert len(emu.tasks) == 0


def test_videoedit_duration_beyond_a_known_input(api, emu: Emulator) -> None:
    emu.config.input_media = {VID: {"duration": 3.0}}
    assert "longer than" in error(api.submit(body("wan2.7-videoedit", items=media(("video", VID)), duration=5)))
    emu.config.input_media = {VID: {"duration": 11.0}}
    assert "2-10 s" in error(api.submit(body("wan2.7-videoedit", items=media(("video", VID)))))
