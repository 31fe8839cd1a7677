"""Temporary-storage uploads: the getPolicy answer and the OSS-style form POST checks."""

from __future__ import annotations

import base64
import json
from typing import Any, Dict, Optional

import pytest

from qwencloud_skills.emulator import Emulator
from qwencloud_skills.emulator.multipart import parse_form


def _policy(api, emu: Emulator, model: str = "wan2.6-i2v-flash") -> Dict[str, Any]:
    response = api.http.get(
        f"{emu.api_base}/uploads", params={"action": "getPolicy", "model": model}, headers=api.headers()
    )
    assert response.status_code == 200, response.text
    return response.json()["data"]


def _form(grant: Dict[str, Any], name: str = "cat.png", **overrides: Optional[str]) -> Dict[str, str]:
    policy = grant
    form = {
        "OSSAccessKeyId": policy["oss_access_key_id"],
        "Signature": policy["signature"],
        "policy": policy["policy"],
        "key": policy["upload_dir"] + "/" + name,
        "x-oss-object-acl": policy["x_oss_object_acl"],
        "x-oss-forbid-overwrite": policy["x_oss_forbid_overwrite"],
        "success_action_status": "200",
    }
    form.update(overrides)
    return {k: v for k, v in form.items() if v is not None}


def _upload(api, policy: Dict[str, Any], form: Dict[str, str], data: bytes = b"image", name: str = "cat.png"):
    return api.http.post(policy["upload_host"], data=form, files={"file": (name, data, "image/png")})


def test_policy_shape(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    assert set(policy) >= {
        "policy",
        "signature",
        "upload_dir",
        "upload_host",
        "expire_in_seconds",
        "max_file_size_mb",
        "capacity_limit_mb",
        "oss_access_key_id",
        "x_oss_object_acl",
        "x_oss_forbid_overwrite",
    }
    assert policy["upload_host"] == emu.base_url + "/oss-upload"
    assert policy["max_file_size_mb"] == 100 and policy["x_oss_forbid_overwrite"] == "true"
    document = json.loads(base64.b64decode(policy["policy"]))
    assert ["starts-with", "$key", policy["upload_dir"]] in document["conditions"]
    assert _policy(api, emu)["upload_dir"] != policy["upload_dir"]


def test_policy_requires_auth_and_parameters(api, emu: Emulator) -> None:
    url = f"{emu.api_base}/uploads"
    assert api.http.get(url, params={"action": "getPolicy", "model": "m"}).status_code == 401
    assert api.http.get(url, params={"action": "other", "model": "m"}, headers=api.headers()).status_code == 400
    assert api.http.get(url, params={"action": "getPolicy"}, headers=api.headers()).status_code == 400


def test_upload_stores_object(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    form = _form(policy)
    response = _upload(api, policy, form, b"\x89PNG data")
    assert response.status_code == 200 and response.content == b""
    assert emu.uploaded_objects == {form["key"]: b"\x89PNG data"}


def test_success_status_variants(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    assert _upload(api, policy, _form(policy, "a.png", success_action_status=None)).status_code == 204
    created = _upload(api, policy, _form(policy, "b.png", success_action_status="201"))
    assert created.status_code == 201 and "<PostResponse>" in created.text


def test_key_outside_upload_dir(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    response = _upload(api, policy, _form(policy, key="dashscope-instant/elsewhere/cat.png"))
    assert response.status_code == 403
    assert "<Code>AccessDenied</Code>" in response.text and policy["upload_dir"] in response.text
    assert _upload(api, policy, _form(policy, key=policy["upload_dir"] + "/")).status_code == 403
    assert emu.uploaded_objects == {}


def test_oversize(api, emu: Emulator) -> None:
    emu.config.max_file_size_mb = 1
    policy = _policy(api, emu)
    assert policy["max_file_size_mb"] == 1
    response = _upload(api, policy, _form(policy), b"x" * (1024 * 1024 + 1))
    assert response.status_code == 400 and "EntityTooLarge" in response.text
    assert _upload(api, policy, _form(policy), b"x" * (1024 * 1024)).status_code == 200


def test_overwrite_forbidden(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    assert _upload(api, policy, _form(policy), b"one").status_code == 200
    second = _upload(api, policy, _form(policy), b"two")
    assert second.status_code == 409 and "FileAlreadyExists" in second.text
    assert list(emu.uploaded_objects.values()) == [b"one"]
    allowed = _upload(api, policy, _form(policy, **{"x-oss-forbid-overwrite": "false"}), b"three")
    assert allowed.status_code == 200 and list(emu.uploaded_objects.values()) == [b"three"]


@pytest.mark.parametrize(
    "override, status, code",
    [
        ({"Signature": "bm90LXRoZS1zaWduYXR1cmU="}, 403, "SignatureDoesNotMatch"),
        ({"policy": "e30="}, 403, "SignatureDoesNotMatch"),
        ({"OSSAccessKeyId": "LTAIwrong"}, 403, "InvalidAccessKeyId"),
        ({"key": None}, 400, "InvalidArgument"),
    ],
)
def test_bad_forms(api, emu: Emulator, override: Dict[str, Optional[str]], status: int, code: str) -> None:
    policy = _policy(api, emu)
    response = _upload(api, policy, _form(policy, **override))
    assert response.status_code == status and f"<Code>{code}</Code>" in response.text


def test_expired_policy(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    emu.advance_time(policy["expire_in_seconds"] + 1)
    response = _upload(api, policy, _form(policy))
    assert response.status_code == 403 and "expired" in response.text


def test_fields_after_file_are_ignored(api, emu: Emulator) -> None:
    policy = _policy(api, emu)
    boundary = "b0undary"
    fields = _form(policy)
    key = fields.pop("key")
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n' for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="a.png"\r\n\r\ndata\r\n')
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="key"\r\n\r\n{key}\r\n--{boundary}--\r\n')
    response = api.http.post(
        policy["upload_host"],
        content="".join(parts).encode(),
        headers={"Content-Type": f"multipart/form-data; boundary={boundary}"},
    )
    assert response.status_code == 400 and "'key'" in response.text
    garbage = api.http.post(policy["upload_host"], content=b"x", headers={"Content-Type": "text/plain"})
    assert garbage.status_code == 400


def test_parse_form() -> None:
    body = (
        b'--XyZ\r\nContent-Disposition: form-data; name="a"\r\n\r\n1\r\n'
        b'--XyZ\r\nContent-Disposition: form-data; name="file"; filename="f.bin"\r\n'
        b"Content-Type: application/octet-stream\r\n\r\n\x00\r\n\xff\r\n--XyZ--\r\n"
    )
    first, second = parse_form(body, 'multipart/form-data; boundary="XyZ"')
    assert (first.name, first.filename, first.data) == ("a", None, b"1")
    assert (second.name, second.filename, second.data) == ("file", "f.bin", b"\x00\r\n\xff")
    assert second.headers["content-type"] == "application/octet-stream"
    with pytest.raises(ValueError):
        parse_form(body, "application/json")
