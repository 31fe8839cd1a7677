"""Helpers for the wan2.7 / wan3.0 emulator tests: real inputs uploaded to the emulator, result probes."""

from __future__ import annotations

import subprocess
from pathlib import Path
from typing import Any, Dict, Tuple

from mediafiles import png_bytes
from qwencloud_video.emulator.media import ffmpeg_exe
from qwencloud_video.emulator.probe import probe

from .helpers import Api


def upload(api: Api, name: str, data: bytes) -> str:
    """Store ``data`` in the emulator's temporary storage the way clients do; returns its oss:// URL."""
    policy = api.http.get(
        f"{api.emu.api_base}/uploads", params={"action": "getPolicy", "model": "wan2.7-i2v"}, headers=api.headers()
    ).json()["data"]
    key = policy["upload_dir"] + "/" + name
    form = {
        "OSSAccessKeyId": policy["oss_access_key_id"],
        "Signature": policy["signature"],
        "policy": policy["policy"],
        "key": key,
        "x-oss-object-acl": "private",
        "x-oss-forbid-overwrite": "true",
        "success_action_status": "200",
    }
    assert api.http.post(policy["upload_host"], data=form, files={"file": (name, data)}).status_code == 200
    return "oss://" + key


def image(width: int, height: int) -> bytes:
    return png_bytes(width=width, height=height)


def video(tmp_path: Path, width: int, height: int, seconds: float) -> bytes:
    """A real H.264 MP4 (test pattern) of that size and length."""
    target = tmp_path / f"in-{width}x{height}-{seconds}.mp4"
    source = f"testsrc2=size={width}x{height}:rate=8:duration={seconds}"
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-f", "lavfi", "-i", source,
               "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(target)]
    subprocess.run(command, check=True, timeout=60)
    return target.read_bytes()


def finished(api: Api, body: Dict[str, Any], **submit: Any) -> Dict[str, Any]:
    """Submit, wait, and return the final task body (SUCCEEDED asserted)."""
    done = api.wait(api.submit_ok(body, **submit))
    assert done["output"]["task_status"] == "SUCCEEDED", done
    return done


def result(api: Api, tmp_path: Path, body: Dict[str, Any], **submit: Any) -> Tuple[Dict[str, Any], Dict[str, Any]]:
    """(probe of the downloaded result MP4, usage) for one successful request."""
    done = finished(api, body, **submit)
    response = api.http.get(done["output"]["video_url"])
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    target = tmp_path / "result.mp4"
    target.write_bytes(response.content)
    return probe(str(target)), done["usage"]


def error(response: Any, status: int = 400, code: str = "InvalidParameter") -> str:
    assert response.status_code == status, response.text
    body = response.json()
    assert body["code"] == code and body["request_id"], body
    return body["message"]
