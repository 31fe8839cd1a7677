"""The one place that talks to the alibabacloud-oss-v2 SDK: put the file, presign a GET.

The SDK is an optional extra and costs ~0.2 s to import, so it is imported only
here and only when an upload happens. Its exceptions carry request targets,
response bodies and headers; none of that is passed on. Each is turned into our
own error with a short message scrubbed of both credentials, raised ``from None``
so no traceback shows the SDK's original. Its timeouts come from the ``upload``
profile of :mod:`..httpconfig`; proxies from the standard environment variables.
"""

from __future__ import annotations

import datetime
import importlib
import importlib.util
import logging
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional
from urllib.parse import urlsplit

from ..errors import ConfigError, QwenSkillsError, ServiceError, TransportError

if TYPE_CHECKING:  # pragma: no cover
    from .settings import OwnBucket

SDK_MODULE = "alibabacloud_oss_v2"
INSTALL_FIX = "pip install 'qwencloud-skills[oss]'  (or: pip install alibabacloud-oss-v2)"
MESSAGE_LIMIT = 300

log = logging.getLogger(__name__)

_HINTS = {
    "InvalidAccessKeyId": "OSS does not know the access key id ({id}); check it",
    "SignatureDoesNotMatch": "the access key secret does not belong to the id; check {secret}",
    "AccessDenied": (
        "the RAM user needs oss:PutObject and oss:GetObject on bucket {bucket}, and "
        "QWEN_TMP_OSS_REGION must be the bucket's region"
    ),
    "NoSuchBucket": "check QWEN_TMP_OSS_BUCKET and that QWEN_TMP_OSS_REGION is the bucket's region",
    "RequestTimeTooSkewed": "the computer's clock is off; sync it and retry",
}


def sdk_available() -> bool:
    """Whether the SDK can be imported, without importing it."""
    if SDK_MODULE in sys.modules:
        return sys.modules[SDK_MODULE] is not None
    try:
        return importlib.util.find_spec(SDK_MODULE) is not None
    except (ImportError, ValueError):
        return False


def require_sdk() -> None:
    if not sdk_available():
        raise _missing_sdk()


def load_sdk() -> Any:
    try:
        return importlib.import_module(SDK_MODULE)
    except ImportError:
        raise _missing_sdk() from None


def _missing_sdk() -> ConfigError:
    return ConfigError(
        "QWEN_TMP_OSS_BUCKET is set, so local files go to your own OSS bucket, but the OSS SDK "
        f"(alibabacloud-oss-v2) is not installed. Fix: {INSTALL_FIX}, or unset QWEN_TMP_OSS_BUCKET "
        "to use DashScope temporary storage."
    )


def make_client(oss: Any, bucket: OwnBucket) -> Any:
    config = oss.config.load_default()
    config.credentials_provider = oss.credentials.StaticCredentialsProvider(
        bucket.access_key_id.reveal(), bucket.access_key_secret.reveal()
    )
    config.region = bucket.region
    if bucket.endpoint:
        config.endpoint = bucket.endpoint  # an IP host makes the SDK use path-style addressing
    # Timeouts are those of every upload (httpconfig): the SDK's 20 s default is too short for large media.
    from ..httpconfig import current_settings

    upload = current_settings().upload
    config.connect_timeout = upload.connect
    config.readwrite_timeout = max(upload.read, upload.write)
    config.insecure_skip_verify = False  # TLS verification, as everywhere else: no off switch
    return oss.Client(config)


def put_and_presign(bucket: OwnBucket, path: Path, key: str) -> str:
    """Stream ``path`` to ``key`` and return a presigned GET URL valid for ``bucket.url_expires`` s."""
    oss = load_sdk()
    size = path.stat().st_size
    client = make_client(oss, bucket)
    with path.open("rb") as handle:  # a missing or unreadable file is the caller's OSError, not OSS's
        try:
            client.put_object(
                oss.PutObjectRequest(bucket=bucket.bucket, key=key, body=handle, content_length=size)
            )
            signed = client.presign(
                oss.GetObjectRequest(bucket=bucket.bucket, key=key),
                expires=datetime.timedelta(seconds=bucket.url_expires),
            )
        except Exception as err:
            raise translate(oss, err, bucket) from None
    log.debug("uploaded %s (%d bytes) to OSS bucket %s as %s", path.name, size, bucket.bucket, key)
    return str(signed.url)


def translate(oss: Any, err: BaseException, bucket: OwnBucket) -> QwenSkillsError:
    """Our error for an SDK failure: status, code and a short scrubbed message only."""
    exc = oss.exceptions
    inner = _innermost(exc, err)
    if isinstance(inner, exc.ServiceError):
        code = inner.code or None
        hint = _HINTS.get(code or "")
        if hint:
            hint = hint.format(
                id=bucket.access_key_id.source, secret=bucket.access_key_secret.source, bucket=bucket.bucket
            )
        return ServiceError(
            int(inner.status_code or 0) or None,
            code,
            bucket.scrub(f"OSS upload failed: {_short(inner.message or 'no message')}"),
            request_id=bucket.scrub(inner.request_id) if inner.request_id else None,
            hint=hint,
        )
    if isinstance(inner, exc.InconsistentError):
        return ServiceError(None, "UploadCorrupted", "OSS stored bytes whose CRC-64 differs from the file; retry")
    host = _host(bucket)
    if isinstance(inner, exc.ResponseError):
        return TransportError(bucket.scrub(f"OSS at {host} did not answer in time: {_reason(inner)}"))
    if isinstance(inner, exc.RequestError):
        return TransportError(bucket.scrub(f"could not reach OSS at {host}: {_reason(inner)}"))
    if isinstance(inner, exc.CredentialsBaseError):
        return ConfigError("the OSS credentials are empty; set QWEN_TMP_OSS_AK_ID and QWEN_TMP_OSS_AK_SECRET")
    return ServiceError(None, "OssClientError", bucket.scrub(f"OSS upload failed: {_short(str(inner))}"))


def _innermost(exc: Any, err: BaseException) -> BaseException:
    """Unwrap OperationError (and friends) down to the error that says what happened."""
    seen = 0
    while isinstance(err, exc.OperationError) and seen < 5:
        wrapped = err.unwrap()
        if not isinstance(wrapped, BaseException):
            break
        err, seen = wrapped, seen + 1
    return err


def _reason(err: Any) -> str:
    cause: Optional[BaseException] = err.unwrap() if hasattr(err, "unwrap") else None
    if not isinstance(cause, BaseException):
        return _short(str(err))
    return _short(f"{type(cause).__name__}: {cause}")


def _host(bucket: OwnBucket) -> str:
    if bucket.endpoint:
        return urlsplit(bucket.endpoint).netloc
    return f"oss-{bucket.region}.aliyuncs.com"


def _short(text: str) -> str:
    text = " ".join(str(text).split())
    return text if len(text) <= MESSAGE_LIMIT else text[: MESSAGE_LIMIT - 3] + "..."
