"""What the emulated service rejects: auth, headers, models, endpoints, inputs, oss:// URLs."""

from __future__ import annotations

from typing import Any, Dict

import httpx
import pytest
from qwencloud_video.emulator.models import ModelSpec

from qwencloud_skills.emulator import Emulator, EmulatorConfig

from .helpers import API_KEY, KF2V_PATH, T2V_PATH, Api


def _error(response: httpx.Response, status: int, code: str) -> str:
    assert response.status_code == status, response.text
    assert response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["code"] == code and body["request_id"]
    return body["message"]


@pytest.mark.parametrize("header", [None, "Bearer", "Bearer not-a-key", "Basic sk-abc", "sk-abc"])
def test_auth_required(api, emu: Emulator, header) -> None:
    headers = {} if header is None else {"Authorization": header}
    response = api.http.get(f"{emu.api_base}/tasks/x", headers=headers)
    assert _error(response, 401, "InvalidApiKey") == "Invalid API-key provided."


def test_accepted_keys(emu: Emulator) -> None:
    emu.config.accepted_keys = {"sk-good"}
    api = Api(emu)
    try:
        assert api.http.get(f"{emu.api_base}/tasks/x", headers=api.headers("sk-good")).status_code == 200
        assert api.http.get(f"{emu.api_base}/tasks/x", headers=api.headers("sk-other")).status_code == 401
        assert api.submit({"model": "wan2.6-t2v", "input": {"prompt": "p"}}, key="sk-other").status_code == 401
    finally:
        api.close()


def test_unknown_route(api, emu: Emulator) -> None:
    _error(api.http.get(emu.base_url + "/api/v1/nothing", headers=api.headers()), 404, "NotFound")


def test_invalid_json(api, emu: Emulator) -> None:
    response = api.http.post(
        emu.api_base + T2V_PATH, content=b"{not json", headers=api.headers(**{"X-DashScope-Async": "enable"})
    )
    _error(response, 400, "InvalidParameter")


def test_unknown_model(api) -> None:
    message = _error(api.submit({"model": "wan9-t2v", "input": {"prompt": "p"}}), 400, "ModelNotFound")
    assert "wan9-t2v" in message


def test_extra_models_extend_the_table(api, emu: Emulator) -> None:
    emu.config.extra_models = {
        "wan2.7-t2v": ModelSpec("t2v", audio="always", durations=(5, 20)),
        "wan2.7-kf2v": {"mode": "kf2v"},
    }
    assert (
        api.submit({"model": "wan2.7-t2v", "input": {"prompt": "p"}, "parameters": {"duration": 20}}).status_code == 200
    )
    kf2v = {"model": "wan2.7-kf2v", "input": {"first_frame_url": "https://e.x/a", "last_frame_url": "https://e.x/b"}}
    assert api.submit(kf2v, KF2V_PATH).status_code == 200


def test_endpoint_mismatch(api) -> None:
    kf2v = {
        "model": "wan2.1-kf2v-plus",
        "input": {"first_frame_url": "https://e.x/a", "last_frame_url": "https://e.x/b"},
    }
    assert "image2video" in _error(api.submit(kf2v, T2V_PATH), 400, "InvalidParameter")
    t2v = {"model": "wan2.6-t2v", "input": {"prompt": "p"}}
    assert "video-generation" in _error(api.submit(t2v, KF2V_PATH), 400, "InvalidParameter")


