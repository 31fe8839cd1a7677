"""The video service's own quota rows: the wan2.2/wanx2.1 models run 2 at a time and take 2 submits/s."""

from __future__ import annotations

from typing import Any, Dict

from qwencloud_skills.emulator import Emulator, EmulatorConfig

from .helpers import KF2V_PATH, Api


def kf2v() -> Dict[str, Any]:
    return {"model": "wan2.2-kf2v-flash", "input": {"first_frame_url": "https://e/a.png",
                                                    "last_frame_url": "https://e/b.png"},
            "parameters": {"resolution": "480P"}}


def t2v() -> Dict[str, Any]:
    return {"model": "wan2.6-t2v", "input": {"prompt": "p"}, "parameters": {"size": "1280*720", "duration": 5}}


def test_the_slow_quota_models_run_two_at_once_and_the_others_five(media_cache: str) -> None:
    config = EmulatorConfig(media_cache_dir=media_cache, render_media=False, enforce_quotas=True,
                            pending_seconds=0.0, generation_seconds=10.0)
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        api = Api(emu)
        try:
            slow = [api.submit_ok(kf2v(), path=KF2V_PATH) for _ in range(2)]
            refused = api.submit(kf2v(), path=KF2V_PATH)  # a third within the same second: over 2 per second
            assert refused.status_code == 429 and refused.json()["code"] == "Throttling.RateQuota"
            emu.advance_time(1.1)
            slow.append(api.submit_ok(kf2v(), path=KF2V_PATH))
            assert [api.output(task)["task_status"] for task in slow] == ["RUNNING", "RUNNING", "PENDING"]
            fast = [api.submit_ok(t2v()) for _ in range(5)]
            assert [api.output(task)["task_status"] for task in fast] == ["RUNNING"] * 5
        finally:
            api.close()
