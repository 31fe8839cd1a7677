"""The image service of the emulator, over real HTTP: paths, model rules, defaults, result shapes, PNGs, failures."""

from __future__ import annotations

import base64
import io
import struct
import zlib
from typing import Any, Dict, List, Optional, Tuple

import httpx
import pytest
from emulator.helpers import Api
from mediafiles import png_bytes

from qwencloud_skills.emulator import Emulator, EmulatorConfig
from qwencloud_skills.pixelsize import pixel_size

T2I = "/services/aigc/text2image/image-synthesis"
GEN = "/services/aigc/image-generation/generation"
I2I = "/services/aigc/image2image/image-synthesis"
SYNC = "/services/aigc/multimodal-generation/generation"
PHOTO = "https://example.com/photo.png"


@pytest.fixture
def emu():
    with Emulator(EmulatorConfig(pending_seconds=0.0, generation_seconds=0.0)) as emulator:
        yield emulator


@pytest.fixture
def api(emu: Emulator):
    client = Api(emu)
    yield client
    client.close()


def messages(model: str, prompt: str = "A lighthouse at dusk", images: Tuple[str, ...] = (),
             **parameters: Any) -> Dict[str, Any]:
    content: List[Dict[str, str]] = [{"text": prompt}] + [{"image": url} for url in images]
    return {"model": model, "input": {"messages": [{"role": "user", "content": content}]}, "parameters": parameters}


def prompted(model: str, prompt: str = "A lighthouse at dusk", images: Optional[List[str]] = None,
             **parameters: Any) -> Dict[str, Any]:
    body_input: Dict[str, Any] = {"prompt": prompt}
    if images is not None:
        body_input["images"] = images
    return {"model": model, "input": body_input, "parameters": parameters}


def done(api: Api, body: Dict[str, Any], path: str, **kwargs: Any) -> Dict[str, Any]:
    """Submit as a task and wait for its end."""
    return api.wait(api.submit_ok(body, path, **kwargs))


def sync(api: Api, body: Dict[str, Any], **kwargs: Any) -> httpx.Response:
    return api.submit(body, SYNC, async_header=False, **kwargs)


def refused(response: httpx.Response, *words: str) -> str:
    assert response.status_code == 400, response.text
    payload = response.json()
    assert payload["code"] == "InvalidParameter", payload
    for word in words:
        assert word in payload["message"], payload["message"]
    return payload["message"]


def image_urls(output: Dict[str, Any]) -> List[str]:
    if "results" in output:
        return [item["url"] for item in output["results"] if "url" in item]
    return [item["image"] for item in output["choices"][0]["message"]["content"] if item.get("type") == "image"]


def fetch_size(api: Api, url: str) -> Tuple[int, int]:
    response = api.http.get(url)
    assert response.status_code == 200 and response.headers["content-type"] == "image/png", response.text
    size = pixel_size(io.BytesIO(response.content))
    assert size is not None
    return size


def data_url(width: int, height: int) -> str:
    return "data:image/png;base64," + base64.b64encode(png_bytes(width=width, height=height)).decode()


# -- defaults the docs warn about ----------------------------------------------------------------------


@pytest.mark.parametrize(("model", "path", "images", "expected"), [
    ("wan2.6-t2i", GEN, (), 4),
    ("wan2.5-t2i-preview", T2I, None, 4),
    ("wan2.2-t2i-flash", T2I, None, 4),
    ("wan2.5-i2i-preview", I2I, [PHOTO], 4),
    ("wan2.6-image", GEN, (PHOTO,), 4),
    ("wan2.7-image", GEN, (), 1),
    ("qwen-image-plus", T2I, None, 1),
])
def test_an_omitted_n_makes_the_documented_default(api: Api, model, path, images, expected) -> None:
    body = messages(model, images=images) if path == GEN else prompted(model, images=images)
    finished = done(api, body, path)
    assert finished["output"]["task_status"] == "SUCCEEDED", finished
    assert len(image_urls(finished["output"])) == expected
    assert finished["usage"]["image_count"] == expected


def test_a_series_defaults_to_twelve_and_takes_up_to_twelve(api: Api, emu: Emulator) -> None:
    series = done(api, messages("wan2.7-image", size="1K", enable_sequential=True), GEN)
    assert len(image_urls(series["output"])) == 12
    refused(api.submit(messages("wan2.7-image", n=13, enable_sequential=True), GEN), "between 1 and 12")
    refused(api.submit(messages("wan2.7-image", n=5), GEN), "between 1 and 4")


