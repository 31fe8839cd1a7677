"""Helpers for the emulator tests: constants and a small HTTP client speaking to the emulator."""

from __future__ import annotations

import time
from typing import Any, Dict, Optional

import httpx

from qwencloud_skills.emulator import Emulator

API_KEY = "sk-emulator-test"
T2V_PATH = "/services/aigc/video-generation/video-synthesis"
KF2V_PATH = "/services/aigc/image2video/video-synthesis"


class Api:
    """Thin httpx wrapper speaking to one emulator the way a client would."""

    def __init__(self, emulator: Emulator, timeout: float = 10.0):
        self.emu = emulator
        self.http = httpx.Client(timeout=timeout, trust_env=False)

    def headers(self, key: Optional[str] = API_KEY, **extra: str) -> Dict[str, str]:
        out = {"Authorization": f"Bearer {key}"} if key else {}
        out.update(extra)
        return out

    def submit(
        self,
        body: Dict[str, Any],
        path: str = T2V_PATH,
        async_header: bool = True,
        oss: bool = False,
        key: Optional[str] = API_KEY,
        timeout: Optional[float] = None,
    ) -> httpx.Response:
        headers = self.headers(key)
        if async_header:
            headers["X-DashScope-Async"] = "enable"
        if oss:
            headers["X-DashScope-OssResourceResolve"] = "enable"
        kwargs: Dict[str, Any] = {"json": body, "headers": headers}
        if timeout is not None:
            kwargs["timeout"] = timeout
        return self.http.post(self.emu.api_base + path, **kwargs)

    def submit_ok(self, body: Dict[str, Any], path: str = T2V_PATH, **kwargs: Any) -> str:
        response = self.submit(body, path, **kwargs)
        assert response.status_code == 200, response.text
        return response.json()["output"]["task_id"]

    def task(self, task_id: str, **kwargs: Any) -> httpx.Response:
        return self.http.get(f"{self.emu.api_base}/tasks/{task_id}", headers=self.headers(), **kwargs)

    def output(self, task_id: str) -> Dict[str, Any]:
        response = self.task(task_id)
        assert response.status_code == 200, response.text
        return response.json()["output"]

    def wait(self, task_id: str, timeout: float = 10.0) -> Dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            body = self.task(task_id).json()
            if body["output"]["task_status"] not in ("PENDING", "RUNNING"):
                return body
            assert time.monotonic() < deadline, body
            time.sleep(0.02)

    def cancel(self, task_id: str) -> httpx.Response:
        return self.http.post(f"{self.emu.api_base}/tasks/{task_id}/cancel", headers=self.headers())

    def list(self, **params: Any) -> httpx.Response:
        return self.http.get(f"{self.emu.api_base}/tasks", params=params, headers=self.headers())

    def video(self, body: Dict[str, Any], path: str = T2V_PATH) -> str:
        """Submit, wait for SUCCEEDED and return the video URL."""
        done = self.wait(self.submit_ok(body, path))
        assert done["output"]["task_status"] == "SUCCEEDED", done
        return done["output"]["video_url"]

    def close(self) -> None:
        self.http.close()
