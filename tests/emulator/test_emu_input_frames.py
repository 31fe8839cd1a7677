"""The emulator's videos show their inputs: first/last frame images and a continued clip, checked by pixels."""

from __future__ import annotations

import base64
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Optional, Tuple

import pytest
from hostile import HostileServer, Reply

from qwencloud_skills.emulator import Emulator, EmulatorConfig
from qwencloud_skills.emulator.cli import build_parser, config_from_args

from .helpers import KF2V_PATH, Api
from .wanmedia import upload

pytest.importorskip("imageio_ffmpeg")

from qwencloud_video.emulator.media import ffmpeg_exe  # noqa: E402 - needs imageio_ffmpeg
from qwencloud_video.emulator.probe import probe  # noqa: E402

RED, GREEN, BLUE, BLACK = (255, 0, 0), (0, 255, 0), (0, 0, 255), (0, 0, 0)
GRID_W, GRID_H = 16, 12  # frames are compared at this size (area-averaged)
Colour = Tuple[float, float, float]
Frame = bytes


def ffmpeg(*args: str) -> bytes:
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    return subprocess.run(command, check=True, stdout=subprocess.PIPE, timeout=60).stdout


def still(tmp_path: Path, colour: str, width: int = 320, height: int = 240) -> bytes:
    """A solid-colour PNG made by ffmpeg."""
    target = tmp_path / f"{colour}-{width}x{height}.png"
    ffmpeg("-f", "lavfi", "-i", f"color=c={colour}:s={width}x{height}", "-frames:v", "1", str(target))
    return target.read_bytes()


def halves(tmp_path: Path, left: str, right: str, width: int = 320, height: int = 240) -> bytes:
    """A PNG whose left half is ``left`` and right half ``right``."""
    target = tmp_path / f"{left}-{right}.png"
    half = f"s={width // 2}x{height}"
    graph = f"color=c={left}:{half}[a];color=c={right}:{half}[b];[a][b]hstack"
    ffmpeg("-f", "lavfi", "-i", graph, "-frames:v", "1", str(target))
    return target.read_bytes()


def clip(tmp_path: Path, colour: str, seconds: float, width: int = 320, height: int = 240) -> bytes:
    """A solid-colour H.264 MP4 at 25 fps (not the output's rate: the emulator converts)."""
    target = tmp_path / f"{colour}-{seconds}s.mp4"
    source = f"color=c={colour}:s={width}x{height}:r=25:d={seconds}"
    ffmpeg("-f", "lavfi", "-i", source, "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", str(target))
    return target.read_bytes()


def data_url(data: bytes, mime: str = "image/png") -> str:
    return f"data:{mime};base64," + base64.b64encode(data).decode("ascii")


def frames(path: Path) -> List[Frame]:
    """Every frame of the video, area-averaged down to GRID_W x GRID_H RGB."""
    raw = ffmpeg("-i", str(path), "-vf", f"scale={GRID_W}:{GRID_H}:flags=area", "-f", "rawvideo",
                 "-pix_fmt", "rgb24", "-")
    size = GRID_W * GRID_H * 3
    return [raw[i:i + size] for i in range(0, len(raw), size)]


def mean(frame: Frame, columns: Tuple[int, int] = (4, 12), rows: Tuple[int, int] = (3, 9)) -> Colour:
    """Mean colour of a block of the grid (by default its centre)."""
    pixels = [frame[(y * GRID_W + x) * 3:(y * GRID_W + x) * 3 + 3] for y in range(*rows) for x in range(*columns)]
    return tuple(sum(p[c] for p in pixels) / len(pixels) for c in range(3))  # type: ignore[return-value]


def near(colour: Colour, wanted: Tuple[int, int, int], tolerance: float = 40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, wanted))


def download(api: Api, tmp_path: Path, body: Dict[str, Any], path: Optional[str] = None, **submit: Any) -> Path:
    task = api.submit_ok(body, **({"path": path} if path else {}), **submit)
    done = api.wait(task, timeout=30)
    assert done["output"]["task_status"] == "SUCCEEDED", done
    response = api.http.get(done["output"]["video_url"], timeout=60)
    assert response.status_code == 200 and response.headers["content-type"] == "video/mp4"
    target = tmp_path / f"{task}.mp4"
    target.write_bytes(response.content)
    return target