@pytest.mark.parametrize(("model", "path", "size", "expected"), [
    ("wan2.6-t2i", GEN, None, (1280, 1280)),
    ("wan2.6-t2i", GEN, "1440*1152", (1440, 1152)),
    ("wan2.2-t2i-flash", T2I, None, (1024, 1024)),
    ("wan2.2-t2i-flash", T2I, "512*1440", (512, 1440)),
    ("qwen-image", T2I, None, (1664, 928)),
    ("qwen-image", T2I, "928*1664", (928, 1664)),
    ("wan2.7-image", GEN, None, (2048, 2048)),
    ("wan2.7-image", GEN, "1K", (1024, 1024)),
    ("wan2.7-image", GEN, "3000*375", (3000, 375)),
])
def test_results_are_pngs_of_the_planned_size(api: Api, emu: Emulator, model, path, size, expected) -> None:
    parameters = {"n": 1} if size is None else {"n": 1, "size": size}
    body = messages(model, **parameters) if path == GEN else prompted(model, **parameters)
    task_id = api.submit_ok(body, path)
    finished = api.wait(task_id)
    (url,) = image_urls(finished["output"])
    assert fetch_size(api, url) == expected
    assert (emu.tasks[task_id].width, emu.tasks[task_id].height) == expected  # the plan, read as task attributes


def test_the_pro_model_makes_4k_only_from_text(api: Api) -> None:
    finished = done(api, messages("wan2.7-image-pro", size="4K", n=1), GEN)
    assert finished["usage"] == {"image_count": 1, "size": "4096*4096"}
    refused(api.submit(messages("wan2.7-image-pro", images=(PHOTO,), size="4K", n=1), GEN), "4K", "without input")
    refused(api.submit(messages("wan2.7-image", size="4K", n=1), GEN), "'4K'", "1K, 2K")


@pytest.mark.parametrize(("model", "path", "size", "words"), [
    ("wan2.6-t2i", GEN, "1024*1024", ("1048576 pixels", "1280*1280 to 1440*1440")),
    ("wan2.6-t2i", GEN, "1280x1280", ("joined by '*'",)),
    ("wan2.6-t2i", GEN, "2560*640", ()),  # 1280*1280 pixels and 4:1: both limits included
    ("wan2.6-t2i", GEN, "2880*640", ("aspect ratio", "1:4")),
    ("wan2.7-image", GEN, "4000*400", ("aspect ratio", "1:8")),
    ("wan2.2-t2i-flash", T2I, "1500*1000", ("each side must be 512 to 1440",)),
    ("qwen-image-plus", T2I, "1328*1329", ("sizes offered are 1664*928",)),
    ("wan2.6-t2i", GEN, 1280, ("must be a string",)),
])
def test_sizes_at_and_outside_the_model_limits(api: Api, model, path, size, words) -> None:
    body = messages(model, n=1, size=size) if path == GEN else prompted(model, n=1, size=size)
    if not words:
        assert api.submit(body, path).status_code == 200
        return
    refused(api.submit(body, path), "size", model, *words)


# -- checks of the body ----------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "path", "n", "words"), [
    ("wan2.6-t2i", GEN, 5, ("between 1 and 4",)),
    ("wan2.6-t2i", GEN, 0, ("between 1 and 4",)),
    ("wan2.2-t2i-flash", T2I, "2", ("must be an integer",)),
    ("wan2.2-t2i-flash", T2I, True, ("must be an integer",)),
    ("qwen-image", T2I, 2, ("must be 1", "one image per request")),
    ("qwen-image-2.0", SYNC, 7, ("between 1 and 6",)),
])
def test_n_outside_the_model_range_is_refused(api: Api, model, path, n, words) -> None:
    body = prompted(model, n=n) if path == T2I else messages(model, n=n)
    response = sync(api, body) if path == SYNC else api.submit(body, path)
    refused(response, "Parameter n", *words)


