"""The own-bucket settings, read and checked before any network call.

Every problem names the variable to set, so a person (or an agent) can fix the
.env file without guessing. The access key pair is wrapped in :class:`ApiKey`
at once: repr(), str() and error texts only ever show a mask.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Dict, Optional, Tuple
from urllib.parse import quote, urlsplit

from ..environment import Environment
from ..errors import ConfigError
from ..secrets import MASK, ApiKey, redact

BUCKET_VAR = "QWEN_TMP_OSS_BUCKET"
REGION_VAR = "QWEN_TMP_OSS_REGION"
ENDPOINT_VAR = "QWEN_TMP_OSS_ENDPOINT"
PREFIX_VAR = "QWEN_TMP_OSS_PREFIX"
EXPIRES_VAR = "QWEN_TMP_OSS_URL_EXPIRES"
# The tool's own pair wins over the generic OSS pair, which may belong to another account.
CREDENTIAL_PAIRS = (
    ("QWEN_TMP_OSS_AK_ID", "QWEN_TMP_OSS_AK_SECRET"),
    ("OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET"),
)

DEFAULT_PREFIX = "qwencloud-skills/"
DEFAULT_URL_EXPIRES = 24 * 3600
MIN_URL_EXPIRES = 60
MAX_URL_EXPIRES = 7 * 24 * 3600  # the longest an OSS V4 signed URL may live
MAX_PREFIX_BYTES = 700  # leaves room for the hash folder and a 255-byte file name within OSS's 1023

_BUCKET_RE = re.compile(r"^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$")
_REGION_RE = re.compile(r"^[a-z0-9-]+$")
_HASH_RE = re.compile(r"^[0-9a-f]{16,}$")


@dataclass(frozen=True)
class OwnBucket:
    """Where and how local files go when the user brings their own OSS bucket."""

    bucket: str
    region: str
    access_key_id: ApiKey
    access_key_secret: ApiKey
    endpoint: Optional[str] = None
    prefix: str = DEFAULT_PREFIX
    url_expires: int = DEFAULT_URL_EXPIRES

    def __post_init__(self) -> None:
        # Plain strings are accepted for convenience but stored only as masked secrets.
        for name in ("access_key_id", "access_key_secret"):
            value = getattr(self, name)
            if not isinstance(value, ApiKey):
                object.__setattr__(self, name, ApiKey(value, source=name))

    def object_key(self, path: Path, content_hash: str) -> str:
        """``<prefix><hash[:16]>/<file name>``: the same bytes always land on the same key."""
        digest = content_hash.lower()
        if not _HASH_RE.match(digest):
            raise ValueError("content_hash must be a hex digest of at least 16 characters")
        return f"{self.prefix}{digest[:16]}/{Path(path).name}"

    def upload(self, path: Path, content_hash: str) -> str:
        """Put ``path`` into the bucket and return a presigned https GET URL for it."""
        from .sdk import put_and_presign

        return put_and_presign(self, Path(path), self.object_key(path, content_hash))

    def scrub(self, text: str) -> str:
        """``text`` with the access key id and secret masked, also in URL-encoded form."""
        text = redact(text, self.secrets)
        for secret in self.secrets:
            encoded = quote(secret.reveal(), safe="")
            if encoded in text:
                text = text.replace(encoded, MASK)
        return text

    @property
    def secrets(self) -> Tuple[ApiKey, ApiKey]:
        return (self.access_key_id, self.access_key_secret)

    def status(self) -> Dict[str, object]:
        """What doctor-style reports may show: never a credential value."""
        return {
            "bucket": self.bucket,
            "region": self.region,
            "endpoint": self.endpoint or "(from region)",
            "prefix": self.prefix,
            "url_expires": self.url_expires,
            "credentials": self.access_key_id.source,
        }


def own_bucket_settings(env: Environment) -> Optional[OwnBucket]:
    """The own-bucket settings, or None when QWEN_TMP_OSS_BUCKET is unset.

    Raises ConfigError (exit code 4) naming the variable to fix when the bucket is
    set but anything else is missing or malformed, or the SDK is not installed.
    """
    bucket = env.get(BUCKET_VAR)
    if bucket is None:
        return None
    name = _bucket(bucket.strip())
    region = _region(env.get(REGION_VAR))
    key_id, key_secret = _credentials(env)
    settings = OwnBucket(
        bucket=name,
        region=region,
        access_key_id=key_id,
        access_key_secret=key_secret,
        endpoint=_endpoint(env.get(ENDPOINT_VAR)),
        prefix=_prefix(env.get(PREFIX_VAR)),
        url_expires=_url_expires(env.get(EXPIRES_VAR)),
    )
    from .sdk import require_sdk

    require_sdk()
    return settings


def _bucket(value: str) -> str:
    if not _BUCKET_RE.match(value):
        raise ConfigError(
            f"{BUCKET_VAR}={value!r} is not an OSS bucket name; allowed: 3-63 lowercase letters, digits and "
            f"hyphens, not starting or ending with a hyphen. Fix: set {BUCKET_VAR} to the bare bucket name "
            "(no oss:// and no domain)."
        )
    return value


def _region(value: Optional[str]) -> str:
    if value is None:
        raise ConfigError(
            f"{BUCKET_VAR} is set but {REGION_VAR} is not. Fix: set {REGION_VAR} to the bucket's region, "
            "e.g. cn-hangzhou or ap-southeast-1."
        )
    region = value.strip().lower()
    if region.startswith("oss-"):  # people often copy the endpoint's host part
        region = region[len("oss-"):]
    if not _REGION_RE.match(region):
        raise ConfigError(
            f"{REGION_VAR}={value!r} is not a region id; allowed: lowercase letters, digits and hyphens, "
            f"e.g. cn-hangzhou. Fix: set {REGION_VAR} to the bucket's region."
        )
    return region


def _credentials(env: Environment) -> Tuple[ApiKey, ApiKey]:
    for id_var, secret_var in CREDENTIAL_PAIRS:
        key_id, secret = env.lookup(id_var), env.lookup(secret_var)
        if key_id is None and secret is None:
            continue
        if key_id is None or secret is None:
            have, missing = (id_var, secret_var) if secret is None else (secret_var, id_var)
            raise ConfigError(f"{have} is set but {missing} is not. Fix: set {missing} (they are used as a pair).")
        return _secret(key_id, id_var), _secret(secret, secret_var)
    (own_id, own_secret), (std_id, std_secret) = CREDENTIAL_PAIRS
    raise ConfigError(
        f"{BUCKET_VAR} is set but no OSS credentials were found. Fix: set {own_id} and {own_secret} "
        f"(or {std_id} and {std_secret}) in .env or the environment, for a RAM user limited to "
        "oss:PutObject and oss:GetObject on that bucket."
    )


def _secret(found: Tuple[str, str], name: str) -> ApiKey:
    value, source = found
    return ApiKey(value, source=f"{name} from {'environment' if source == 'env' else source}")


def _endpoint(value: Optional[str]) -> Optional[str]:
    if value is None:
        return None
    text = value.strip().rstrip("/")
    full = text if "://" in text else f"https://{text}"
    parts = urlsplit(full)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.path or parts.query:
        raise ConfigError(
            f"{ENDPOINT_VAR}={value!r} is not an OSS endpoint; allowed: a host name with optional https:// "
            f"(e.g. oss-cn-hangzhou.aliyuncs.com). Fix: set {ENDPOINT_VAR} to the host, or unset it to use "
            f"the region's public endpoint."
        )
    return full


def _prefix(value: Optional[str]) -> str:
    if value is None:
        return DEFAULT_PREFIX
    prefix = value.strip().lstrip("/")
    if prefix and not prefix.endswith("/"):
        prefix += "/"
    if prefix.startswith("\\") or len(prefix.encode("utf-8")) > MAX_PREFIX_BYTES:
        raise ConfigError(
            f"{PREFIX_VAR}={value!r} cannot start an OSS object key; allowed: a folder path such as "
            f"{DEFAULT_PREFIX!r}, at most {MAX_PREFIX_BYTES} bytes. Fix: change or unset {PREFIX_VAR}."
        )
    return prefix


def _url_expires(value: Optional[str]) -> int:
    if value is None:
        return DEFAULT_URL_EXPIRES
    try:
        seconds = int(value.strip())
    except ValueError:
        seconds = None
    if seconds is None or not MIN_URL_EXPIRES <= seconds <= MAX_URL_EXPIRES:
        raise ConfigError(
            f"{EXPIRES_VAR}={value!r} is not allowed; allowed: whole seconds from {MIN_URL_EXPIRES} to "
            f"{MAX_URL_EXPIRES} (7 days, the OSS limit for signed URLs). Fix: set {EXPIRES_VAR} in that range "
            f"or unset it for the default {DEFAULT_URL_EXPIRES} (24 hours)."
        )
    return seconds
