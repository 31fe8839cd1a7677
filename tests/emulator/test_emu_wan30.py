"""wan3.0-video / -prime on the emulator: media types and limits, mode exclusion, defaults, usage, MP4s.

The real service serves these models only from workspace hosts; the emulator has one host and
accepts them there (the client is pointed at it through QWEN_BASE_URL).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Dict, Optional

import pytest

from qwencloud_skills.emulator import Emulator

from .test_emu_wan27 import check, media
from .wanmedia import error, finished, image, result, upload

pytest.importorskip("imageio_ffmpeg")

IMG, IMG2, VID, VID2, MP3 = (f"https://e.x/{n}" for n in ("a.png", "b.png", "v.mp4", "w.mp4", "s.mp3"))
DOC, PAGE = "https://e.x/brief.pdf", "https://example.com/page"
MODELS = ("wan3.0-video", "wan3.0-video-prime")


def body(model: str = "wan3.0-video", prompt: Optional[str] = "p", items: Any = None, **parameters: Any):
    inputs: Dict[str, Any] = {} if prompt is None else {"prompt": prompt}
    if items is not None:
        inputs["media"] = items
    return {"model": model, "input": inputs, "parameters": parameters}


@pytest.mark.parametrize("model", MODELS)
def test_prompt_only_defaults(api, tmp_path: Path, model: str) -> None:
    info, usage = result(api, tmp_path, body(model, "x" * 20000, duration=2))
    check(info, 1920, 1080, 2, audio=True)  # 1080P, adaptive (16:9 without inputs), sound on
    assert usage == {"video_count": 1, "duration": 2, "input_video_duration": 0.0, "output_video_duration": 2,
                     "SR": 1080, "ratio": "adaptive", "size": "1920*1080", "fps": 30, "audio": True}


def test_default_duration_and_resolution(api, emu: Emulator) -> None:
    task = emu.tasks[api.submit_ok(body())]
    assert (task.width, task.height, task.duration, task.audio) == (1920, 1080, 5, True)


@pytest.mark.parametrize(
    "parameters, size",
    [({"resolution": "480P", "ratio": "16:9"}, (832, 480)), ({"resolution": "720P", "ratio": "3:4"}, (832, 1104))],
)
def test_resolution_ratio_and_silence(api, tmp_path: Path, parameters, size) -> None:
    info, usage = result(api, tmp_path, body(duration=2, audio=False, **parameters))
    check(info, size[0], size[1], 2, audio=False)
    assert usage["SR"] == int(parameters["resolution"][:-1]) and usage["audio"] is False


COMBINATIONS = [
    ("frames", media(("first_frame", IMG), ("last_frame", IMG2))),
    ("last frame", media(("last_frame", IMG2))),
    ("references", media(*[("reference_image", IMG)] * 10, *[("reference_video", VID)] * 2,
                         *[("reference_audio", MP3)] * 5)),
    ("file", media(("file", DOC), ("reference_image", IMG))),
    ("link", media(("link", PAGE))),
]


@pytest.mark.parametrize("items", [c[1] for c in COMBINATIONS], ids=[c[0] for c in COMBINATIONS])
def test_media_combinations(api, emu: Emulator, tmp_path: Path, items) -> None:
    emu.config.input_media = {VID: {"width": 1280, "height": 720, "duration": 3.0}}
    info, usage = result(api, tmp_path, body("wan3.0-video-prime", None, items, resolution="480P", duration=2))
    check(info, 832, 480, 2)
    videos = sum(1 for item in items if item["type"] == "reference_video")
    assert usage["input_video_duration"] == 3.0 * videos
    assert usage["duration"] == 3.0 * videos + 2


def test_duration_minus_one_lets_the_model_choose(api, emu: Emulator) -> None:
    done = finished(api, body(duration=-1, resolution="480P"))
    assert done["usage"]["output_video_duration"] == 5
    emu.config.input_media = {VID: {"duration": 14.0}, VID2: {"duration": 1.0}}
    task = emu.tasks[api.submit_ok(body(items=media(("reference_video", VID)), duration=-1))]
    assert task.duration == 5
    assert api.submit(body(duration=30)).status_code == 200


def test_adaptive_follows_an_uploaded_first_frame(api, tmp_path: Path) -> None:
    url = upload(api, "tall.png", image(540, 960))
    info, usage = result(api, tmp_path, body(items=media(("first_frame", url)), resolution="720P", duration=2),
                         oss=True)
    check(info, 720, 1280, 2)


def test_frames_and_references_fail_the_task(api) -> None:
    payload = body(items=media(("first_frame", IMG), ("reference_image", IMG2)))
    done = api.wait(api.submit_ok(payload))  # accepted, then failed, as the service does
    assert done["output"]["task_status"] == "FAILED"
    assert done["output"]["code"] == "InvalidParameter"
    assert "mutually exclusive" in done["output"]["message"]
    assert "usage" not in done


def test_any_host_serves_wan30(api, emu: Emulator) -> None:
    assert emu.api_base.startswith("http://127.0.0.1")
    assert api.submit(body("wan3.0-video-prime")).status_code == 200


REFUSALS = [
    ("nothing", body(prompt=None), "input.prompt"),
    ("long prompt", body(prompt="x" * 20001), "20000"),
    ("negative", {"model": "wan3.0-video", "input": {"prompt": "p", "negative_prompt": "blur"}}, "negative_prompt"),
    ("size", body(size="1920*1080"), "resolution"),
    ("4K", body(resolution="4K"), "480P, 720P, 1080P"),
    ("ratio", body(ratio="21:9"), "adaptive"),
    ("duration 0", body(duration=0), "-1"),
    ("duration 1", body(duration=1), "2-30"),
    ("duration 31", body(duration=31), "2-30"),
    ("audio", body(audio="yes"), "audio"),
    ("11 images", body(items=media(*[("reference_image", IMG)] * 11)), "at most 10"),
    ("6 videos", body(items=media(*[("reference_video", VID)] * 6)), "at most 5"),
    ("6 audios", body(items=media(*[("reference_audio", MP3)] * 6)), "at most 5"),
    ("2 first", body(items=media(("first_frame", IMG), ("first_frame", IMG2))), "at most 1"),
    ("2 last", body(items=media(("last_frame", IMG), ("last_frame", IMG2))), "at most 1"),
    ("2 files", body(items=media(("file", DOC), ("file", DOC))), "at most 1"),
    ("file+link", body(items=media(("file", DOC), ("link", PAGE))), "not both"),
    ("bad type", body(items=media(("first_clip", VID))), "first_clip"),
    ("video base64", body(items=media(("reference_video", "data:video/mp4;base64,AAAA"))), "data:"),
]


@pytest.mark.parametrize("payload, word", [r[1:] for r in REFUSALS], ids=[r[0] for r in REFUSALS])
def test_refusals(api, emu: Emulator, payload: Dict[str, Any], word: str) -> None:
    assert word in error(api.submit(payload))
    assert len(emu.tasks) == 0


def test_video_length_limits_when_known(api, emu: Emulator) -> None:
    emu.config.input_media = {VID: {"duration": 10.0}, VID2: {"duration": 6.0}}
    two = media(("reference_video", VID), ("reference_video", VID2))
    assert "at most 15 s" in error(api.submit(body(items=two)))
    one = media(("reference_video", VID))
    assert "exceed 30 s" in error(api.submit(body(items=one, duration=21)))
    assert api.submit(body(items=one, duration=20)).status_code == 200
    emu.config.input_media = {VID: {"duration": 16.0}}
    assert "1-15 s" in error(api.submit(body(items=one)))