def test_prompt_limits_by_model(api: Api) -> None:
    refused(api.submit(prompted("wan2.2-t2i-flash", "x" * 501, n=1), T2I), "[1, 500] characters", "501")
    assert api.submit(prompted("wan2.2-t2i-flash", "x" * 500, n=1), T2I).status_code == 200
    refused(api.submit(messages("wan2.6-t2i", "x" * 2101, n=1), GEN), "[1, 2100]")
    refused(api.submit(prompted("wan2.2-t2i-flash", "   ", n=1), T2I), "input.prompt", "missing or empty")
    refused(api.submit(messages("wan2.6-t2i", "", n=1), GEN), "text item", "missing or empty")
    # qwen on the synchronous endpoint counts tokens (estimated: 4 ASCII characters each)
    refused(sync(api, messages("qwen-image-edit-plus", "a" * 4000, (PHOTO,))), "800] tokens", "about 1000")
    assert sync(api, messages("qwen-image-edit-plus", "a" * 3000, (PHOTO,))).status_code == 200
    refused(api.submit(prompted("qwen-image", "a" * 801, n=1), T2I), "[1, 800] characters")


@pytest.mark.parametrize(("model", "path", "count", "words"), [
    ("wan2.6-image", SYNC, 0, ("at least 1",)),
    ("wan2.6-image", SYNC, 5, ("at most 4",)),
    ("wan2.7-image", SYNC, 10, ("at most 9",)),
    ("qwen-image-edit-plus", SYNC, 4, ("at most 3",)),
    ("qwen-image-edit", SYNC, 0, ("at least 1",)),
    ("wan2.6-t2i", GEN, 1, ("takes no input image",)),
    ("wan2.5-i2i-preview", I2I, 0, ("at least 1", "input.images")),
    ("wan2.5-i2i-preview", I2I, 4, ("at most 3", "input.images")),
    ("wan2.2-t2i-flash", T2I, 1, ("takes no input image",)),
])
def test_reference_image_counts_per_model(api: Api, model, path, count, words) -> None:
    images = tuple(f"https://example.com/{index}.png" for index in range(count))
    if path in (T2I, I2I):
        response = api.submit(prompted(model, images=list(images), n=1), path)
    elif path == SYNC:
        response = sync(api, messages(model, images=images, n=1))
    else:
        response = api.submit(messages(model, images=images, n=1), path)
    refused(response, model, *words)


def test_each_path_serves_its_own_models(api: Api) -> None:
    refused(api.submit(prompted("wan9-t2i", n=1), T2I), "Model not exist", "wan9-t2i", "wan2.2-t2i-flash")
    refused(api.submit(messages("wan2.2-t2i-flash", n=1), GEN), "not served on image-generation",
            "/services/aigc/text2image")
    refused(api.submit(prompted("wan2.5-i2i-preview", images=[PHOTO], n=1), T2I), "image2image")
    refused(api.submit(prompted("qwen-image-max", n=1), T2I), "multimodal-generation")  # synchronous only
    refused(sync(api, messages("wan2.5-t2i-preview", n=1)), "text2image")
    refused(api.submit({"input": {"prompt": "x"}}, T2I), "'model' is missing")


@pytest.mark.parametrize(("path", "body", "words"), [
    (GEN, {"model": "wan2.6-t2i", "input": {"prompt": "x"}}, ("input.messages", "input.prompt is not taken")),
    (T2I, messages("wan2.2-t2i-flash"), ("input.messages is not taken", "input.prompt")),
    (GEN, {"model": "wan2.6-t2i", "input": {"messages": [{"role": "user", "content": [{"text": "a"}]}] * 2}},
     ("exactly one message",)),
    (GEN, {"model": "wan2.6-t2i", "input": {"messages": [{"role": "assistant", "content": [{"text": "a"}]}]}},
     ("role 'user'",)),
    (GEN, {"model": "wan2.6-t2i", "input": {"messages": [{"role": "user", "content": [{"text": "a"},
                                                                                       {"text": "b"}]}]}},
     ("exactly one text item, got 2",)),
    (GEN, {"model": "wan2.6-image", "input": {"messages": [{"role": "user", "content": [{"text": "a"},
                                                                                         {"image": ""}]}]}},
     ("content[1].image",)),
    (T2I, {"model": "wan2.2-t2i-flash", "input": {"prompt": "a"}, "parameters": [1]}, ("'parameters'",)),
    (T2I, {"model": "wan2.2-t2i-flash"}, ("'input'",)),
    (T2I, ["not", "an", "object"], ("'model' is missing",)),
    (T2I, prompted("wan2.2-t2i-flash", seed=-1), ("seed", "2147483647")),
])
def test_bodies_of_the_wrong_shape_are_clear_400s(api: Api, path, body, words) -> None:
    refused(api.submit(body, path), *words)


