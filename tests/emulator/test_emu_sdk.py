"""Conformance: the official dashscope SDK (2.x) works against the emulator unchanged."""

from __future__ import annotations

from pathlib import Path

import dashscope
import httpx
import pytest
from dashscope import VideoSynthesis
from mediafiles import write_media

from .helpers import API_KEY, T2V_PATH

pytestmark = pytest.mark.filterwarnings("ignore::DeprecationWarning")


@pytest.fixture
def sdk(emu, monkeypatch):
    monkeypatch.setattr(dashscope, "base_http_api_url", emu.api_base)
    monkeypatch.delenv("HTTP_PROXY", raising=False)
    monkeypatch.delenv("HTTPS_PROXY", raising=False)
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    return emu


def test_t2v_async_call_fetch_wait(sdk):
    submitted = VideoSynthesis.async_call(
        model="wan2.5-t2v-preview", prompt="A cat", size="832*480", duration=5, api_key=API_KEY
    )
    assert submitted.status_code == 200, submitted.message
    assert submitted.output.task_status == "PENDING"
    fetched = VideoSynthesis.fetch(submitted, api_key=API_KEY)
    assert fetched.status_code == 200
    assert fetched.output.task_id == submitted.output.task_id
    done = VideoSynthesis.wait(submitted, api_key=API_KEY)
    assert done.output.task_status == "SUCCEEDED"
    assert done.output.video_url.startswith(sdk.base_url + "/media/")
    assert done.usage.video_duration == 5
    assert done.usage.video_ratio == "832*480"
    sent = [r for r in sdk.requests if r.route == "submit"][0]
    assert sent.headers["x-dashscope-async"] == "enable"
    assert sent.json()["input"]["prompt"] == "A cat"


def test_kf2v_uses_image2video_path(sdk):
    submitted = VideoSynthesis.async_call(
        model="wan2.2-kf2v-flash",
        prompt="a transition",
        first_frame_url="https://example.invalid/first.png",
        last_frame_url="https://example.invalid/last.png",
        resolution="480P",
        api_key=API_KEY,
    )
    assert submitted.status_code == 200, submitted.message
    assert sdk.requests[-1].url_path.endswith("/services/aigc/image2video/video-synthesis")
    done = VideoSynthesis.wait(submitted, api_key=API_KEY)
    assert done.output.task_status == "SUCCEEDED"
    assert done.usage.video_ratio == "832*480"


def test_cancel_pending_then_refused(sdk):
    sdk.config.pending_seconds = 60
    submitted = VideoSynthesis.async_call(model="wan2.6-t2v", prompt="slow", api_key=API_KEY)
    canceled = VideoSynthesis.cancel(submitted, api_key=API_KEY)
    assert canceled.status_code == 200
    assert VideoSynthesis.fetch(submitted, api_key=API_KEY).output.task_status == "CANCELED"
    again = VideoSynthesis.cancel(submitted, api_key=API_KEY)
    assert again.status_code == 400
    assert again.code == "UnsupportedOperation"


def test_list(sdk):
    for _ in range(3):
        VideoSynthesis.async_call(model="wan2.2-t2v-plus", prompt="x", size="832*480", api_key=API_KEY)
    listed = VideoSynthesis.list(status="SUCCEEDED", page_size=2, api_key=API_KEY)
    assert listed.status_code == 200
    assert listed.output["total"] == 3
    assert listed.output["total_page"] == 2
    assert len(listed.output["data"]) == 2
    assert {row["status"] for row in listed.output["data"]} == {"SUCCEEDED"}


def test_local_file_upload_through_sdk(sdk, tmp_path: Path):
    image = tmp_path / "frame.png"
    write_media(image)
    submitted = VideoSynthesis.async_call(
        model="wan2.6-i2v-flash", prompt="move", img_url=str(image), resolution="720P", duration=2, api_key=API_KEY
    )
    assert submitted.status_code == 200, submitted.message
    ((key, data),) = sdk.uploaded_objects.items()
    assert key.endswith("/frame.png") and data == image.read_bytes()
    sent = sdk.requests[-1]
    assert sent.headers["X-DashScope-OssResourceResolve"] == "enable"
    assert sent.json()["input"]["img_url"] == "oss://" + key
    assert VideoSynthesis.wait(submitted, api_key=API_KEY).output.task_status == "SUCCEEDED"


def test_synchronous_call_is_refused(emu):
    response = httpx.post(
        emu.api_base + T2V_PATH,
        json={"model": "wan2.6-t2v", "input": {"prompt": "x"}},
        headers={"Authorization": f"Bearer {API_KEY}"},
        trust_env=False,
    )
    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "AccessDenied"
    assert body["message"] == "current user api does not support synchronous calls"
    assert body["request_id"]
    assert len(emu.tasks) == 0