MISSING = [
    ("t2v prompt", T2V_PATH, {"model": "wan2.6-t2v", "input": {}}, "prompt"),
    ("no input", T2V_PATH, {"model": "wan2.6-t2v"}, "input"),
    ("i2v image", T2V_PATH, {"model": "wan2.6-i2v", "input": {"prompt": "p"}}, "img_url"),
    (
        "kf2v first",
        KF2V_PATH,
        {"model": "wan2.2-kf2v-flash", "input": {"last_frame_url": "https://e.x/b"}},
        "first_frame_url",
    ),
    (
        "kf2v last",
        KF2V_PATH,
        {"model": "wan2.2-kf2v-flash", "input": {"first_frame_url": "https://e.x/a"}},
        "last_frame_url",
    ),
    ("r2v refs", T2V_PATH, {"model": "wan2.6-r2v", "input": {"prompt": "p"}}, "reference_urls"),
    (
        "r2v too many",
        T2V_PATH,
        {"model": "wan2.6-r2v", "input": {"prompt": "p", "reference_urls": ["u"] * 6}},
        "at most 5",
    ),
    ("vace function", T2V_PATH, {"model": "wan2.1-vace-plus", "input": {"prompt": "p"}}, "function"),
    (
        "vace repaint",
        T2V_PATH,
        {"model": "wan2.1-vace-plus", "input": {"function": "video_repainting", "video_url": "https://e.x/v"}},
        "control_condition",
    ),
    (
        "vace refs",
        T2V_PATH,
        {"model": "wan2.1-vace-plus", "input": {"function": "image_reference", "ref_images_url": ["a", "b", "c", "d"]}},
        "ref_images_url",
    ),
    (
        "vace extension",
        T2V_PATH,
        {"model": "wan2.1-vace-plus", "input": {"function": "video_extension"}},
        "first_clip_url",
    ),
]


@pytest.mark.parametrize("path, body, word", [m[1:] for m in MISSING], ids=[m[0] for m in MISSING])
def test_missing_inputs(api, emu: Emulator, path: str, body: Dict[str, Any], word: str) -> None:
    assert word in _error(api.submit(body, path), 400, "InvalidParameter")
    assert len(emu.tasks) == 0


def test_kf2v_template_replaces_last_frame(api) -> None:
    body = {"model": "wan2.2-kf2v-flash", "input": {"first_frame_url": "https://e.x/a", "template": "hug"}}
    assert api.submit(body, KF2V_PATH).status_code == 200


BAD_PARAMETERS = [
    ("kf2v 10s", KF2V_PATH, "wan2.2-kf2v-flash", {"duration": 10}, "duration"),
    ("wan2.5 7s", T2V_PATH, "wan2.5-t2v-preview", {"duration": 7}, "5 or 10"),
    ("wan2.6 16s", T2V_PATH, "wan2.6-t2v", {"duration": 16}, "2-15"),
    ("vace 6s", T2V_PATH, "wan2.1-vace-plus", {"duration": 6}, "duration"),
    ("duration text", T2V_PATH, "wan2.6-t2v", {"duration": "5"}, "integer"),
    ("size form", T2V_PATH, "wan2.6-t2v", {"size": "1280x720"}, "1280*720"),
    ("size tier", T2V_PATH, "wan2.6-t2v", {"size": "832*480"}, "832*480"),
    ("size unknown", T2V_PATH, "wan2.1-t2v-plus", {"size": "1000*700"}, "1000*700"),
    ("resolution tier", T2V_PATH, "wan2.2-t2v-plus", {"resolution": "720P"}, "720P"),
    ("resolution form", T2V_PATH, "wan2.6-i2v-flash", {"resolution": "4K"}, "resolution"),
]


@pytest.mark.parametrize(
    "path, model, parameters, word", [b[1:] for b in BAD_PARAMETERS], ids=[b[0] for b in BAD_PARAMETERS]
)
def test_bad_parameters(api, path: str, model: str, parameters: Dict[str, Any], word: str) -> None:
    inputs = {
        "wan2.2-kf2v-flash": {"first_frame_url": "https://e.x/a", "last_frame_url": "https://e.x/b"},
        "wan2.6-i2v-flash": {"img_url": "https://e.x/a"},
        "wan2.1-vace-plus": {"function": "video_edit", "video_url": "https://e.x/v"},
    }.get(model, {"prompt": "p"})
    response = api.submit({"model": model, "input": inputs, "parameters": parameters}, path)
    assert word in _error(response, 400, "InvalidParameter")


