"""The result videos are real MP4s matching what each mode and model implies."""

from __future__ import annotations

import hashlib
import threading
from pathlib import Path
from typing import Any, Dict

import httpx
import pytest
from qwencloud_video.emulator.probe import parse_banner, probe

from qwencloud_skills.emulator import Emulator, EmulatorConfig

from .helpers import KF2V_PATH, T2V_PATH

pytest.importorskip("imageio_ffmpeg")

CASES = [
    # (id, path, body, (width, height, duration, audio))
    (
        "t2v-audio",
        T2V_PATH,
        {"model": "wan2.5-t2v-preview", "input": {"prompt": "p"}, "parameters": {"size": "832*480", "duration": 5}},
        (832, 480, 5, True),
    ),
    (
        "t2v-silent",
        T2V_PATH,
        {"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}, "parameters": {"size": "480*832"}},
        (480, 832, 5, False),
    ),
    (
        "i2v-forced-silent",
        T2V_PATH,
        {
            "model": "wan2.6-i2v-flash",
            "input": {"prompt": "p", "img_url": "https://e.x/a.png"},
            "parameters": {"resolution": "720P", "duration": 2, "audio": False},
        },
        (1280, 720, 2, False),
    ),
    (
        "i2v-audio",
        T2V_PATH,
        {
            "model": "wan2.5-i2v-preview",
            "input": {"img_url": "https://e.x/a.png"},
            "parameters": {"resolution": "480P"},
        },
        (832, 480, 5, True),
    ),
    (
        "kf2v",
        KF2V_PATH,
        {
            "model": "wan2.2-kf2v-flash",
            "input": {"first_frame_url": "https://e.x/a.png", "last_frame_url": "https://e.x/b.png"},
            "parameters": {"resolution": "480P"},
        },
        (832, 480, 5, False),
    ),
    (
        "r2v",
        T2V_PATH,
        {
            "model": "wan2.6-r2v-flash",
            "input": {"prompt": "character1 waves", "reference_urls": ["https://e.x/p.png"]},
            "parameters": {"size": "1280*720", "duration": 2},
        },
        (1280, 720, 2, True),
    ),
    (
        "vace",
        T2V_PATH,
        {
            "model": "wan2.1-vace-plus",
            "input": {
                "function": "video_repainting",
                "prompt": "p",
                "video_url": "https://e.x/v.mp4",
            },
            "parameters": {"size": "960*960", "duration": 3, "control_condition": "depth"},
        },
        (960, 960, 3, False),
    ),
]


@pytest.mark.parametrize("path, body, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_video_matches_mode(api, tmp_path: Path, path: str, body: Dict[str, Any], expected) -> None:
    url = api.video(body, path)
    response = api.http.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "video/mp4"
    target = tmp_path / "out.mp4"
    target.write_bytes(response.content)
    info = probe(str(target))
    width, height, duration, audio = expected
    assert (info["width"], info["height"], info["has_audio"]) == (width, height, audio)
    assert info["duration"] == pytest.approx(duration, abs=0.15)
    assert info["video_codec"] == "h264" and info["pix_fmt"] == "yuv420p"
    if audio:
        assert info["audio_codec"] == "aac"
    usage = api.task(url.split("/media/")[1].split(".mp4")[0]).json()["usage"]
    assert usage["video_duration"] == duration and usage["video_ratio"] == f"{width}*{height}"


def _video(api) -> str:
    return api.video({"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}, "parameters": {"size": "832*480"}})


def test_range_requests(api) -> None:
    url = _video(api)
    whole = api.http.get(url).content
    size = len(whole)
    part = api.http.get(url, headers={"Range": "bytes=10-99"})
    assert part.status_code == 206
    assert part.headers["content-range"] == f"bytes 10-99/{size}"
    assert part.content == whole[10:100]
    tail = api.http.get(url, headers={"Range": "bytes=-16"})
    assert tail.status_code == 206 and tail.content == whole[-16:]
    rest = api.http.get(url, headers={"Range": f"bytes={size - 5}-"})
    assert rest.content == whole[-5:]
    beyond = api.http.get(url, headers={"Range": f"bytes={size}-"})
    assert beyond.status_code == 416
    assert beyond.headers["content-range"] == f"bytes */{size}"
    stale = api.http.get(url, headers={"Range": "bytes=0-9", "If-Range": '"something-else"'})
    assert stale.status_code == 200 and len(stale.content) == size
    head = api.http.head(url)
    assert head.status_code == 200 and int(head.headers["content-length"]) == size
    assert head.headers["accept-ranges"] == "bytes"


def test_url_expires(api, emu: Emulator) -> None:
    emu.config.url_ttl_seconds = 60
    url = _video(api)
    assert api.http.get(url).status_code == 200
    emu.advance_time(61)
    expired = api.http.get(url)
    assert expired.status_code == 403
    assert "<Code>AccessDenied</Code>" in expired.text
    assert "expired" in expired.text


def test_unknown_media_is_404(api, emu: Emulator) -> None:
    response = api.http.get(emu.base_url + "/media/0000-not-a-task.mp4")
    assert response.status_code == 404
    assert "NoSuchKey" in response.text


def test_concurrent_downloads_render_once(media_cache: str, tmp_path: Path) -> None:
    config = EmulatorConfig(pending_seconds=0, generation_seconds=0, media_cache_dir=str(tmp_path),
                            options={"fps": 4})
    with Emulator(config) as emu:
        from .helpers import Api

        api = Api(emu)
        url = api.video({"model": "wan2.1-t2v-turbo", "input": {"prompt": "p"}, "parameters": {"size": "624*624"}})
        results = []

        def fetch() -> None:
            with httpx.Client(trust_env=False, timeout=30) as client:
                results.append(hashlib.sha256(client.get(url).content).hexdigest())

        threads = [threading.Thread(target=fetch) for _ in range(4)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        api.close()
    assert len(results) == 4 and len(set(results)) == 1
    assert [p.name for p in tmp_path.iterdir()] == ["wan-v1-624x624-5s-4fps-s.mp4"]


def test_placeholder_when_rendering_off(tmp_path: Path) -> None:
    config = EmulatorConfig(pending_seconds=0, generation_seconds=0, media_cache_dir=str(tmp_path), render_media=False)
    with Emulator(config) as emu:
        from .helpers import Api

        api = Api(emu)
        url = api.video({"model": "wan2.6-t2v", "input": {"prompt": "p"}})
        body = api.http.get(url).content
        api.close()
    assert body[4:8] == b"ftyp" and b"1920x1080 5s audio=True" in body  # the service's default size


def test_blob_streaming_and_ranges(api, emu: Emulator) -> None:
    size = 3 * 1024 * 1024 + 17
    url = emu.add_blob("bench.bin", size)
    whole = api.http.get(url)
    assert whole.status_code == 200 and len(whole.content) == size
    assert hashlib.sha256(whole.content).hexdigest() == emu.blob_sha256("bench.bin")
    part = api.http.get(url, headers={"Range": "bytes=65530-65545"})
    assert part.status_code == 206 and part.content == whole.content[65530:65546]
    assert api.http.get(emu.base_url + "/blobs/missing.bin").status_code == 404
    with pytest.raises(ValueError):
        emu.add_blob("../escape", 10)


def test_parse_banner() -> None:
    text = (
        "Input #0, mov,mp4, from 'x.mp4':\n  Duration: 00:01:02.50, start: 0.000000, bitrate: 1 kb/s\n"
        "  Stream #0:0[0x1](und): Video: h264 (High) (avc1 / 0x31637661), yuv420p(progressive), "
        "1920x1080 [SAR 1:1 DAR 16:9], 900 kb/s, 24 fps, 24 tbr\n"
    )
    info = parse_banner(text)
    assert info == {
        "width": 1920,
        "height": 1080,
        "duration": 62.5,
        "has_audio": False,
        "video_codec": "h264",
        "audio_codec": None,
        "pix_fmt": "yuv420p",
        "fps": 24.0,
    }
    with pytest.raises(ValueError):
        parse_banner("x.mp4: Invalid data found when processing input")
