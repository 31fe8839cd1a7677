"""Where to send requests and where to keep state.

Region table → base URL; QWEN_BASE_URL overrides the host (the native path
/api/v1 is appended to its scheme and host); QWEN_REGION=none uses
QWEN_BASE_URL verbatim. QWEN_WORKSPACE_ID names the workspace whose host
(``https://{id}.{region}.maas.aliyuncs.com/api/v1``) serves the models that
are offered only there; QWEN_BASE_URL still wins when set. State lives in the platformdirs user state dir unless
QWEN_SKILLS_HOME says otherwise.
"""

from __future__ import annotations

import re
from collections import namedtuple
from pathlib import Path

from .environment import Environment
from .errors import ConfigError

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Optional, Tuple

DEFAULT_REGION = "ap-southeast-1"
API_PATH = "/api/v1"
REGIONS = {
    "ap-southeast-1": "https://dashscope-intl.aliyuncs.com/api/v1",
    "cn-beijing": "https://dashscope.aliyuncs.com/api/v1",
    "us-east-1": "https://dashscope-us.aliyuncs.com/api/v1",
}
VERBATIM_REGION = "none"
WORKSPACE_SETTING = "QWEN_WORKSPACE_ID"
WORKSPACE_HOST = "https://{workspace}.{region}.maas.aliyuncs.com/api/v1"
# Regions with workspace hosts; the last two have no shared default host in REGIONS.
WORKSPACE_REGIONS = ("ap-southeast-1", "cn-beijing", "us-east-1", "ap-northeast-1", "eu-central-1")
# One DNS label: lower-case letters, digits and inner hyphens (e.g. llm-abc123). Nothing that could change the host.
_WORKSPACE_ID = re.compile(r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?")
PRICING_URL = "https://docs.qwencloud.com/developer-guides/getting-started/pricing"


class Endpoint(namedtuple("Endpoint", ["base_url", "region", "source"])):
    """A host the API is called at (``base_url``: str), its ``region`` and where that choice came from
    (``source``, for doctor). A namedtuple: typing.NamedTuple would import typing on every start."""

    __slots__ = ()


def _region_and_override(env: Environment) -> Tuple[str, str]:
    return (env.get("QWEN_REGION") or DEFAULT_REGION).strip(), (env.get("QWEN_BASE_URL") or "").strip()


def resolve_base_url(env: Optional[Environment] = None) -> Endpoint:
    """The default host: QWEN_BASE_URL when set, else the region's shared host."""
    env = env or Environment()
    region, override = _region_and_override(env)
    if region.lower() == VERBATIM_REGION:
        if not override:
            raise ConfigError(
                "QWEN_REGION=none means 'use QWEN_BASE_URL exactly as given', but QWEN_BASE_URL is not set. "
                "Set QWEN_BASE_URL (e.g. https://dashscope-intl.aliyuncs.com/api/v1) or unset QWEN_REGION."
            )
        return Endpoint(override.rstrip("/"), region, "QWEN_BASE_URL (verbatim)")
    if override and region in WORKSPACE_REGIONS:
        return _override_endpoint(override, region, "QWEN_BASE_URL")
    if region in WORKSPACE_REGIONS and region not in REGIONS:
        raise ConfigError(
            f"QWEN_REGION={region!r} has no shared default host: only models served from workspace hosts can be "
            f"used there, with {WORKSPACE_SETTING} set. Fix: pick such a model, or set QWEN_REGION to one of "
            f"{', '.join(REGIONS)} for the others."
        )
    if region not in REGIONS:
        raise ConfigError(
            f"QWEN_REGION={region!r} is not a known region; allowed: {', '.join(REGIONS)} or 'none' "
            f"(with {WORKSPACE_SETTING} also: {', '.join(r for r in WORKSPACE_REGIONS if r not in REGIONS)}). "
            "Fix: set QWEN_REGION to one of them, or QWEN_REGION=none with QWEN_BASE_URL."
        )
    return Endpoint(REGIONS[region], region, f"region {region}")


def _override_endpoint(override: str, region: str, source: str) -> Endpoint:
    from urllib.parse import urlsplit

    parts = urlsplit(override)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"QWEN_BASE_URL={override!r} is not an http(s) URL; fix: e.g. QWEN_BASE_URL=https://host")
    return Endpoint(f"{parts.scheme}://{parts.netloc}{API_PATH}", region, source)


def workspace_id(env: Optional[Environment] = None) -> Optional[str]:
    """QWEN_WORKSPACE_ID, checked strictly (it becomes part of a host name); None when not set."""
    env = env or Environment()
    value = (env.get(WORKSPACE_SETTING) or "").strip()
    if not value:
        return None
    if _WORKSPACE_ID.fullmatch(value):
        return value
    hint = ""
    if ".maas.aliyuncs.com" in value or "://" in value:
        hint = " It looks like a URL: give only the ID, the first part of the workspace host name."
    elif value.lower() != value and _WORKSPACE_ID.fullmatch(value.lower()):
        hint = f" Write it in lower case: {value.lower()}."
    shown = value if len(value) <= 80 else value[:80] + "..."
    raise ConfigError(
        f"{WORKSPACE_SETTING}={shown!r} is not a workspace ID: allowed are 1-63 lower-case letters, digits and "
        f"hyphens (not first or last), e.g. llm-abc123.{hint} Fix: copy the workspace ID from the Model Studio "
        f"console into {WORKSPACE_SETTING}, or unset it."
    )


def resolve_workspace_url(env: Optional[Environment] = None) -> Optional[Endpoint]:
    """The workspace host from QWEN_WORKSPACE_ID and QWEN_REGION; None when no workspace is set.

    QWEN_BASE_URL (or QWEN_REGION=none) still wins, so tests and the emulator
    serve workspace models too, but only once a workspace ID is set.
    """
    env = env or Environment()
    workspace = workspace_id(env)
    if workspace is None:
        return None
    region, override = _region_and_override(env)
    if override or region.lower() == VERBATIM_REGION:
        base = resolve_base_url(env)
        return Endpoint(base.base_url, base.region, f"{base.source}, {WORKSPACE_SETTING} set")
    if region not in WORKSPACE_REGIONS:
        raise ConfigError(
            f"QWEN_REGION={region!r} has no workspace hosts; allowed with {WORKSPACE_SETTING}: "
            f"{', '.join(WORKSPACE_REGIONS)}. Fix: set QWEN_REGION to the region of workspace {workspace}."
        )
    url = WORKSPACE_HOST.format(workspace=workspace, region=region)
    return Endpoint(url, region, f"workspace {workspace} in region {region}")


def require_workspace_url(env: Optional[Environment], model: Optional[str] = None) -> Endpoint:
    """The workspace host (for ``model``, which is served only there); a ConfigError saying how to set one."""
    endpoint = resolve_workspace_url(env)
    if endpoint is not None:
        return endpoint
    host = WORKSPACE_HOST.format(workspace="WorkspaceId", region="REGION")
    what = f"Model {model} is served only from a workspace host" if model else "This needs a workspace host"
    raise ConfigError(
        f"{what} ({host}), "
        f"and {WORKSPACE_SETTING} is not set; nothing was sent. Fix: set {WORKSPACE_SETTING} to your Model Studio "
        f"workspace ID (e.g. `export {WORKSPACE_SETTING}=llm-abc123` or a line in .env) and QWEN_REGION to the "
        f"workspace's region ({', '.join(WORKSPACE_REGIONS)}; default {DEFAULT_REGION})."
    )


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