def test_defaults_and_audio_rules(api, emu: Emulator) -> None:
    """Omitted size/resolution: 1080P on wan2.6 and wan2.2-plus, as the service defaults."""
    cases = [
        ({"model": "wan2.6-t2v", "input": {"prompt": "p"}}, (1920, 1080, 5, True)),
        ({"model": "wan2.6-t2v", "input": {"prompt": "p"}, "parameters": {"audio": False}}, (1920, 1080, 5, True)),
        ({"model": "wan2.2-t2v-plus", "input": {"prompt": "p"}}, (1920, 1080, 5, False)),
        (
            {
                "model": "wan2.6-r2v-flash",
                "input": {"prompt": "p", "reference_urls": ["https://e.x/a"]},
                "parameters": {"audio": False},
            },
            (1920, 1080, 5, False),
        ),
        (
            {"model": "wan2.6-i2v", "input": {"img_url": "https://e.x/a"}, "parameters": {"audio": False}},
            (1920, 1080, 5, True),
        ),
    ]
    for body, expected in cases:
        task = emu.tasks[api.submit_ok(body)]
        assert (task.width, task.height, task.duration, task.audio) == expected, body


def test_lenient_sizes(api, emu: Emulator) -> None:
    emu.config.options["strict_sizes"] = False
    body = {"model": "wan2.6-t2v", "input": {"prompt": "p"}, "parameters": {"size": "320*240"}}
    assert emu.tasks[api.submit_ok(body)].size == "320*240"
    body["parameters"]["size"] = "321*240"
    _error(api.submit(body), 400, "InvalidParameter")


def test_oss_urls_need_header_and_object(api, emu: Emulator) -> None:
    url = "oss://dashscope-instant/abc/2026-01-01/xyz/cat.png"
    body = {"model": "wan2.6-i2v-flash", "input": {"prompt": "p", "img_url": url}}
    assert url in _error(api.submit(body), 400, "InvalidParameter")
    assert url in _error(api.submit(body, oss=True), 400, "InvalidParameter")  # never uploaded
    nested = {"model": "wan2.6-r2v", "input": {"prompt": "p", "reference_urls": ["https://e.x/a", url]}}
    assert url in _error(api.submit(nested, oss=True), 400, "InvalidParameter")
    assert len(emu.tasks) == 0


def test_oss_url_after_upload(api, emu: Emulator) -> None:
    policy = api.http.get(
        f"{emu.api_base}/uploads", params={"action": "getPolicy", "model": "wan2.6-i2v-flash"}, headers=api.headers()
    ).json()["data"]
    key = policy["upload_dir"] + "/cat.png"
    form = {
        "OSSAccessKeyId": policy["oss_access_key_id"],
        "Signature": policy["signature"],
        "policy": policy["policy"],
        "key": key,
        "x-oss-object-acl": "private",
        "x-oss-forbid-overwrite": "true",
        "success_action_status": "200",
    }
    assert api.http.post(policy["upload_host"], data=form, files={"file": ("cat.png", b"png")}).status_code == 200
    body = {"model": "wan2.6-i2v-flash", "input": {"prompt": "p", "img_url": "oss://" + key}}
    assert api.submit(body, oss=True).status_code == 200
    _error(api.submit(body), 400, "InvalidParameter")  # still needs the header


def test_accepted_keys_from_constructor(media_cache: str) -> None:
    with Emulator(EmulatorConfig(accepted_keys={"sk-only"}, media_cache_dir=media_cache)) as emu:
        response = httpx.get(f"{emu.api_base}/tasks/x", headers={"Authorization": f"Bearer {API_KEY}"}, trust_env=False)
        assert response.status_code == 401


def test_vace_control_fields_are_read_from_parameters(api, emu: Emulator) -> None:
    body = {"model": "wan2.1-vace-plus",
            "input": {"function": "video_repainting", "prompt": "p", "video_url": "https://e.x/v.mp4",
                      "control_condition": "depth"}}
    assert "parameters.control_condition" in _error(api.submit(body, T2V_PATH), 400, "InvalidParameter")
    body["parameters"] = {"control_condition": "depth"}
    del body["input"]["control_condition"]
    assert api.video(body, T2V_PATH)


def test_vace_extension_accepts_a_first_frame(api) -> None:
    body = {"model": "wan2.1-vace-plus",
            "input": {"function": "video_extension", "prompt": "go", "first_frame_url": "https://e.x/a.png"}}
    assert api.video(body, T2V_PATH)
