"""Uploads to a fake OSS endpoint on 127.0.0.1: put, presigned GET, and errors free of credentials."""

from __future__ import annotations

import hashlib
import logging
import time
import traceback
from pathlib import Path
from typing import Dict
from urllib.parse import parse_qs, quote, urlsplit

import httpx
import pytest

from qwencloud_skills.environment import Environment
from qwencloud_skills.errors import QwenSkillsError, ServiceError, TransportError
from qwencloud_skills.ossbucket import OwnBucket, own_bucket_settings

from .conftest import BUCKET, CANARY_ID, CANARY_SECRET, FakeOss

CANARIES = (CANARY_ID, CANARY_SECRET, quote(CANARY_SECRET, safe=""))


def _bucket(environ: Dict[str, str], tmp_path: Path, **changes: str) -> OwnBucket:
    settings = own_bucket_settings(Environment({**environ, **changes}, cwd=tmp_path))
    assert settings is not None
    return settings


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _fetch(url: str) -> httpx.Response:
    return httpx.get(url, trust_env=False, timeout=10)


def _assert_clean(error: BaseException, caplog: pytest.LogCaptureFixture) -> None:
    texts = [str(error), repr(error), *map(str, error.args), "".join(traceback.format_exception(
        type(error), error, error.__traceback__
    )), caplog.text]
    for text in texts:
        for canary in CANARIES:
            assert canary not in text
    assert error.__cause__ is None and error.__suppress_context__


def test_upload_returns_presigned_url_that_serves_the_bytes(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path
) -> None:
    digest = _digest(sample_file)
    url = _bucket(oss_environ, tmp_path).upload(sample_file, digest)

    key = f"qwencloud-skills/{digest[:16]}/input image.png"
    parts = urlsplit(url)
    assert f"{parts.scheme}://{parts.netloc}" == fake_oss.url
    assert parts.path == f"/{BUCKET}/{quote(key)}"
    query = parse_qs(parts.query)
    assert 86400 - 5 <= int(query["x-oss-expires"][0]) <= 86400
    assert query["x-oss-signature-version"] == ["OSS4-HMAC-SHA256"]
    assert fake_oss.objects[f"/{BUCKET}/{key}"] == sample_file.read_bytes()

    (method, _, headers), = fake_oss.puts()
    assert headers["Authorization"].startswith("OSS4-HMAC-SHA256 Credential=")
    assert headers["Content-Length"] == str(sample_file.stat().st_size)
    assert "Transfer-Encoding" not in headers
    assert headers["Content-Type"] == "image/png"

    response = _fetch(url)
    assert response.status_code == 200
    assert response.content == sample_file.read_bytes()


def test_url_expiry_and_prefix_follow_the_settings(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path
) -> None:
    settings = _bucket(oss_environ, tmp_path, QWEN_TMP_OSS_URL_EXPIRES="600", QWEN_TMP_OSS_PREFIX="inbox")
    url = settings.upload(sample_file, _digest(sample_file))
    assert 595 <= int(parse_qs(urlsplit(url).query)["x-oss-expires"][0]) <= 600
    assert urlsplit(url).path.startswith(f"/{BUCKET}/inbox/")


def test_settings_from_dotenv_upload_end_to_end(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path
) -> None:
    (tmp_path / ".env").write_text("".join(f"{name}='{value}'\n" for name, value in oss_environ.items()))
    settings = own_bucket_settings(Environment({}, cwd=tmp_path))
    assert settings is not None and settings.endpoint == fake_oss.url
    url = settings.upload(sample_file, _digest(sample_file))
    assert _fetch(url).content == sample_file.read_bytes()


def test_same_bytes_same_key_other_bytes_other_key(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path
) -> None:
    settings = _bucket(oss_environ, tmp_path)
    first = settings.upload(sample_file, _digest(sample_file))
    again = settings.upload(sample_file, _digest(sample_file))
    assert urlsplit(first).path == urlsplit(again).path
    assert len(fake_oss.objects) == 1

    other = tmp_path / "other" / sample_file.name
    other.parent.mkdir()
    other.write_bytes(b"different bytes, same name")
    third = settings.upload(other, _digest(other))
    assert urlsplit(third).path != urlsplit(first).path
    assert _fetch(third).content == b"different bytes, same name"
    assert _fetch(first).content == sample_file.read_bytes()