# -- synchronous and asynchronous calling -----------------------------------------------------------


def test_the_synchronous_path_answers_at_once_with_choices(api: Api, emu: Emulator) -> None:
    response = sync(api, messages("wan2.7-image", images=(PHOTO,), n=3, size="1K"))
    assert response.status_code == 200, response.text
    payload = response.json()
    assert "task_id" not in payload["output"] and payload["output"]["finished"] is True
    content = payload["output"]["choices"][0]["message"]["content"]
    assert [item["type"] for item in content] == ["image"] * 3
    assert payload["usage"] == {"image_count": 3, "size": "1024*1024"}  # an unknown input counts as square
    assert {fetch_size(api, item["image"]) for item in content} == {(1024, 1024)}
    assert api.list().json()["total"] == 0  # a synchronous answer is no task


def test_qwen_answers_report_width_and_height(api: Api) -> None:
    payload = sync(api, messages("qwen-image-2.0", n=2)).json()
    assert payload["usage"] == {"image_count": 2, "width": 2048, "height": 2048}
    edit = sync(api, messages("qwen-image-edit-plus", images=(data_url(900, 600),))).json()
    assert edit["usage"] == {"image_count": 1, "width": 1248, "height": 832}  # ~1024*1024 shaped like the input


def test_calling_styles_are_enforced(api: Api) -> None:
    wrong = api.submit(messages("wan2.7-image", images=(PHOTO,), n=1), SYNC, async_header=True)
    assert wrong.status_code == 403 and "asynchronous" in wrong.json()["message"]
    for path, body in ((GEN, messages("wan2.6-t2i", n=1)), (T2I, prompted("wan2.2-t2i-flash", n=1)),
                       (I2I, prompted("wan2.5-i2i-preview", images=[PHOTO], n=1))):
        response = api.submit(body, path, async_header=False)
        assert response.status_code == 403 and "synchronous" in response.json()["message"], path


def test_prompt_endpoints_list_results_with_prompts_and_metrics(api: Api) -> None:
    output = done(api, prompted("wan2.5-t2i-preview", n=2), T2I)["output"]
    assert output["task_metrics"] == {"TOTAL": 2, "SUCCEEDED": 2, "FAILED": 0}
    first = output["results"][0]
    assert first["orig_prompt"] == "A lighthouse at dusk" and "actual_prompt" in first
    plain = done(api, prompted("wan2.5-t2i-preview", n=1, prompt_extend=False), T2I)["output"]
    assert "actual_prompt" not in plain["results"][0]


def test_interleaved_output_mixes_text_and_images(api: Api) -> None:
    output = done(api, messages("wan2.6-image", n=1, enable_interleave=True, max_images=3), GEN)["output"]
    content = output["choices"][0]["message"]["content"]
    assert [item["type"] for item in content] == ["text", "image"] * 3
    refused(api.submit(messages("wan2.6-image", n=2, enable_interleave=True), GEN), "n must be 1", "max_images")
    refused(sync(api, messages("wan2.6-image", n=1, enable_interleave=True)), "X-DashScope-Sse", "streamed")


# -- sizes that follow the input image ------------------------------------------------------------


def test_tiers_follow_the_last_input_image_when_its_size_is_known(api: Api, emu: Emulator) -> None:
    wide = sync(api, messages("wan2.7-image", images=(PHOTO, data_url(600, 400)), n=1, size="1K")).json()
    assert wide["usage"]["size"] == "1248*832"
    emu.config.input_media["https://example.com/tall.png"] = {"width": 400, "height": 800}
    tall = sync(api, messages("wan2.7-image", images=("https://example.com/tall.png",), n=1, size="2K")).json()
    assert tall["usage"]["size"] == "1440*2896"
    i2i = done(api, prompted("wan2.5-i2i-preview", images=[data_url(600, 400)], n=1), I2I)
    assert i2i["usage"] == {"image_count": 1}
    (url,) = image_urls(i2i["output"])
    assert fetch_size(api, url) == (1552, 1040)  # about 1280*1280 in all, never more


