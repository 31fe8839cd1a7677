"""Workflow tools: a billed plan without confirm is only shown (nothing sent, nothing recorded); with confirm
it runs in the server's background to a final file that workflow_status names; a free plan needs no confirm."""

from __future__ import annotations

from pathlib import Path

import pytest
from mcpharness import structured, submits, text
from workflowplugin import PLUGIN_SOURCE

pytest.importorskip("mcp.client.stdio")  # the SDK itself: a bare "mcp" would find this folder
pytestmark = pytest.mark.slow


async def until_done(session, workflow_id: str, limit: float = 90.0):
    """workflow_status until the run has ended (or ``limit`` seconds passed)."""
    import anyio

    with anyio.move_on_after(limit):
        while True:
            status = await session.call("workflow_status", {"workflow_id": workflow_id})
            if structured(status)["status"] in ("done", "failed", "stopped"):
                return status
            await anyio.sleep(0.3)
    return status


def test_a_billed_workflow_sends_nothing_without_confirm_and_runs_with_it(served, install_plugin) -> None:
    from qwencloud_skills.ledger import Ledger
    from qwencloud_skills.mediaops.probe import probe
    from qwencloud_skills.workflows.store import WorkflowStore

    install_plugin("acme_pair_flow", PLUGIN_SOURCE, dist="acme-pair-flow")
    counts = {}

    async def script(session):
        shown = await session.call("workflow_pair", {"prompt": "a lighthouse", "seconds": 2})
        counts["after_plan"] = (len(served.emulator.requests), len(WorkflowStore(Ledger.default()).list()))
        started = await session.call("workflow_pair", {"prompt": "a lighthouse", "seconds": 2, "confirm": True})
        finished = await until_done(session, structured(started)["workflow_id"])
        again = await session.call("workflow_resume", {"workflow_id": structured(started)["workflow_id"]})
        return shown, started, finished, again

    shown, started, finished, again = served.run(script)
    plan = structured(shown)
    assert not shown.is_error and plan["started"] is False and plan["sent"] is False
    assert [step["id"] for step in plan["plan"]["steps"]] == ["clip-a", "clip-b", "join", "stamp"]
    assert plan["billed"] == {"s of 720P video": 4.0} and "confirm: true" in text(shown)
    assert counts["after_plan"] == (0, 0)  # nothing sent, nothing recorded

    assert not started.is_error and structured(started)["started"] is True
    done = structured(finished)
    assert done["status"] == "done", text(finished)
    assert [step["status"] for step in done["steps"]] == ["done"] * 4
    final = Path(done["final"])
    assert final.is_file() and final.parent == served.cwd / "output" / "qwencloud-video-generation"
    assert abs(probe(final).duration - 4) <= 0.1 and f"Final file: {final}" in text(finished)
    assert len(submits(served.emulator)) == 2
    assert structured(again)["started"] is False and "done already" in text(again)


def test_a_workflow_that_bills_nothing_runs_without_confirm(served) -> None:
    from video.workflows.helpers import make_clip, make_tone

    from qwencloud_skills.mediaops.probe import probe

    clip = make_clip(served.cwd / "silent.mp4", 3, audio=False)
    tone = make_tone(served.cwd / "music.wav", 5)

    async def script(session):
        started = await session.call("workflow_soundtrack", {"video": str(clip), "audio": str(tone)})
        return started, await until_done(session, structured(started)["workflow_id"])

    started, finished = served.run(script)
    assert structured(started)["started"] is True and structured(started)["billed"] == {}
    final = Path(structured(finished)["final"])
    info = probe(final)
    assert info.has_audio and abs(info.duration - 3) <= 0.1
    assert served.emulator.requests == []


def test_bad_workflow_options_are_an_error_result_and_nothing_is_sent(served) -> None:
    async def script(session):
        return (await session.call("workflow_long_video", {"prompt": "a fox", "duration": -4, "confirm": True}),
                await session.call("workflow_status", {"workflow_id": "wf-nope"}))

    refused, unknown = served.run(script)
    assert refused.is_error and "duration" in text(refused) and "Nothing was sent." in text(refused)
    assert unknown.is_error and "wf-nope" in text(unknown)
    assert served.emulator.requests == []