@pytest.fixture
def client(emulator: Emulator):
    emulator.config.options["strict_sizes"] = False  # small legacy outputs keep the tests fast
    api = Api(emulator, timeout=30)
    yield api
    api.close()


def test_legacy_i2v_first_frame_from_data_url_is_scaled_and_padded(client: Api, tmp_path: Path) -> None:
    square = still(tmp_path, "red", 240, 240)  # 1:1 into 4:3: black bars left and right
    body = {"model": "wan2.1-i2v-turbo", "input": {"prompt": "p", "img_url": data_url(square)},
            "parameters": {"size": "320*240", "duration": 3}}
    shown = frames(download(client, tmp_path, body))
    assert len(shown) == 24  # 3 s at the default 8 fps
    for frame in shown[:4]:  # the first 0.5 s
        assert near(mean(frame), RED) and near(mean(frame, (0, 1), (0, GRID_H)), BLACK)
    assert not near(mean(shown[4]), RED) and not near(mean(shown[-1]), RED)


def test_kf2v_first_frame_over_http_and_last_frame_uploaded(client: Api, tmp_path: Path) -> None:
    with HostileServer() as server:
        server.on("GET", "/first.png", Reply(200, halves(tmp_path, "red", "blue"), {"Content-Type": "image/png"}))
        last = upload(client, "last.png", still(tmp_path, "lime"))
        body = {"model": "wan2.2-kf2v-flash",
                "input": {"first_frame_url": server.base_url + "/first.png", "last_frame_url": last},
                "parameters": {"size": "320*240"}}
        shown = frames(download(client, tmp_path, body, KF2V_PATH, oss=True))
        assert server.count("GET", "/first.png") == 1
    assert len(shown) == 40
    left, right = (2, 6), (10, 14)
    assert near(mean(shown[0], left), RED) and near(mean(shown[0], right), BLUE)  # not mirrored, not squashed
    assert near(mean(shown[3], left), RED) and not near(mean(shown[4], left), RED)
    assert all(near(mean(frame), GREEN) for frame in shown[-4:])
    assert not near(mean(shown[-5]), GREEN)


def test_wan27_first_and_last_frame_uploads(client: Api, tmp_path: Path) -> None:
    first, last = upload(client, "f.png", still(tmp_path, "red")), upload(client, "l.png", still(tmp_path, "blue"))
    media = [{"type": "first_frame", "url": first}, {"type": "last_frame", "url": last}]
    body = {"model": "wan2.7-i2v", "input": {"media": media}, "parameters": {"resolution": "720P", "duration": 2}}
    target = download(client, tmp_path, body, oss=True)
    assert probe(str(target))["width"] == 1104  # the 4:3 image sets the aspect
    shown = frames(target)
    assert near(mean(shown[0]), RED) and near(mean(shown[-1]), BLUE)
    assert not near(mean(shown[8]), RED) and not near(mean(shown[8]), BLUE)


def test_wan27_first_clip_opens_the_output_and_duration_is_total(client: Api, tmp_path: Path) -> None:
    opening = upload(client, "clip.mp4", clip(tmp_path, "red", 2))
    last = upload(client, "end.png", still(tmp_path, "blue"))
    media = [{"type": "first_clip", "url": opening}, {"type": "last_frame", "url": last}]
    body = {"model": "wan2.7-i2v", "input": {"media": media}, "parameters": {"resolution": "720P", "duration": 4}}
    target = download(client, tmp_path, body, oss=True)
    info = probe(str(target))
    assert info["duration"] == pytest.approx(4, abs=0.15) and info["fps"] == 8 and info["has_audio"]
    shown = frames(target)
    assert len(shown) == 32
    assert all(near(mean(frame), RED) for frame in shown[:16])  # the clip's 2 s, at the output's 8 fps
    assert not near(mean(shown[20]), RED)  # clip length + 0.5 s: generated
    assert near(mean(shown[-1]), BLUE)


@pytest.mark.parametrize("model", ["wan3.0-video", "wan2.1-vace-plus"])
def test_other_models_show_their_first_frame(client: Api, tmp_path: Path, model: str) -> None:
    picture = data_url(still(tmp_path, "lime", 320, 180))
    if model == "wan3.0-video":
        body = {"model": model, "input": {"prompt": "p", "media": [{"type": "first_frame", "url": picture}]},
                "parameters": {"resolution": "480P", "duration": 2}}
    else:
        body = {"model": model, "input": {"prompt": "p", "function": "video_extension", "first_frame_url": picture},
                "parameters": {"size": "1280*720", "duration": 1}}
    shown = frames(download(client, tmp_path, body))
    assert near(mean(shown[0]), GREEN) and not near(mean(shown[-1]), GREEN)