def test_an_uploaded_input_image_is_read_from_storage(api: Api, emu: Emulator) -> None:
    policy = api.http.get(f"{emu.api_base}/uploads", params={"action": "getPolicy", "model": "wan2.7-image"},
                          headers=api.headers()).json()["data"]
    key = policy["upload_dir"] + "/portrait.png"
    form = {"OSSAccessKeyId": policy["oss_access_key_id"], "Signature": policy["signature"],
            "policy": policy["policy"], "key": key, "x-oss-object-acl": policy["x_oss_object_acl"],
            "x-oss-forbid-overwrite": policy["x_oss_forbid_overwrite"], "success_action_status": "200"}
    stored = api.http.post(policy["upload_host"], data=form,
                           files={"file": ("portrait.png", png_bytes(width=300, height=600), "image/png")})
    assert stored.status_code == 200, stored.text
    body = messages("wan2.7-image", images=("oss://" + key,), n=1, size="1K")
    answer = sync(api, body, oss=True)
    assert answer.json()["usage"]["size"] == "720*1440"
    assert sync(api, body).status_code == 400  # without the resolve header the object cannot be read


def test_known_input_images_are_held_to_the_model_limits(api: Api) -> None:
    refused(sync(api, messages("wan2.7-image", images=(data_url(200, 600),), n=1)), "Input image 1", "240 to 8000")
    refused(api.submit(prompted("wan2.5-i2i-preview", images=[data_url(300, 400)], n=1), I2I), "384 to 5000")


# -- failed results --------------------------------------------------------------------------------


def test_a_failed_result_is_listed_among_the_others(api: Api, emu: Emulator) -> None:
    emu.config.options["image_failed_results"] = [1]
    finished = done(api, prompted("wan2.2-t2i-flash", n=3), T2I)
    output = finished["output"]
    assert output["task_status"] == "SUCCEEDED"
    failed = output["results"][1]
    assert failed["code"] == "DataInspectionFailed" and failed["message"] and "url" not in failed
    assert all("url" in output["results"][index] for index in (0, 2))
    assert output["task_metrics"] == {"TOTAL": 3, "SUCCEEDED": 2, "FAILED": 1}
    assert finished["usage"] == {"image_count": 2}  # billed: the images made


def test_failed_images_are_left_out_of_messages_answers(api: Api, emu: Emulator) -> None:
    emu.config.options["image_failed_results"] = "0"
    payload = sync(api, messages("wan2.7-image", n=2, size="1K")).json()
    assert len(image_urls(payload["output"])) == 1 and payload["usage"]["image_count"] == 1


def test_when_every_result_fails_the_task_or_call_fails(api: Api, emu: Emulator) -> None:
    emu.config.options["image_failed_results"] = [0, 1, 2, 3]
    finished = done(api, prompted("wan2.2-t2i-flash", n=2), T2I)
    assert finished["output"]["task_status"] == "FAILED"
    assert finished["output"]["code"] == "DataInspectionFailed" and "usage" not in finished
    answer = sync(api, messages("wan2.7-image", n=1, size="1K"))
    assert answer.status_code == 400 and answer.json()["code"] == "DataInspectionFailed"


# -- PNG files --------------------------------------------------------------------------------------


