"""result_size_bytes: results served as large deterministic blobs (download benchmarks)."""

from __future__ import annotations

import time

import httpx

from qwencloud_skills.emulator import Emulator, EmulatorConfig


def test_result_videos_can_be_served_at_a_chosen_size() -> None:
    config = EmulatorConfig(pending_seconds=0, generation_seconds=0, result_size_bytes=3 * 1024 * 1024 + 7)
    headers = {"Authorization": "Bearer sk-test", "X-DashScope-Async": "enable"}
    with Emulator(config) as emu:
        answer = httpx.post(emu.api_base + "/services/aigc/video-generation/video-synthesis", headers=headers,
                            json={"model": "wan2.6-t2v", "input": {"prompt": "x"}, "parameters": {}}).json()
        task_id = answer["output"]["task_id"]
        time.sleep(0.05)
        url = httpx.get(f"{emu.api_base}/tasks/{task_id}", headers=headers).json()["output"]["video_url"]
        first = httpx.get(url).content
        tail = httpx.get(url, headers={"Range": "bytes=-7"})
    assert len(first) == config.result_size_bytes
    assert tail.status_code == 206 and tail.content == first[-7:]
