"""The installed `qwencloud-image` against the emulator, end to end: tasks, synchronous edits, failures, chaining."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path
from typing import Any, Dict, List, Tuple

import pytest
from cli.conftest import BIN, all_output
from mediafiles import png_bytes

from qwencloud_skills.pixelsize import pixel_size

pytestmark = pytest.mark.slow

OUTPUT = Path("output") / "qwencloud-image-generation"
POLL = ("--poll-interval", "0.1")


def size_of(path: Path) -> Tuple[int, int]:
    with path.open("rb") as handle:
        found = pixel_size(handle)
    assert found is not None, path
    return found


def submits(emulator) -> List[Any]:
    return [r for r in emulator.requests if r.route == "submit"]


def submitted_bodies(emulator) -> List[Dict[str, Any]]:
    return [json.loads(r.body) for r in submits(emulator)]


def reference(cli, width: int = 600, height: int = 400, name: str = "photo.png") -> Path:
    path = cli.cwd / name
    path.write_bytes(png_bytes(width=width, height=height))
    return path


def test_a_task_with_three_images_saves_three_pngs_of_the_requested_size(cli) -> None:
    result = cli("t2i", "--prompt", "A lighthouse in a storm", "--n", "3", "--size", "1440*1152", *POLL,
                 "--print-response")
    assert result.returncode == 0, all_output(result)
    assert "Task submitted:" in result.stderr and "3 images saved:" in result.stderr
    response = json.loads(result.stdout)
    folder = cli.cwd / OUTPUT
    names = ["image.png", "image_1.png", "image_2.png"]
    assert response["files"] == [str(folder / name) for name in names]
    assert len(response["results"]) == 3 and len(set(response["results"])) == 3
    assert all(url.startswith(cli.emulator.base_url + "/media/") for url in response["results"])
    assert response["image_url"] == response["results"][0] and response["local_path"] == response["files"][0]
    assert response["failed"] == [] and response["usage"] == {"image_count": 3, "size": "1440*1152"}
    assert [size_of(folder / name) for name in names] == [(1440, 1152)] * 3
    (body,) = submitted_bodies(cli.emulator)
    assert body["parameters"]["n"] == 3
    assert submits(cli.emulator)[0].headers.get("X-DashScope-Async") == "enable"


def test_a_synchronous_edit_uploads_the_reference_and_saves_every_image(cli) -> None:
    photo = reference(cli)
    result = cli("image-edit", "--prompt", "Make it a watercolor", "--reference-images", str(photo), "--n", "2")
    assert result.returncode == 0, all_output(result)
    assert "Answered at once (synchronous job" in result.stderr and "Task submitted" not in result.stderr
    folder = cli.cwd / OUTPUT
    assert result.stdout.split() == [str(folder / "image.png"), str(folder / "image_1.png")]  # every path
    (submit,) = submits(cli.emulator)
    assert submit.path.endswith("/multimodal-generation/generation")
    assert "X-DashScope-Async" not in submit.headers
    assert submit.headers.get("X-DashScope-OssResourceResolve") == "enable"
    body = json.loads(submit.body)
    (image,) = [item["image"] for item in body["input"]["messages"][0]["content"] if "image" in item]
    assert image.startswith("oss://") and cli.emulator.uploaded_objects[image[len("oss://"):]] == photo.read_bytes()
    (record,) = cli.emulator.tasks.values()
    assert (record.width, record.height) == (1248, 832)  # 1K shaped like the 600*400 reference
    assert [size_of(folder / name) for name in ("image.png", "image_1.png")] == [(1248, 832)] * 2


def test_submit_only_refuses_a_synchronous_mode_before_sending(cli) -> None:
    photo = reference(cli)
    result = cli("image-edit", "--prompt", "Make it a watercolor", "--reference-images", str(photo),
                 "--submit-only")
    assert result.returncode == 3, all_output(result)
    assert "synchronous" in result.stderr and "--submit-only" in result.stderr
    assert submits(cli.emulator) == [] and [p.name for p in cli.cwd.rglob("*.png")] == ["photo.png"]


def test_a_failed_result_is_reported_and_the_others_saved(cli) -> None:
    cli.emulator.config.options["image_failed_results"] = [0]
    result = cli("t2i", "--prompt", "A fox in snow", "--n", "3", "--model", "wan2.2-t2i-flash", *POLL,
                 "--print-response")
    assert result.returncode == 0, all_output(result)
    response = json.loads(result.stdout)
    folder = cli.cwd / OUTPUT
    assert response["files"] == [str(folder / "image.png"), str(folder / "image_1.png")]
    assert len(response["results"]) == 2
    (failed,) = response["failed"]
    assert failed["index"] == 0 and failed["code"] == "DataInspectionFailed" and failed["message"]
    assert "Warning: image 1 of 3 was not made (DataInspectionFailed" in result.stderr
    assert "the others are saved" in result.stderr
    assert sorted(p.name for p in folder.glob("*.png")) == ["image.png", "image_1.png"]


def test_when_every_result_fails_the_job_fails(cli) -> None:
    cli.emulator.config.options["image_failed_results"] = [0]
    task = cli("t2i", "--prompt", "A fox in snow", "--n", "1", "--model", "wan2.2-t2i-flash", *POLL)
    assert task.returncode == 1, all_output(task)
    assert "FAILED" in task.stderr and "DataInspectionFailed" in task.stderr and "Traceback" not in task.stderr
    photo = reference(cli)
    now = cli("image-edit", "--prompt", "Make it a watercolor", "--reference-images", str(photo), "--n", "1")
    assert now.returncode == 1, all_output(now)
    assert "DataInspectionFailed" in now.stderr and "Traceback" not in now.stderr
    assert not list((cli.cwd / OUTPUT).glob("*.png"))


def test_n_is_always_in_the_submitted_body(cli) -> None:
    photo = reference(cli)
    runs = [
        ("t2i", "--prompt", "A red kite", *POLL),
        ("--request", json.dumps({"prompt": "A red kite"}), "--model", "wan2.2-t2i-flash", *POLL),
        ("image-edit", "--prompt", "Make it blue", "--reference-images", str(photo)),
        ("i2i", "--prompt", "Make it blue", "--reference-images", str(photo), "--model", "wan2.5-i2i-preview", *POLL),
    ]
    for args in runs:
        result = cli(*args)
        assert result.returncode == 0, all_output(result)
        assert len(result.stdout.split()) == 1, args  # the service would make 4 without n
    bodies = submitted_bodies(cli.emulator)
    assert [body["parameters"]["n"] for body in bodies] == [1, 1, 1, 1]
    assert [body["model"] for body in bodies] == ["wan2.6-t2i", "wan2.2-t2i-flash", "wan2.7-image",
                                                  "wan2.5-i2i-preview"]


def test_name_sets_the_file_stem(cli) -> None:
    result = cli("t2i", "--prompt", "A cat on a sofa", "--n", "2", "--name", "cat", *POLL)
    assert result.returncode == 0, all_output(result)
    folder = cli.cwd / OUTPUT
    assert result.stdout.split() == [str(folder / "cat.png"), str(folder / "cat_1.png")]
    assert size_of(folder / "cat_1.png") == (1280, 1280)


def test_image_and_video_tasks_share_one_ledger(cli) -> None:
    image = cli("t2i", "--prompt", "A cat on a sofa", "--n", "1", "--submit-only")
    assert image.returncode == 0, all_output(image)
    photo = reference(cli)
    edit = cli("image-edit", "--prompt", "Make it blue", "--reference-images", str(photo), "--print-response")
    assert edit.returncode == 0, all_output(edit)
    video = cli("t2v", "--prompt", "A cat runs", "--size", "832*480", "--model", "wan2.2-t2v-plus", "--submit-only",
                script="qwencloud-video")
    assert video.returncode == 0, all_output(video)
    listed = cli("tasks", "list", "--format", "json", script="qwencloud-skills")
    assert listed.returncode == 0, all_output(listed)
    rows = {row["task_id"]: row for row in json.loads(listed.stdout)}
    expected = {image.stdout.strip(): ("qwencloud-image-generation", "t2i"),
                json.loads(edit.stdout)["task_id"]: ("qwencloud-image-generation", "image-edit"),
                video.stdout.strip(): ("qwencloud-video-generation", "t2v")}
    assert {task_id: (row["skill"], row["mode"]) for task_id, row in rows.items()} == expected
    resumed = cli("tasks", "resume", image.stdout.strip(), *POLL)  # the image task resumes from the shared ledger
    assert resumed.returncode == 0, all_output(resumed)
    assert resumed.stdout.strip() == str(cli.cwd / OUTPUT / "image_1.png")


def test_an_image_result_url_feeds_image_to_video(cli) -> None:
    made = cli("t2i", "--prompt", "A cat on a sofa", "--n", "1", "--size", "1440*1152", *POLL, "--print-response")
    assert made.returncode == 0, all_output(made)
    url = json.loads(made.stdout)["image_url"]
    assert url.startswith(cli.emulator.base_url + "/media/")
    video = cli("i2v", "--img-url", url, "--prompt", "The cat stretches", *POLL, "--print-response",
                script="qwencloud-video")
    assert video.returncode == 0, all_output(video)
    local = Path(json.loads(video.stdout)["local_path"])
    assert local.parent == cli.cwd / "output" / "qwencloud-video-generation" and local.suffix == ".mp4"
    (body,) = [json.loads(r.body) for r in submits(cli.emulator) if r.path.endswith("video-synthesis")]
    assert body["input"]["img_url"] == url


def test_demo_of_the_image_skill_leaves_a_png(tmp_path: Path) -> None:
    env = {key: value for key, value in os.environ.items() if key != "QWEN_BASE_URL"}
    result = subprocess.run([str(BIN / "qwencloud-skills"), "demo", "--skill", "qwencloud-image-generation"],
                            cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, all_output(result)
    saved = Path(json.loads(result.stdout)["local_path"])
    assert saved == tmp_path / OUTPUT / "image.png" and size_of(saved) == (1280, 1280)
    assert f"Image saved: {saved}" in result.stderr


def test_the_image_help_does_not_speak_of_videos(cli) -> None:
    result = cli("--help")
    assert result.returncode == 0, all_output(result)
    assert "video" not in result.stdout.lower()
