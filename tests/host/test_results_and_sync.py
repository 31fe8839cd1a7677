"""The library with a skill whose jobs yield several files, and a mode answered at once (sync and async clients)."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any, Dict, Sequence

import pytest
from pydantic import BaseModel

from qwencloud_skills.emulator import ResultFile, Service, SubmitContext, TaskPlan
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.registry import DetectionRule, Mode, ModelSpec, Output, Registry, Skill
from qwencloud_skills.secrets import ApiKey
from qwencloud_skills.tasks import AsyncTaskClient, TaskClient

KEY = ApiKey("sk-canary-7f3e9a1b2c4d5e6f")
SKILL = "acme-cards"
CARD = Output(noun="card", extension=".txt")


class CardRequest(BaseModel):
    prompt: str
    n: int = 2


def payload(request: CardRequest, model: str) -> Dict[str, Any]:
    return {"model": model, "input": {"prompt": request.prompt}, "parameters": {"n": request.n}}


def registry() -> Registry:
    built = Registry()
    built.add_skill(Skill(name=SKILL, domain="cards", description="d", output=CARD), plugin="test")
    for name, endpoint, output in (("later", "/services/acme/cards/tasks", None),
                                   ("now", "/services/acme/cards/now", Output("card", extension=".txt",
                                                                              asynchronous=False))):
        built.add_mode(Mode(name=name, skill=SKILL, summary=name, endpoint=endpoint, default_model="cards-1",
                            request_model=CardRequest, build_payload=payload, models=[ModelSpec("cards-1")],
                            detection=DetectionRule(), output=output), plugin="test")
    return built


def plan(context: SubmitContext) -> TaskPlan:
    body = context.payload
    count = body["parameters"]["n"]
    files = tuple(ResultFile("text/plain", "txt", lambda ctx, i=i: f"card {i}\n".encode()) for i in range(count))

    def output(urls: Sequence[str]) -> Dict[str, Any]:
        return {"results": [{"url": url} for url in urls]}

    return TaskPlan(model=body["model"], results=files, output=output)


SERVICE = Service(name="cards", plan=plan, paths=("/api/v1/services/acme/cards/tasks",),
                  sync_paths=("/api/v1/services/acme/cards/now",))


@pytest.fixture
def cards(emulator):
    emulator.add_service(SERVICE)
    return emulator


def test_sync_client_saves_every_card_and_a_sync_job_needs_no_ledger(cards, tmp_path: Path) -> None:
    with TaskClient(skill=SKILL, api_key=KEY, base_url=cards.api_base, registry=registry(),
                    ledger=Ledger(tmp_path / "l.sqlite3")) as client:
        result = client.create_and_poll({"prompt": "hi", "n": 3}, mode="later", output_dir=tmp_path / "a",
                                        interval=0.05, timeout=30)
    assert [path.name for path in result.files] == ["card.txt", "card_1.txt", "card_2.txt"]
    assert [path.read_text() for path in result.files] == ["card 0\n", "card 1\n", "card 2\n"]
    shown = result.as_dict()
    assert len(shown["results"]) == 3 and "video_url" not in shown and "local_path" not in shown
    with TaskClient(skill=SKILL, api_key=KEY, base_url=cards.api_base, registry=registry(), ledger=False) as client:
        submission = client.submit({"prompt": "now", "n": 2}, mode="now")
        assert submission.final is not None and submission.status == "SUCCEEDED"
        assert client.wait(submission.task_id, interval=0.05, timeout=5).urls == submission.final.urls
        saved = client.download(submission.final, tmp_path / "b", stem="deck")
    assert [path.name for path in saved.files] == ["deck.txt", "deck_1.txt"]
    assert json.loads(saved.response_path.read_text())["files"] == [str(path) for path in saved.files]


def test_async_client_runs_both_modes(cards, tmp_path: Path) -> None:
    async def run() -> Any:
        async with AsyncTaskClient(skill=SKILL, api_key=KEY, base_url=cards.api_base, registry=registry(),
                                   ledger=Ledger(tmp_path / "l.sqlite3")) as client:
            later, now = await asyncio.gather(
                client.create_and_poll({"prompt": "x", "n": 2}, mode="later", output_dir=tmp_path / "later",
                                       interval=0.05, timeout=30),
                client.create_and_poll({"prompt": "y", "n": 4}, mode="now", output_dir=tmp_path / "now",
                                       interval=0.05, timeout=30),
            )
            return later, now, client.ledger.get(now.task_id)

    later, now, row = asyncio.run(run())
    assert len(later.files) == 2 and len(now.files) == 4
    assert row["asynchronous"] == 0 and len(row["results"]) == 4
    assert all(item["local_path"] for item in row["results"])


def test_a_resumed_task_downloads_only_the_missing_results(cards, tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite3")
    with TaskClient(skill=SKILL, api_key=KEY, base_url=cards.api_base, registry=registry(), ledger=ledger) as client:
        first = client.create_and_poll({"prompt": "z", "n": 3}, mode="later", output_dir=tmp_path / "out",
                                       interval=0.05, timeout=30)
        first.files[1].unlink()
        cards.clear_requests()
        again = client.download(client.status(first.task_id), tmp_path / "out")
    downloads = [request for request in cards.requests if request.route == "download"]
    assert len(downloads) == 1 and not again.already_saved
    assert again.files[0] == first.files[0] and again.files[2] == first.files[2] and again.files[1].is_file()