def decode_png(data: bytes) -> Tuple[int, int, List[bytes]]:
    """(width, height, rows of RGB bytes): chunks and CRCs checked, filters 0 and 1 undone."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    position, chunks = 8, {}
    while position < len(data):
        (length,) = struct.unpack(">I", data[position:position + 4])
        kind, body = data[position + 4:position + 8], data[position + 8:position + 8 + length]
        (crc,) = struct.unpack(">I", data[position + 8 + length:position + 12 + length])
        assert crc == zlib.crc32(kind + body) & 0xFFFFFFFF, kind
        chunks[kind] = chunks.get(kind, b"") + body
        position += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour) == (8, 2) and b"IEND" in chunks
    raw = zlib.decompress(chunks[b"IDAT"])
    stride = 1 + 3 * width
    assert len(raw) == stride * height
    rows = []
    for y in range(height):
        kind, line = raw[y * stride], bytearray(raw[y * stride + 1:(y + 1) * stride])
        assert kind in (0, 1)
        if kind == 1:
            for index in range(3, len(line)):
                line[index] = (line[index] + line[index - 3]) & 0xFF
        rows.append(bytes(line))
    return width, height, rows


def test_results_are_real_gradient_pngs_and_differ_per_result(api: Api) -> None:
    output = done(api, prompted("wan2.2-t2i-flash", n=2, size="640*512"), T2I)["output"]
    files = [api.http.get(url).content for url in image_urls(output)]
    width, height, rows = decode_png(files[0])
    assert (width, height, len(rows)) == (640, 512, 512)
    assert rows[0][:3] != rows[0][-3:] and rows[0] != rows[-1]  # colours change across and down
    assert files[0] != files[1]


def test_ffmpeg_reads_the_pngs(api: Api, tmp_path) -> None:
    pytest.importorskip("imageio_ffmpeg")
    from qwencloud_video.emulator.probe import probe

    (url,) = image_urls(done(api, prompted("wan2.2-t2i-flash", n=1, size="768*1024"), T2I)["output"])
    target = tmp_path / "result.png"
    target.write_bytes(api.http.get(url).content)
    info = probe(str(target))
    assert (info["video_codec"], info["width"], info["height"]) == ("png", 768, 1024)


def test_header_sizes_of_the_image_formats(tmp_path) -> None:
    imageio_ffmpeg = pytest.importorskip("imageio_ffmpeg")
    import subprocess

    from qwencloud_image.emulator.inputs import header_size
    from qwencloud_image.emulator.png import png

    source = tmp_path / "source.png"
    source.write_bytes(png(330, 170))
    assert header_size(source.read_bytes()) == (330, 170)
    for name, extra in (("a.jpg", []), ("a.gif", []), ("a.bmp", []), ("a.webp", []),
                        ("b.webp", ["-lossless", "1"])):
        target = tmp_path / name
        subprocess.run([imageio_ffmpeg.get_ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-y", "-i",
                        str(source), *extra, str(target)], check=True, timeout=60)
        assert header_size(target.read_bytes()) == (330, 170), name
    assert header_size(b"not an image") is None and header_size(b"\x89PNG\r\n\x1a\n") is None


# -- registration, flags, independence -------------------------------------------------------------


def test_the_service_registers_through_its_own_entry_point() -> None:
    from importlib.metadata import distributions  # entry_points(group=...) needs Python 3.10

    found = {entry.name: entry.value for dist in distributions() for entry in dist.entry_points
             if entry.group == "qwencloud_skills"}
    assert found["image_emulator"] == "qwencloud_image.emulator.service"
    assert found["video_emulator"] == "qwencloud_video.emulator.service"


def test_the_command_line_takes_the_failure_switch_and_extra_models(api: Api, emu: Emulator) -> None:
    from qwencloud_skills.emulator.cli import build_parser, config_from_args
    from qwencloud_skills.emulator.services import discover

    parser = build_parser(discover())
    text = parser.format_help()
    assert "--image-failed-results" in text and "multimodal-generation (synchronous)" in text
    assert "text2image (tasks): wan2.5-t2i-preview" in text
    config = config_from_args(parser.parse_args(["--image-failed-results", "0,2",
                                                 "--extra-model", "wan9-image=image-edit"]))
    assert config.options["image_failed_results"] == (0, 2)
    emu.config.extra_models.update(config.extra_models)
    answer = sync(api, messages("wan9-image", n=1, size="1K"))
    assert answer.status_code == 200 and answer.json()["usage"]["size"] == "1024*1024"
    with pytest.raises(Exception, match="take no SPEC"):
        config_from_args(parser.parse_args(["--extra-model", "x=image-edit:9"]))


def _imports(path) -> List[Tuple[str, int]]:
    import ast

    found: List[Tuple[str, int]] = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_the_image_emulator_is_independent_of_the_image_client() -> None:
    """Only the emulator's service API and the hook marker: no client catalog, rules, payloads nor host validation."""
    from pathlib import Path

    import qwencloud_image.emulator as package

    allowed = ("qwencloud_skills.emulator", "qwencloud_skills.hookspecs")
    offenders = []
    sources = sorted(Path(package.__file__).parent.glob("*.py"))
    assert len(sources) >= 5
    for source in sources:
        for module, level in _imports(source):
            ours = module.split(".")[0] in ("qwencloud_skills", "qwencloud_image", "qwencloud_video")
            if level >= 2 or (level == 0 and ours and not module.startswith(allowed)):
                offenders.append(f"{source.name}: {'.' * level}{module}")
    assert offenders == []