def test_unicode_name_and_larger_file(fake_oss: FakeOss, oss_environ: Dict[str, str], tmp_path: Path) -> None:
    path = tmp_path / "参考 视频 #1.mp4"
    data = hashlib.sha256(b"seed").digest() * (3 * 1024 * 1024 // 32)
    path.write_bytes(data)
    url = _bucket(oss_environ, tmp_path).upload(path, _digest(path))
    assert _fetch(url).content == data


def test_service_error_is_ours_and_free_of_credentials(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    fake_oss.fail = (
        403, "InvalidAccessKeyId",
        f"The OSS Access Key Id you provided does not exist in our records: {CANARY_ID} / {CANARY_SECRET}",
    )
    with pytest.raises(ServiceError) as caught:
        _bucket(oss_environ, tmp_path).upload(sample_file, _digest(sample_file))
    error = caught.value
    assert (error.status, error.code, error.exit_code) == (403, "InvalidAccessKeyId", 1)
    assert "does not exist in our records" in str(error) and "********" in str(error)
    assert error.request_id == "5C3D9175B6FC201293AD4890"
    assert "QWEN_TMP_OSS_AK_ID" in (error.hint or "")
    assert len(fake_oss.puts()) == 1  # a 403 is not retried
    _assert_clean(error, caplog)


@pytest.mark.parametrize(
    "status, code, hint_word",
    [(404, "NoSuchBucket", "QWEN_TMP_OSS_BUCKET"), (403, "AccessDenied", "oss:PutObject"),
     (403, "SignatureDoesNotMatch", "QWEN_TMP_OSS_AK_SECRET")],
)
def test_error_hints(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture, status: int, code: str, hint_word: str,
) -> None:
    fake_oss.fail = (status, code, "denied")
    with pytest.raises(ServiceError) as caught:
        _bucket(oss_environ, tmp_path).upload(sample_file, _digest(sample_file))
    assert caught.value.code == code and hint_word in (caught.value.hint or "")
    _assert_clean(caught.value, caplog)


def test_server_errors_are_retried_then_reported(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_oss.fail = (503, "ServiceUnavailable", "Please reduce your request rate.")
    with pytest.raises(ServiceError) as caught:
        _bucket(oss_environ, tmp_path).upload(sample_file, _digest(sample_file))
    assert caught.value.status == 503
    assert len(fake_oss.puts()) == 3  # the SDK's standard retryer, rewinding the file each time
    assert all(
        headers["Content-Length"] == str(sample_file.stat().st_size) for _, _, headers in fake_oss.puts()
    )
    _assert_clean(caught.value, caplog)


def test_crc_mismatch_is_reported(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    fake_oss.crc = "12345"
    with pytest.raises(ServiceError) as caught:
        _bucket(oss_environ, tmp_path).upload(sample_file, _digest(sample_file))
    assert caught.value.code == "UploadCorrupted"
    _assert_clean(caught.value, caplog)


def test_unreachable_endpoint_is_a_transport_error(
    oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path, caplog: pytest.LogCaptureFixture,
) -> None:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    caplog.set_level(logging.DEBUG)
    started = time.monotonic()
    with pytest.raises(TransportError) as caught:
        _bucket(oss_environ, tmp_path, QWEN_TMP_OSS_ENDPOINT=f"http://127.0.0.1:{port}").upload(
            sample_file, _digest(sample_file)
        )
    assert f"127.0.0.1:{port}" in str(caught.value)
    assert time.monotonic() - started < 15
    _assert_clean(caught.value, caplog)


def test_success_logs_no_credentials(
    fake_oss: FakeOss, oss_environ: Dict[str, str], sample_file: Path, tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    _bucket(oss_environ, tmp_path).upload(sample_file, _digest(sample_file))
    assert "uploaded input image.png" in caplog.text
    for canary in CANARIES:
        assert canary not in caplog.text


def test_missing_file_is_not_an_oss_error(oss_environ: Dict[str, str], tmp_path: Path) -> None:
    with pytest.raises(OSError) as caught:
        _bucket(oss_environ, tmp_path).upload(tmp_path / "gone.png", "0" * 64)
    assert not isinstance(caught.value, QwenSkillsError)


def test_without_endpoint_urls_are_https_virtual_hosted(oss_environ: Dict[str, str], tmp_path: Path) -> None:
    """Presigning needs no network, so the production URL shape can be checked offline."""
    from qwencloud_skills.ossbucket.sdk import load_sdk, make_client

    environ = {k: v for k, v in oss_environ.items() if k != "QWEN_TMP_OSS_ENDPOINT"}
    settings = _bucket(environ, tmp_path)
    oss = load_sdk()
    signed = make_client(oss, settings).presign(oss.GetObjectRequest(bucket=BUCKET, key="qwencloud-skills/k/a.png"))
    assert signed.url.startswith(f"https://{BUCKET}.oss-cn-hangzhou.aliyuncs.com/qwencloud-skills/k/a.png?")
