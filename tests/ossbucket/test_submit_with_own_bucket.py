"""A submit with local files and QWEN_TMP_OSS_BUCKET set: files go to the user's bucket."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Dict

import pytest
from mediafiles import write_media

from qwencloud_skills.errors import ConfigError
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import AsyncTaskClient, TaskClient

from .conftest import BUCKET, CANARY_ID, CANARY_SECRET


@pytest.fixture
def bucket_env(oss_environ: Dict[str, str], monkeypatch: pytest.MonkeyPatch) -> Dict[str, str]:
    for name, value in oss_environ.items():
        monkeypatch.setenv(name, value)
    return oss_environ


def submitted(emulator) -> dict:
    return [r for r in emulator.requests if r.path.endswith("video-synthesis")][-1]


def test_local_file_goes_to_own_bucket_as_presigned_https(emulator, fake_oss, bucket_env, tmp_path: Path,
                                                          canary_key: str) -> None:
    frame = tmp_path / "frame.png"
    write_media(frame, 2048)
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    with TaskClient(skill="qwencloud-video-generation", api_key=ApiKey(canary_key), base_url=emulator.api_base,
                    ledger=ledger) as client:
        client.submit({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
        request = submitted(emulator)
        url = request.json()["input"]["img_url"]
        assert url.startswith(fake_oss.url) and f"/{BUCKET}/" in url
        assert "X-DashScope-OssResourceResolve" not in request.headers
        assert not [r for r in emulator.requests if "uploads" in r.path or "oss-upload" in r.path]
        assert list(fake_oss.objects.values()) == [frame.read_bytes()]
        emulator.clear_requests()
        client.submit({"prompt": "again", "img_url": str(frame), "resolution": "720P"})
        assert submitted(emulator).json()["input"]["img_url"] == url  # reused, not uploaded again
    assert len(fake_oss.puts()) == 1
    ledger_text = (tmp_path / "ledger.sqlite3").read_bytes()
    assert CANARY_SECRET.encode() not in ledger_text
    recorded = ledger.list()[0]["request"]["input"]["img_url"]
    assert recorded.endswith("?<signed query not recorded>") and CANARY_ID not in json.dumps(ledger.list())


def test_async_client_uses_the_bucket_too(emulator, fake_oss, bucket_env, tmp_path: Path, canary_key: str) -> None:
    refs = []
    for index in range(3):
        path = tmp_path / f"p{index}.png"
        write_media(path, 500)
        refs.append(str(path))

    async def scenario() -> None:
        async with AsyncTaskClient(skill="qwencloud-video-generation", api_key=ApiKey(canary_key),
                                   base_url=emulator.api_base, ledger=False) as client:
            await client.submit({"prompt": "character1", "reference_urls": refs, "size": "1280*720"})

    asyncio.run(scenario())
    sent = submitted(emulator).json()["input"]["reference_urls"]
    assert all(url.startswith(fake_oss.url) for url in sent)
    assert len(fake_oss.puts()) == 3


def test_bucket_misconfiguration_fails_before_any_request(emulator, bucket_env, monkeypatch, tmp_path: Path,
                                                          canary_key: str) -> None:
    monkeypatch.delenv("QWEN_TMP_OSS_REGION")
    frame = tmp_path / "frame.png"
    write_media(frame)
    with TaskClient(skill="qwencloud-video-generation", api_key=ApiKey(canary_key), base_url=emulator.api_base,
                    ledger=False) as client:
        with pytest.raises(ConfigError, match="QWEN_TMP_OSS_REGION") as info:
            client.submit({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
    assert CANARY_ID not in str(info.value) and CANARY_SECRET not in str(info.value)
    assert emulator.requests == []


def test_doctor_reports_the_bucket_without_credentials(bucket_env, monkeypatch) -> None:
    from qwencloud_skills.cli.doctor import collect

    report = collect(check_network=False)
    assert report["own_bucket"]["bucket"] == BUCKET
    assert CANARY_ID not in repr(report) and CANARY_SECRET not in repr(report)
    monkeypatch.delenv("QWEN_TMP_OSS_REGION")
    assert "QWEN_TMP_OSS_REGION" in collect(check_network=False)["own_bucket"]


def test_dry_run_shows_the_bucket_and_no_oss_header(bucket_env, tmp_path: Path) -> None:
    import json
    import os
    import subprocess
    import sys

    frame = tmp_path / "frame.png"
    write_media(frame)
    request = json.dumps({"prompt": "a cat", "img_url": str(frame), "resolution": "720P"})
    result = subprocess.run(
        [str(Path(sys.executable).parent / "qwencloud-video"), "--request", request, "--dry-run"],
        capture_output=True, text=True, env={**os.environ, "DASHSCOPE_API_KEY": "sk-dry"}, cwd=tmp_path, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    shown = json.loads(result.stdout)
    assert "X-DashScope-OssResourceResolve" not in shown["headers"]
    assert shown["uploads"][0]["destination"].startswith(f"own bucket {BUCKET}")
    assert CANARY_ID not in result.stdout + result.stderr and CANARY_SECRET not in result.stdout + result.stderr