def test_unreadable_inputs_fall_back_to_the_pattern(client: Api, tmp_path: Path) -> None:
    with HostileServer() as server:
        server.on("GET", "/missing.png", Reply(404, b"no"))
        body = {"model": "wan2.2-kf2v-flash",
                "input": {"first_frame_url": data_url(b"not an image at all"),
                          "last_frame_url": server.base_url + "/missing.png"},
                "parameters": {"size": "320*240"}}
        target = download(client, tmp_path, body, KF2V_PATH)
        assert server.count("GET", "/missing.png") == 1
    info = probe(str(target))
    assert (info["width"], info["height"], info["duration"]) == (320, 240, pytest.approx(5, abs=0.15))
    plain = {"model": "wan2.2-kf2v-flash", "input": {"first_frame_url": "https://e.invalid/a.png",
                                                     "last_frame_url": "https://e.invalid/b.png"},
             "parameters": {"size": "320*240"}}
    pattern = frames(download(client, tmp_path, plain, KF2V_PATH))
    flat = [value for frame in frames(target) for value in mean(frame)]
    assert flat == pytest.approx([value for frame in pattern for value in mean(frame)], abs=3)


def test_render_key_holds_the_inputs_content(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    config = EmulatorConfig(pending_seconds=0, generation_seconds=0, media_cache_dir=str(cache),
                            options={"strict_sizes": False, "fps": 4})
    red, blue = data_url(still(tmp_path, "red")), data_url(still(tmp_path, "blue"))

    def body(picture: Optional[str]) -> Dict[str, Any]:
        inputs = {"prompt": "p", "img_url": picture} if picture else {"prompt": "p"}
        model = "wan2.1-i2v-turbo" if picture else "wan2.1-t2v-turbo"
        return {"model": model, "input": inputs, "parameters": {"size": "320*240", "duration": 5}}

    with Emulator(config) as emu:
        api = Api(emu, timeout=30)
        first = [mean(frames(download(api, tmp_path, body(url)))[0]) for url in (red, blue, red, None)]
        api.close()
    assert near(first[0], RED) and near(first[1], BLUE) and near(first[2], RED) and not near(first[3], RED)
    names = sorted(p.name for p in cache.iterdir())
    assert len(names) == 3 and "wan-v1-320x240-5s-4fps-s.mp4" in names  # plain tasks keep their name
    keyed = [name for name in names if "-in" in name]
    assert len(keyed) == 2 and all(name.startswith("wan-v1-320x240-5s-4fps-s-in") for name in keyed)


def test_fetching_can_be_turned_off_and_placeholders_fetch_nothing(tmp_path: Path) -> None:
    with HostileServer() as server:
        server.on("GET", "/red.png", Reply(200, still(tmp_path, "red"), {"Content-Type": "image/png"}))
        body = {"model": "wan2.1-i2v-turbo", "input": {"img_url": server.base_url + "/red.png"},
                "parameters": {"size": "320*240", "duration": 3}}
        config = EmulatorConfig(pending_seconds=0, generation_seconds=0, media_cache_dir=str(tmp_path / "c"),
                                options={"strict_sizes": False, "input_fetch_seconds": 0})
        with Emulator(config) as emu:
            api = Api(emu, timeout=30)
            assert not near(mean(frames(download(api, tmp_path, body))[0]), RED)
            emu.config.render_media = False
            assert download(api, tmp_path, body).read_bytes()[4:8] == b"ftyp"
            emu.config.options["input_fetch_seconds"] = 5
            assert download(api, tmp_path, body).read_bytes()[4:8] == b"ftyp"
            api.close()
        assert server.count("GET") == 0


def test_input_fetch_seconds_flag() -> None:
    assert config_from_args(build_parser().parse_args([])).options["input_fetch_seconds"] == 5.0
    args = build_parser().parse_args(["--input-fetch-seconds", "0"])
    assert config_from_args(args).options["input_fetch_seconds"] == 0.0
