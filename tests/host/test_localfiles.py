"""Local files in requests: checked before any request, uploaded to temporary storage, reused."""

from __future__ import annotations

from pathlib import Path

import pytest
from mediafiles import mp3_bytes, write_media

from qwencloud_skills.emulator import Fault
from qwencloud_skills.errors import InvalidRequestError
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.retry import RetryPolicy
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import TaskClient

SKILL = "qwencloud-video-generation"


@pytest.fixture
def client(emulator, tmp_path: Path, canary_key: str):
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    with TaskClient(skill=SKILL, api_key=ApiKey(canary_key), base_url=emulator.api_base, ledger=ledger,
                    policy=RetryPolicy(max_attempts=2, initial_delay=0.01)) as c:
        yield c


def image(folder: Path, name: str = "frame.png", size: int = 4096) -> Path:
    """A real PNG of ``size`` bytes (local media is checked by content)."""
    return write_media(folder / name, size)


def submit_request(emulator):
    return [r for r in emulator.requests if r.path.endswith("video-synthesis")][-1]


def uploads(emulator):
    return [r for r in emulator.requests if "oss-upload" in r.path]


def test_single_local_file_is_uploaded_and_sent_as_oss(client, emulator, tmp_path: Path) -> None:
    frame = image(tmp_path)
    client.submit({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
    policy = [r for r in emulator.requests if r.path.startswith("/api/v1/uploads")]
    assert len(policy) == 1 and "model=wan2.6-i2v-flash" in policy[0].path
    body = submit_request(emulator).json()
    key = body["input"]["img_url"]
    assert key.startswith("oss://") and key.endswith("frame.png")
    assert emulator.uploaded_objects[key[len("oss://"):]] == frame.read_bytes()
    assert submit_request(emulator).headers["X-DashScope-OssResourceResolve"] == "enable"


def test_reference_image_alias_is_uploaded_and_renamed(client, emulator, tmp_path: Path) -> None:
    client.submit({"prompt": "a cat", "reference_image": str(image(tmp_path)), "resolution": "720P"})
    assert submit_request(emulator).json()["input"]["img_url"].startswith("oss://")


def test_several_files_upload_concurrently_and_keep_their_order(client, emulator, tmp_path: Path) -> None:
    refs = [image(tmp_path, f"person{i}.png") for i in range(3)]
    mixed = [str(refs[0]), "https://example.invalid/keep.png", str(refs[1]), str(refs[2])]
    client.submit({"prompt": "character1 meets character2", "reference_urls": mixed, "size": "1280*720"})
    sent = submit_request(emulator).json()["input"]["reference_urls"]
    assert sent[1] == "https://example.invalid/keep.png"
    for path, url in zip(refs, [sent[0], sent[2], sent[3]]):
        assert url.startswith("oss://") and url.endswith(path.name)
        assert emulator.uploaded_objects[url[len("oss://"):]] == path.read_bytes()
    assert len(uploads(emulator)) == 3
    assert len([r for r in emulator.requests if r.path.startswith("/api/v1/uploads")]) == 1  # one policy for all


def test_one_oversize_file_stops_every_upload(client, emulator, tmp_path: Path) -> None:
    emulator.config.max_file_size_mb = 1
    refs = [str(image(tmp_path, "small.png")), str(image(tmp_path, "big.png", size=2 * 1024 * 1024))]
    with pytest.raises(InvalidRequestError, match=r"reference_urls\[1\].*at most 1 MB"):
        client.submit({"prompt": "character1", "reference_urls": refs, "size": "1280*720"})
    assert uploads(emulator) == []


@pytest.mark.parametrize("value", [
    "https://example.invalid/frame.png",
    "http://example.invalid/frame.png",
    "data:image/png;base64,iVBORw0KGgo=",
])
def test_remote_values_pass_through_untouched_without_oss_header(client, emulator, value: str) -> None:
    client.submit({"prompt": "a cat", "img_url": value, "resolution": "720P"})
    request = submit_request(emulator)
    assert request.json()["input"]["img_url"] == value
    assert "X-DashScope-OssResourceResolve" not in request.headers
    assert uploads(emulator) == []


def test_existing_oss_value_passes_through_with_header(client, emulator, tmp_path: Path) -> None:
    first = client.submit({"prompt": "a cat", "img_url": str(image(tmp_path)), "resolution": "720P"})
    oss_url = submit_request(emulator).json()["input"]["img_url"]
    emulator.clear_requests()
    client.submit({"prompt": "again", "img_url": oss_url, "resolution": "720P"})
    request = submit_request(emulator)
    assert request.json()["input"]["img_url"] == oss_url
    assert request.headers["X-DashScope-OssResourceResolve"] == "enable"
    assert uploads(emulator) == [] and first.task_id


def test_missing_file_fails_before_any_request(client, emulator, tmp_path: Path) -> None:
    with pytest.raises(InvalidRequestError) as info:
        client.submit({"prompt": "a cat", "img_url": str(tmp_path / "nope.png"), "resolution": "720P"})
    assert "img_url" in str(info.value) and "not found" in str(info.value)
    assert emulator.requests == []


def test_wrong_file_type_fails_before_any_request(client, emulator, tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("hello")
    with pytest.raises(InvalidRequestError) as info:
        client.submit({"prompt": "a cat", "img_url": str(notes), "resolution": "720P"})
    assert ".png" in str(info.value) and "notes.txt" in str(info.value)
    assert emulator.requests == []


def test_audio_over_its_limit_fails_before_any_request(client, emulator, tmp_path: Path) -> None:
    track = tmp_path / "song.mp3"
    with track.open("wb") as handle:
        handle.write(mp3_bytes())
        handle.truncate(16 * 1024 * 1024)
    with pytest.raises(InvalidRequestError, match="at most 15 MB"):
        client.submit({"prompt": "a cat", "audio_url": str(track), "size": "1280*720"})
    assert emulator.requests == []


def test_file_over_the_policy_limit_is_refused_then_known(client, emulator, tmp_path: Path) -> None:
    emulator.config.max_file_size_mb = 1
    big = image(tmp_path, "big.png", size=2 * 1024 * 1024)
    with pytest.raises(InvalidRequestError, match="at most 1 MB"):
        client.submit({"prompt": "a cat", "img_url": str(big), "resolution": "720P"})
    assert uploads(emulator) == [] and not [r for r in emulator.requests if r.path.endswith("video-synthesis")]
    emulator.clear_requests()
    with pytest.raises(InvalidRequestError, match="at most 1 MB"):
        client.submit({"prompt": "a cat", "img_url": str(big), "resolution": "720P"})
    assert emulator.requests == []  # the limit is remembered: zero requests the second time


def test_home_and_relative_paths_resolve(client, emulator, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    home = tmp_path / "home"
    home.mkdir()
    image(home, "me.png")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.chdir(home)
    client.submit({"prompt": "a", "first_frame_url": "~/me.png", "last_frame_url": "me.png", "resolution": "720P"})
    body = submit_request(emulator).json()["input"]
    assert body["first_frame_url"].startswith("oss://") and body["last_frame_url"].startswith("oss://")


def test_a_fresh_upload_is_reused(client, emulator, tmp_path: Path) -> None:
    frame = image(tmp_path)
    client.submit({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
    first = submit_request(emulator).json()["input"]["img_url"]
    emulator.clear_requests()
    client.submit({"prompt": "a cat again", "img_url": str(frame), "resolution": "720P"})
    assert submit_request(emulator).json()["input"]["img_url"] == first
    assert uploads(emulator) == []


@pytest.mark.parametrize("fault", [
    Fault(route="upload", kind="status", status=503, count=1),
    Fault(route="upload", kind="drop", count=1),
    Fault(route="upload", kind="drop", after_accept=True, count=1),
])
def test_form_upload_is_retried_safely(client, emulator, tmp_path: Path, fault) -> None:
    frame = image(tmp_path)
    emulator.inject(fault)
    client.submit({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
    key = submit_request(emulator).json()["input"]["img_url"][len("oss://"):]
    assert emulator.uploaded_objects[key] == frame.read_bytes()
    assert len(uploads(emulator)) == 2


def test_rejected_upload_is_a_clear_error(client, emulator, tmp_path: Path) -> None:
    from qwencloud_skills.errors import ServiceError

    emulator.inject(Fault(route="upload", kind="status", status=403, count=None))
    with pytest.raises(ServiceError, match="upload of .*frame.png failed"):
        client.submit({"prompt": "a cat", "img_url": str(image(tmp_path)), "resolution": "720P"})
    assert len(uploads(emulator)) == 1
    assert not [r for r in emulator.requests if r.path.endswith("video-synthesis")]


def test_several_files_upload_at_the_same_time(client, emulator, tmp_path: Path) -> None:
    refs = [str(image(tmp_path, f"c{i}.png")) for i in range(3)]
    emulator.inject(Fault(route="upload", kind="delay", delay=1.0, count=None))
    client.submit({"prompt": "character1 and character2", "reference_urls": refs, "size": "1280*720"})
    arrivals = sorted(request.received_at for request in uploads(emulator))
    assert len(arrivals) == 3
    # Each upload is held 1 s by the server: all three arriving within that second means they overlapped.
    assert arrivals[-1] - arrivals[0] < 1.0
