"""Temporary-storage uploads: hands out signed POST policies and plays the object store."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import secrets
import threading
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Dict, Optional
from xml.sax.saxutils import escape

from .clock import Clock
from .multipart import Part, parse_form
from .wire import Response, oss_error

BUCKET = "dashscope-file-mgr"
CAPACITY_LIMIT_MB = 999999999


@dataclass(frozen=True)
class Grant:
    """One issued policy: where its holder may write, until when, and how much."""

    policy: str
    signature: str
    upload_dir: str
    expires_wall: float
    max_bytes: int


@dataclass(frozen=True)
class StoredObject:
    data: bytes
    content_type: str


class UploadService:
    """Issues getPolicy answers and accepts the matching form POSTs."""

    def __init__(self, clock: Clock) -> None:
        self._clock = clock
        self._secret = secrets.token_bytes(20)
        self.access_key_id = "LTAI5tEmu" + secrets.token_hex(6)
        self._grants: Dict[str, Grant] = {}
        self._objects: Dict[str, StoredObject] = {}
        self._lock = threading.Lock()

    def issue(self, upload_host: str, max_file_size_mb: int, expire_seconds: int) -> Dict[str, object]:
        """The ``data`` block of a getPolicy answer, with a fresh upload directory."""
        now = self._clock.wall()
        day = datetime.fromtimestamp(now, tz=timezone.utc).strftime("%Y-%m-%d")
        upload_dir = f"dashscope-instant/{secrets.token_hex(16)}/{day}/{secrets.token_hex(8)}"
        max_bytes = int(max_file_size_mb) * 1024 * 1024
        expires = now + expire_seconds
        document = {
            "expiration": datetime.fromtimestamp(expires, tz=timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.000Z"),
            "conditions": [
                {"bucket": BUCKET},
                ["content-length-range", 0, max_bytes],
                ["starts-with", "$key", upload_dir],
                {"x-oss-object-acl": "private"},
            ],
        }
        policy = base64.b64encode(json.dumps(document).encode("utf-8")).decode("ascii")
        signature = self._sign(policy)
        with self._lock:
            self._grants[policy] = Grant(policy, signature, upload_dir, expires, max_bytes)
        return {
            "policy": policy,
            "signature": signature,
            "upload_dir": upload_dir,
            "upload_host": upload_host,
            "expire_in_seconds": expire_seconds,
            "max_file_size_mb": max_file_size_mb,
            "capacity_limit_mb": CAPACITY_LIMIT_MB,
            "oss_access_key_id": self.access_key_id,
            "x_oss_object_acl": "private",
            "x_oss_forbid_overwrite": "true",
        }

    def _sign(self, policy: str) -> str:
        digest = hmac.new(self._secret, policy.encode("ascii"), hashlib.sha1).digest()
        return base64.b64encode(digest).decode("ascii")

    def exists(self, key: str) -> bool:
        with self._lock:
            return key in self._objects

    def data(self, key: str) -> Optional[bytes]:
        with self._lock:
            stored = self._objects.get(key)
        return stored.data if stored is not None else None

    def objects(self) -> Dict[str, bytes]:
        with self._lock:
            return {key: obj.data for key, obj in self._objects.items()}

    def receive(self, body: bytes, content_type: str, request_id: str) -> Response:
        """Handle the form POST like OSS: fields after the file part are ignored."""
        try:
            parts = parse_form(body, content_type)
        except ValueError as exc:
            return oss_error(400, "InvalidArgument", f"Malformed POST form: {exc}.", request_id)
        fields: Dict[str, str] = {}
        file_part: Optional[Part] = None
        for part in parts:
            if part.name == "file":
                file_part = part
                break
            fields[part.name.lower()] = part.text
        if file_part is None:
            return oss_error(400, "InvalidArgument", "The form has no 'file' field.", request_id)
        for name in ("key", "policy", "ossaccesskeyid", "signature"):
            if not fields.get(name):
                return oss_error(400, "InvalidArgument", f"The form field '{name}' is missing.", request_id)
        return self._store(fields, file_part, request_id)

    def _store(self, fields: Dict[str, str], file_part: Part, request_id: str) -> Response:
        with self._lock:
            grant = self._grants.get(fields["policy"])
        if fields["ossaccesskeyid"] != self.access_key_id:
            return oss_error(
                403, "InvalidAccessKeyId", "The OSS Access Key Id you provided does not exist.", request_id
            )
        if grant is None or not hmac.compare_digest(fields["signature"], grant.signature):
            return oss_error(
                403, "SignatureDoesNotMatch", "The request signature we calculated does not match.", request_id
            )
        if self._clock.wall() > grant.expires_wall:
            return oss_error(403, "AccessDenied", "Invalid according to Policy: Policy expired.", request_id)
        key = fields["key"]
        if not key.startswith(grant.upload_dir + "/") or key.endswith("/"):
            condition = f'["starts-with", "$key", "{grant.upload_dir}"]'
            message = f"Invalid according to Policy: Policy Condition failed: {condition}"
            return oss_error(403, "AccessDenied", message, request_id)
        if len(file_part.data) > grant.max_bytes:
            return oss_error(
                400,
                "EntityTooLarge",
                "Your proposed upload exceeds the maximum allowed size.",
                request_id,
                MaxSizeAllowed=str(grant.max_bytes),
                ProposedSize=str(len(file_part.data)),
            )
        content_type = fields.get("x-oss-content-type") or file_part.headers.get(
            "content-type", "application/octet-stream"
        )
        forbid = fields.get("x-oss-forbid-overwrite", "false").strip().lower() == "true"
        with self._lock:
            if forbid and key in self._objects:
                message = "The object you specified already exists and can not be overwritten."
                return oss_error(409, "FileAlreadyExists", message, request_id)
            self._objects[key] = StoredObject(file_part.data, content_type)
        return _success(fields.get("success_action_status", ""), key, file_part.data, request_id)


def _success(status_field: str, key: str, data: bytes, request_id: str) -> Response:
    """OSS answers 204 unless the form asked for 200 (empty) or 201 (XML)."""
    etag = '"' + hashlib.md5(data).hexdigest().upper() + '"'
    headers = [("ETag", etag), ("x-oss-request-id", request_id)]
    status = status_field.strip()
    if status == "200":
        return Response(200, headers)
    if status == "201":
        xml = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse>'
            f"<Bucket>{BUCKET}</Bucket><Key>{escape(key)}</Key><ETag>{escape(etag)}</ETag></PostResponse>"
        )
        return Response(201, [*headers, ("Content-Type", "application/xml")], xml.encode("utf-8"))
    return Response(204, headers)
