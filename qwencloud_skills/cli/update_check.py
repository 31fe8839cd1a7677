"""`qwencloud-skills update-check`: answer the [ACTION_REQUIRED] prompt, show the state, or check now.

A plain run (or ``--now``) is the "user asked to check for updates" path: it
asks the index right away, whatever the cache says, and always exits 0.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any, Dict, List, Optional

import click

DISMISS_SECONDS = 24 * 3600.0


def _iso(moment: Optional[float]) -> Optional[str]:
    if moment is None:
        return None
    return datetime.fromtimestamp(moment, tz=timezone.utc).isoformat(timespec="seconds").replace("+00:00", "Z")


def _status(now: float) -> Dict[str, Any]:
    from ..updates import check
    from ..updates import state as store
    from ..updates.signals import offers
    from ..updates.versions import DEFAULT_INDEX

    current = store.load()
    dists = check.installed_distributions()
    newer = {d.key: v for d, v in offers(current, dists)}
    rows = []
    for dist in dists:
        cached = current.releases.get(dist.key)
        rows.append({
            "name": dist.name,
            "installed": dist.version,
            "latest": cached.latest if cached else None,
            "latest_prerelease": cached.latest_pre if cached else None,
            "checked_at": _iso(cached.checked_at) if cached else None,
            "update_available": newer.get(dist.key),
        })
    dismissed = current.dismissed_until if current.dismissed_until and current.dismissed_until > now else None
    return {
        "mode": current.mode,
        "dismissed_until": _iso(dismissed),
        "disabled_by_env": check.disabled(),
        "index": check.index_base() or DEFAULT_INDEX,
        "state_file": str(store.state_path()),
        "last_failure": _iso(current.last_failure),
        "distributions": rows,
    }


def _print_status(report: Dict[str, Any]) -> None:
    click.echo(f"mode: {report['mode']}")
    if report["dismissed_until"]:
        click.echo(f"quiet until: {report['dismissed_until']}")
    if report["disabled_by_env"]:
        click.echo("off: QWEN_SKILLS_NO_UPDATE_CHECK is set (no checks, no signals)")
    click.echo(f"index: {report['index']}")
    click.echo(f"state file: {report['state_file']}")
    if report["last_failure"]:
        click.echo(f"last failed check: {report['last_failure']}")
    for row in report["distributions"]:
        if row["checked_at"] is None:
            detail = "not checked yet"
        elif row["latest"] is None and row["latest_prerelease"] is None:
            detail = f"not on the index (checked {row['checked_at']})"
        else:
            detail = f"latest {row['latest'] or row['latest_prerelease']} (checked {row['checked_at']})"
        if row["update_available"]:
            detail += f", update available: {row['update_available']}"
        click.echo(f"{row['name']} {row['installed']}: {detail}")


def _check_now(now: float, fmt: str) -> None:
    from ..updates import check
    from ..updates import state as store
    from ..updates.signals import action_required_lines, mark_announced, offers, update_line, upgrade_command
    from ..updates.versions import DEFAULT_INDEX

    dists = check.installed_distributions()
    base = check.index_base()
    outcome, current = check.check_now(dists, now, store.state_path(), base)
    newer = dict((d.key, v) for d, v in offers(current, dists))
    rows: List[Dict[str, Any]] = []
    for dist in dists:
        checked = dist.key in outcome.releases
        cached = outcome.releases.get(dist.key)
        latest = newer.get(dist.key)
        rows.append({
            "name": dist.name,
            "installed": dist.version,
            "latest": (cached.latest or cached.latest_pre) if cached else None,
            "checked": checked,
            "update_available": latest,
            "upgrade_command": upgrade_command(dist.name, latest) if latest else None,
        })
    if fmt == "json":
        click.echo(json.dumps({
            "checked_at": _iso(now), "index": base or DEFAULT_INDEX, "error": outcome.error, "distributions": rows,
        }, indent=2))
    else:
        for row in rows:
            if not row["checked"]:
                state_text = "not checked (the index did not answer)"
            elif row["update_available"]:
                state_text = f"{row['update_available']} available; upgrade: {row['upgrade_command']}"
            elif row["latest"] is None:
                state_text = "not on the package index"
            else:
                state_text = f"up to date (latest {row['latest']})"
            click.echo(f"{row['name']} {row['installed']}: {state_text}")
        if outcome.error:
            click.echo(f"Could not reach {base or DEFAULT_INDEX} ({outcome.error}); try again later.")
    updates = [(d, newer[d.key]) for d in dists if d.key in newer]
    for dist, version in updates:
        click.echo(update_line(dist.name, dist.version, version), err=True)
    if updates:
        mark_announced(updates, now)
    unanswered = current.mode == store.UNCONFIGURED and not (current.dismissed_until and now < current.dismissed_until)
    if unanswered and not check.disabled():
        for line in action_required_lines():
            click.echo(line, err=True)


def _set_mode(action: str, now: float) -> str:
    from ..updates import state as store
    from ..updates.signals import cli_command

    def change(current: store.UpdateState) -> None:
        if action == "enable":
            current.mode = store.ENABLED
            current.dismissed_until = None
        elif action == "never":
            current.mode = store.NEVER
            current.dismissed_until = None
        else:
            current.dismissed_until = now + DISMISS_SECONDS

    store.update(change)
    cmd = f"{cli_command()} update-check"
    if action == "enable":
        return "Update checks enabled: new releases are looked up at most once a day and reported on stderr."
    if action == "never":
        return f"Update checks turned off for good; to turn them on later run: {cmd} --enable"
    return f"Update-check signals silenced until {_iso(now + DISMISS_SECONDS)}."


@click.command("update-check")
@click.option("--enable", "action", flag_value="enable", help="Check for new releases (at most once a day).")
@click.option("--dismiss", "action", flag_value="dismiss", help="Stay quiet for 24 hours, then ask again.")
@click.option("--never", "action", flag_value="never", help="Never check and never ask again.")
@click.option("--status", "action", flag_value="status", help="Show the update-check state and cached versions.")
@click.option("--now", "action", flag_value="now", help="Check right away and print the result (the default).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
def update_check(action: Optional[str], fmt: str) -> None:
    """Configure update checks for qwencloud-skills and its plugins, or check now.

    Without an option: ask the package index now (ignoring the daily cache)
    and print, per installed distribution, whether a newer release exists.
    """
    from ..updates import state as store

    now = store.now()
    action = action or "now"
    if action == "now":
        _check_now(now, fmt)
        return
    message = None if action == "status" else _set_mode(action, now)
    report = _status(now)
    if fmt == "json":
        click.echo(json.dumps(report, indent=2))
    elif message:
        click.echo(message)
    else:
        _print_status(report)
