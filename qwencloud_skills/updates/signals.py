"""The stderr lines agents act on: [ACTION_REQUIRED] and [UPDATE_AVAILABLE].

SKILL.md tells agents to scan a command's stderr for these tags after every
job, so the wording here is an interface: keep the tags, the three choices and
the exact commands stable.
"""

from __future__ import annotations

import os
import sys
from typing import TYPE_CHECKING, List, Optional, TextIO, Tuple

from ..environment import Environment
from . import state as store

if TYPE_CHECKING:  # pragma: no cover
    from . import check

# check and versions (threads, the sys.path scan) load only once checks are enabled, packaging only
# when versions are compared: a job whose user chose --never or --dismiss, or CI, pays nothing for them.

ACTION_TAG = "[ACTION_REQUIRED]"
UPDATE_TAG = "[UPDATE_AVAILABLE]"
JOIN_BUDGET = 0.05  # seconds after its start a check may delay emit_signals; the job must not feel it
REMIND_INTERVAL = 24 * 3600.0  # the same update is announced at most once a day


def _quote(path: str) -> str:
    return f'"{path}"'


def cli_command() -> str:
    """How to call our CLI from here: the console script if PATH finds this install's, else ``python -m``."""
    import shutil

    script = shutil.which("qwencloud-skills")
    here = os.path.dirname(os.path.abspath(sys.executable))
    if script and os.path.dirname(os.path.abspath(script)) == here:
        return "qwencloud-skills"
    return f"{_quote(sys.executable)} -m qwencloud_skills"


def upgrade_command(distribution: str, version: str) -> str:
    """The pip command for this interpreter; ``--pre`` when the offer is a pre-release."""
    from .versions import parse

    parsed = parse(version)
    pre = " --pre" if parsed is not None and parsed.is_prerelease else ""
    return f"{_quote(sys.executable)} -m pip install -U{pre} {distribution}"


def action_required_lines() -> List[str]:
    cmd = f"{cli_command()} update-check"
    return [
        f"{ACTION_TAG} Update checks for qwencloud-skills are not set up. Before going on, offer the user"
        " these three choices, wait for the answer, then run the command for the one they pick:",
        f"  1) enable (look for new releases once a day): {cmd} --enable"
        f" | 2) skip for now (ask again in 24 hours): {cmd} --dismiss"
        f" | 3) never (stop asking, no checks): {cmd} --never",
    ]


def update_line(distribution: str, installed: str, latest: str) -> str:
    return (
        f"{UPDATE_TAG} {distribution} {latest} is available (installed: {installed}). "
        f"Upgrade: {upgrade_command(distribution, latest)}"
    )


def offers(current: store.UpdateState, dists: List[check.Installed]) -> List[Tuple[check.Installed, str]]:
    """(distribution, newer release) for every installed distribution the cache knows a newer release of."""
    from .versions import choose

    found = []
    for dist in dists:
        cached = current.releases.get(dist.key)
        if cached is None:
            continue
        latest = choose(dist.version, cached.latest, cached.latest_pre)
        if latest:
            found.append((dist, latest))
    return found


def _announced_recently(current: store.UpdateState, key: str, version: str, now: float) -> bool:
    seen = current.announced.get(key)
    return bool(seen) and seen["version"] == version and 0 <= now - seen["at"] < REMIND_INTERVAL


def _pending_lines(now: float) -> List[str]:
    env = Environment()
    if store.disabled(env):
        return []
    path = store.state_path()
    current = store.load(path)
    if current.mode == store.NEVER:
        return []
    if current.dismissed_until is not None and now < current.dismissed_until:
        return []
    if current.mode == store.UNCONFIGURED:
        return action_required_lines()
    from . import check

    dists = check.installed_distributions()
    thread = check.start_background(dists, now, path, check.index_base(env))
    if thread is not None and check.wait(JOIN_BUDGET):
        current = store.load(path)
    fresh = [(d, v) for d, v in offers(current, dists) if not _announced_recently(current, d.key, v, now)]
    if fresh:
        mark_announced(fresh, now)
    return [update_line(d.name, d.version, v) for d, v in fresh]


def mark_announced(items: List[Tuple[check.Installed, str]], now: float) -> None:
    def change(current: store.UpdateState) -> None:
        for dist, version in items:
            current.announced[dist.key] = {"version": version, "at": now}

    store.update(change)


def start_check(now: Optional[float] = None) -> None:
    """Start the background check early (e.g. when a job begins) so it has the whole job to finish.

    Does nothing unless checks are enabled and one is due; never raises.
    """
    try:
        env = Environment()
        if store.disabled(env):
            return
        moment = store.now() if now is None else now
        current = store.load()
        if current.mode != store.ENABLED or (current.dismissed_until is not None and moment < current.dismissed_until):
            return
        from . import check

        check.start_background(check.installed_distributions(), moment, store.state_path(), check.index_base(env))
    except Exception:
        return


def pending_signals(*, now: Optional[float] = None) -> List[str]:
    """The update-check signals due now, as lines (for callers that show them elsewhere, e.g. a tool result).

    The same lines and bookkeeping as :func:`emit_signals` (an update offer counts as announced), never raises.
    """
    try:
        return _pending_lines(store.now() if now is None else now)
    except Exception:
        return []


def emit_signals(stream: Optional[TextIO] = None, *, now: Optional[float] = None) -> List[str]:
    """Print the update-check signals to ``stream`` (stderr) and return them; never raises.

    Waits for a check still running only until JOIN_BUDGET after it started
    (so not at all when start_check() ran at the start of the job); an
    unanswered or failed check prints nothing and is retried on a later run.
    """
    lines = pending_signals(now=now)
    if not lines:
        return []
    out = stream if stream is not None else sys.stderr
    try:
        for line in lines:
            out.write(line + "\n")
        out.flush()
    except (OSError, ValueError):
        pass
    return lines
