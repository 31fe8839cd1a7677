"""Conformance: the official dashscope SDK (a version with ``media``) drives wan2.7 on the emulator."""

from __future__ import annotations

from pathlib import Path

import dashscope
import pytest
from dashscope import VideoSynthesis
from mediafiles import png_bytes

from .helpers import API_KEY

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def sdk(emu, monkeypatch):
    monkeypatch.setattr(dashscope, "base_http_api_url", emu.api_base)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return emu


def test_wan27_t2v_async_call_wait(sdk):
    submitted = VideoSynthesis.async_call(
        model="wan2.7-t2v",
        prompt="A lighthouse at dusk",
        audio_url="https://e.x/sea.mp3",
        resolution="720P",
        ratio="9:16",
        duration=3,
        api_key=API_KEY,
    )
    assert submitted.status_code == 200, submitted.message
    sent = [r for r in sdk.requests if r.route == "submit"][-1].json()
    assert sent["parameters"] == {"resolution": "720P", "ratio": "9:16", "duration": 3}
    assert sent["input"]["audio_url"] == "https://e.x/sea.mp3"
    done = VideoSynthesis.wait(submitted, api_key=API_KEY)
    assert done.output.task_status == "SUCCEEDED"
    assert done.output.video_url.startswith(sdk.base_url + "/media/")
    assert done.usage.duration == 3 and done.usage.SR == 720


def test_wan27_i2v_media_with_a_local_file(sdk, tmp_path: Path):
    frame = tmp_path / "frame.png"
    frame.write_bytes(png_bytes(width=1000, height=750))
    submitted = VideoSynthesis.async_call(
        model="wan2.7-i2v",
        media=[{"type": "first_frame", "url": str(frame)}, {"type": "last_frame", "url": "https://e.x/last.png"}],
        resolution="720P",
        duration=2,
        api_key=API_KEY,
    )
    assert submitted.status_code == 200, submitted.message
    sent = sdk.requests[-1]
    assert sent.headers["X-DashScope-OssResourceResolve"] == "enable"
    first = sent.json()["input"]["media"][0]
    assert first["type"] == "first_frame" and first["url"].startswith("oss://")
    done = VideoSynthesis.wait(submitted, api_key=API_KEY)
    assert done.output.task_status == "SUCCEEDED"
    assert done.usage.output_video_duration == 2
    task = sdk.tasks[submitted.output.task_id]
    assert (task.width, task.height) == (1104, 816)  # the uploaded 4:3 frame was probed


def test_wan27_i2v_bad_combination_is_refused(sdk):
    response = VideoSynthesis.async_call(
        model="wan2.7-i2v", media=[{"type": "last_frame", "url": "https://e.x/last.png"}], api_key=API_KEY
    )
    assert response.status_code == 400
    assert response.code == "InvalidParameter" and "combination" in response.message
