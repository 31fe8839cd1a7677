"""`qwencloud-skills doctor`: is this machine ready? Never shows the key, only set/not set."""

from __future__ import annotations

import json
import os
import platform
import shutil
import sys
from typing import Any, Dict

import click


def _probe_base_url(base_url: str) -> str:
    import httpx

    from ..httpconfig import sync_client

    try:
        with sync_client("api", timeout=5.0) as http:
            response = http.get(base_url.rstrip("/") + "/tasks/doctor-probe")
    except httpx.HTTPError as exc:
        return f"unreachable ({type(exc).__name__})"
    # The probe carries no key on purpose, so 401 here means "reachable", not "key rejected".
    return f"reachable (HTTP {response.status_code} to a probe sent without a key)"


def _ffmpeg() -> str:
    found = shutil.which("ffmpeg")
    if found:
        return found
    try:
        import imageio_ffmpeg

        return imageio_ffmpeg.get_ffmpeg_exe()
    except Exception:
        return "not found"


def _own_bucket(env: Any) -> Any:
    """QWEN_TMP_OSS_* status: not configured, its settings (no credential values), or what is wrong."""
    from ..errors import ConfigError
    from ..ossbucket import own_bucket_settings

    try:
        bucket = own_bucket_settings(env)
    except ConfigError as exc:
        return f"misconfigured: {exc}"
    return bucket.status() if bucket is not None else "not configured (temporary storage is used)"


def _workspace(env: Any, base_url: Any, check_network: bool) -> Dict[str, Any]:
    """Which host serves workspace-only models: QWEN_WORKSPACE_ID's host, QWEN_BASE_URL, or none."""
    from ..errors import ConfigError
    from ..settings import WORKSPACE_SETTING, resolve_workspace_url

    try:
        endpoint = resolve_workspace_url(env)
    except ConfigError as exc:
        return {"workspace_url": None, "workspace_url_status": str(exc)}
    if endpoint is None:
        return {"workspace_url": None,
                "workspace_url_status": f"{WORKSPACE_SETTING} not set: models served only from workspace hosts "
                                        "cannot be used"}
    if endpoint.base_url == base_url:
        status = "same host as base_url"
    else:
        status = _probe_base_url(endpoint.base_url) if check_network else "not checked"
    return {"workspace_url": endpoint.base_url, "workspace_url_source": endpoint.source,
            "workspace_url_status": status}


def collect(check_network: bool = True) -> Dict[str, Any]:
    from .. import __version__
    from ..credentials import key_status
    from ..environment import Environment
    from ..errors import ConfigError
    from ..plugins import get_host
    from ..settings import resolve_base_url, state_dir

    env = Environment()
    report: Dict[str, Any] = {
        "python": platform.python_version(),
        "qwencloud_skills": __version__,
        "plugins": [
            {"name": p.name, "distribution": p.distribution, "version": p.version} for p in get_host().plugins.values()
        ],
    }
    report.update(key_status(env))
    try:
        endpoint = resolve_base_url(env)
        report["base_url"] = endpoint.base_url
        report["base_url_source"] = endpoint.source
        report["base_url_status"] = _probe_base_url(endpoint.base_url) if check_network else "not checked"
    except ConfigError as exc:
        report["base_url"] = None
        report["base_url_status"] = str(exc)
    report.update(_workspace(env, report["base_url"], check_network))
    try:
        home = state_dir(env)
        writable = os.access(home, os.W_OK)
        report["state_dir"] = str(home)
        report["state_dir_writable"] = writable
    except OSError as exc:
        report["state_dir"] = None
        report["state_dir_writable"] = False
        report["state_dir_error"] = exc.strerror
    report["own_bucket"] = _own_bucket(env)
    report["ffmpeg"] = _ffmpeg()
    from ..mediaops.ffmpeg import describe  # which one the media commands run: path (system/bundled)
    report["media_ffmpeg"] = describe()
    report["executable"] = sys.executable
    return report


@click.command("doctor")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@click.option("--offline", is_flag=True, help="Do not contact the base URL.")
def doctor(fmt: str, offline: bool) -> None:
    """Check Python, packages, plugins, API key (set/not set), hosts (base and workspace URL), state dir, ffmpeg."""
    report = collect(check_network=not offline)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
        return
    for name, value in report.items():
        if name == "plugins":
            value = ", ".join(f"{p['name']} ({p['distribution']} {p['version']})" for p in value) or "none"
        elif isinstance(value, list):
            value = "; ".join(str(item) for item in value)
        click.echo(f"{name:20} {value}")
    if str(report.get("api_key", "")).startswith("set (invalid"):
        click.echo(f"Warning: the API key ({report.get('source')}) cannot be used as it is: copy the bare key "
                   "again from the QwenCloud Console into that place yourself (value not shown).", err=True)
    if report.get("coding_plan"):
        click.echo("Warning: Coding Plan key (sk-sp-...): the generation models are not available on that plan.",
                   err=True)
