"""Where to send requests and where to keep state.

Region table → base URL; QWEN_BASE_URL overrides the host (the native path
/api/v1 is appended to its scheme and host); QWEN_REGION=none uses
QWEN_BASE_URL verbatim. State lives in the platformdirs user state dir unless
QWEN_SKILLS_HOME says otherwise.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional
from urllib.parse import urlsplit

from .environment import Environment
from .errors import ConfigError

DEFAULT_REGION = "ap-southeast-1"
API_PATH = "/api/v1"
REGIONS = {
    "ap-southeast-1": "https://dashscope-intl.aliyuncs.com/api/v1",
    "cn-beijing": "https://dashscope.aliyuncs.com/api/v1",
    "us-east-1": "https://dashscope-us.aliyuncs.com/api/v1",
}
VERBATIM_REGION = "none"
PRICING_URL = "https://docs.qwencloud.com/developer-guides/getting-started/pricing"


@dataclass(frozen=True)
class Endpoint:
    base_url: str
    region: str
    source: str


def resolve_base_url(env: Optional[Environment] = None) -> Endpoint:
    env = env or Environment()
    region = (env.get("QWEN_REGION") or DEFAULT_REGION).strip()
    override = (env.get("QWEN_BASE_URL") or "").strip()
    if region.lower() == VERBATIM_REGION:
        if not override:
            raise ConfigError(
                "QWEN_REGION=none means 'use QWEN_BASE_URL exactly as given', but QWEN_BASE_URL is not set. "
                "Set QWEN_BASE_URL (e.g. https://dashscope-intl.aliyuncs.com/api/v1) or unset QWEN_REGION."
            )
        return Endpoint(override.rstrip("/"), region, "QWEN_BASE_URL (verbatim)")
    if region not in REGIONS:
        raise ConfigError(
            f"QWEN_REGION={region!r} is not a known region; allowed: {', '.join(REGIONS)} or 'none'. "
            "Fix: set QWEN_REGION to one of them, or QWEN_REGION=none with QWEN_BASE_URL."
        )
    if override:
        parts = urlsplit(override)
        if parts.scheme not in ("http", "https") or not parts.netloc:
            raise ConfigError(
                f"QWEN_BASE_URL={override!r} is not an http(s) URL; fix: e.g. QWEN_BASE_URL=https://host"
            )
        return Endpoint(f"{parts.scheme}://{parts.netloc}{API_PATH}", region, "QWEN_BASE_URL")
    return Endpoint(REGIONS[region], region, f"region {region}")


def state_dir(env: Optional[Environment] = None, create: bool = True) -> Path:
    """Where the ledger, caches and update-check state live; never inside a skill."""
    env = env or Environment()
    override = env.get("QWEN_SKILLS_HOME")
    if override:
        path = Path(override).expanduser()
    else:
        import platformdirs

        path = Path(platformdirs.user_state_dir("qwencloud-skills", appauthor=False))
    if create:
        path.mkdir(parents=True, exist_ok=True)
    return path
