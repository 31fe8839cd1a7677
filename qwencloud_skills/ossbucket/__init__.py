"""Upload local files to the user's own OSS bucket instead of DashScope temporary storage.

Temporary storage keeps files 48 h and allows 100 uploads per second; for production
the seed lets users name their own bucket with ``QWEN_TMP_OSS_*`` settings. Files are
put with the ``alibabacloud-oss-v2`` SDK (the optional ``[oss]`` extra, imported only
when an upload happens) and handed to the service as presigned https GET URLs.
"""

from .sdk import INSTALL_FIX, require_sdk, sdk_available
from .settings import (
    DEFAULT_PREFIX,
    DEFAULT_URL_EXPIRES,
    MAX_URL_EXPIRES,
    MIN_URL_EXPIRES,
    OwnBucket,
    own_bucket_settings,
)

__all__ = [
    "DEFAULT_PREFIX",
    "DEFAULT_URL_EXPIRES",
    "INSTALL_FIX",
    "MAX_URL_EXPIRES",
    "MIN_URL_EXPIRES",
    "OwnBucket",
    "own_bucket_settings",
    "require_sdk",
    "sdk_available",
]
