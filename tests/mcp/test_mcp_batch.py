"""batch_submit / batch_status through the MCP server: priced first (nothing sent), then run in the background."""

from __future__ import annotations

import asyncio

import pytest
from mcpharness import structured, submits, text

pytest.importorskip("mcp.client.stdio")  # the SDK itself: a bare "mcp" would find this folder
pytestmark = pytest.mark.slow

REQUESTS = [{"id": f"shot-{n}", "request": {"prompt": f"A fox, shot {n}", "size": "1280*720", "duration": 5}}
            for n in range(1, 4)]


def test_a_batch_is_priced_first_then_runs_to_saved_files_and_invalid_requests_send_nothing(served) -> None:
    async def script(session):
        bad = await session.call("batch_submit", {"skill": "video", "requests": REQUESTS + [
            {"id": "oops", "request": {"prompt": "x", "duration": 99}}], "confirm": True})
        priced = await session.call("batch_submit", {"skill": "video", "requests": REQUESTS})
        started = await session.call("batch_submit", {"skill": "video", "requests": REQUESTS, "confirm": True})
        batch_id = structured(started)["batch_id"]
        for _ in range(300):
            status = await session.call("batch_status", {"batch_id": batch_id})
            if not structured(status)["running"]:
                break
            await asyncio.sleep(0.1)
        return bad, priced, started, status

    bad, priced, started, status = served.run(script)
    assert bad.is_error and "oops" in text(bad) and "duration" in text(bad)
    assert structured(priced)["started"] is False and structured(priced)["billed"] == {"s of 720P video": 15.0}
    assert structured(started)["started"] is True
    lines = structured(status)["lines"]
    assert [line["status"] for line in lines] == ["done"] * 3
    assert [line["files"][0].rsplit("/", 1)[-1] for line in lines] == ["shot-1.mp4", "shot-2.mp4", "shot-3.mp4"]
    assert len(submits(served.emulator)) == 3  # the refused and the priced calls sent nothing
