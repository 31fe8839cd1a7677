"""A third-party skill with an asynchronous mode of several results and a synchronous mode works with no
host edit: the plugin declares what its jobs yield, the emulator takes its service through the same seam."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any, Dict, Sequence

import pytest

from qwencloud_skills.emulator import ResultFile, Service, SubmitContext, TaskPlan
from qwencloud_skills.emulator.service import invalid
from qwencloud_skills.ledger import Ledger

from .conftest import all_output

NOTES_SKILL = '''
from typing import Optional
from pydantic import BaseModel, ConfigDict, Field
from qwencloud_skills import hookimpl
from qwencloud_skills.registry import DetectionRule, ModelSpec, Mode, Output, Skill


class NoteRequest(BaseModel):
    model_config = ConfigDict(extra="forbid")
    prompt: str = Field(description="What the notes say")
    n: int = Field(2, description="How many notes")


def payload(request, model):
    return {"model": model, "input": {"prompt": request.prompt}, "parameters": {"n": request.n}}


@hookimpl
def register_skills(register):
    register(Skill(name="acme-notes", domain="notes", title="Acme notes",
                   description="Notes. TRIGGER when: notes. DO NOT TRIGGER when: anything else.",
                   output=Output(noun="note", extension=".txt", billing="Billed per note.")))


@hookimpl
def register_modes(register):
    register(Mode(
        name="write", skill="acme-notes", summary="Write notes later", endpoint="/services/acme/notes/tasks",
        default_model="notes-1", request_model=NoteRequest, build_payload=payload,
        models=[ModelSpec("notes-1", "the notes model")], detection=DetectionRule(),
    ))
    register(Mode(
        name="now", skill="acme-notes", summary="Write notes at once", endpoint="/services/acme/notes/now",
        default_model="notes-1", request_model=NoteRequest, build_payload=payload,
        models=[ModelSpec("notes-1", "the notes model")], detection=DetectionRule(keys=("now",), priority=5),
        output=Output(noun="note", extension=".txt", asynchronous=False),
    ))
'''


def plan_notes(context: SubmitContext) -> TaskPlan:
    payload = context.payload if isinstance(context.payload, dict) else {}
    prompt = (payload.get("input") or {}).get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise invalid("Required parameter 'input.prompt' is missing.")
    count = int((payload.get("parameters") or {}).get("n", 4))  # the service default bills 4
    files = tuple(ResultFile("text/plain", "txt", lambda ctx, i=i: f"note {i + 1}: {prompt}\n".encode())
                  for i in range(count))

    def output(urls: Sequence[str]) -> Dict[str, Any]:
        items = [{"url": url} for url in urls]
        if prompt.startswith("first-fails"):
            items[0] = {"code": "DataInspectionFailed", "message": "note 1 was refused"}
        return {"results": items}

    return TaskPlan(model=payload.get("model", "notes-1"), results=files, output=output,
                    usage={"note_count": count})


NOTES_SERVICE = Service(name="acme-notes", plan=plan_notes, paths=("/api/v1/services/acme/notes/tasks",),
                        sync_paths=("/api/v1/services/acme/notes/now",))


@pytest.fixture
def notes(cli, install_plugin):
    install_plugin("acme_notes_skill", NOTES_SKILL, dist="acme-notes")
    cli.emulator.add_service(NOTES_SERVICE)
    return cli


def run(notes, *args: str):
    return notes("notes", *args, "--poll-interval", "0.1", script="qwencloud-skills")


def test_an_async_job_saves_every_result_and_lists_them(notes) -> None:
    result = run(notes, "write", "--prompt", "buy milk", "--n", "3", "--print-response")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    files = [Path(path) for path in shown["files"]]
    assert [path.name for path in files] == ["note.txt", "note_1.txt", "note_2.txt"]
    assert [path.read_text() for path in files] == [f"note {i}: buy milk\n" for i in (1, 2, 3)]
    assert len(shown["results"]) == 3 and shown["failed"] == []
    assert "video" not in json.dumps(shown)
    assert "3 notes saved:" in result.stderr and "Billed per note." in result.stderr
    response = json.loads((files[0].parent / "response.json").read_text())
    assert response["files"] == shown["files"] and response["job"]["mode"] == "write"
    row = Ledger.default().get(shown["task_id"])
    assert [item["local_path"] for item in row["results"]] == shown["files"]
    submit = next(request for request in notes.emulator.requests if request.method == "POST")
    assert submit.json()["parameters"]["n"] == 3


def test_a_sync_job_is_recorded_then_saved_without_the_async_header(notes) -> None:
    notes.emulator.clear_requests()
    result = run(notes, "now", "--prompt", "now please", "--n", "2")
    assert result.returncode == 0, all_output(result)
    paths = result.stdout.split()
    assert [Path(path).name for path in paths] == ["note.txt", "note_1.txt"]
    submit = next(request for request in notes.emulator.requests if request.method == "POST")
    assert "x-dashscope-async" not in {name.lower() for name in submit.headers}
    assert "Answered at once" in result.stderr
    rows = Ledger.default().list()
    assert rows[0]["asynchronous"] == 0 and rows[0]["status"] == "SUCCEEDED"
    assert [item["local_path"] for item in rows[0]["results"]] == paths


def test_submit_only_on_a_sync_mode_is_refused_before_anything_is_sent(notes) -> None:
    notes.emulator.clear_requests()
    result = run(notes, "now", "--prompt", "x", "--submit-only")
    assert result.returncode == 3, all_output(result)
    assert "synchronous" in result.stderr and "--submit-only" in result.stderr
    assert notes.emulator.requests == [] and Ledger.default().list() == []


def test_resuming_a_sync_job_polls_nothing(notes) -> None:
    result = run(notes, "now", "--prompt", "keep", "--n", "1", "--print-response")
    job = json.loads(result.stdout)["task_id"]
    Path(json.loads(result.stdout)["files"][0]).unlink()
    notes.emulator.clear_requests()
    again = notes("tasks", "resume", job, script="qwencloud-skills")
    assert again.returncode == 0, all_output(again)
    assert all(request.route != "task" for request in notes.emulator.requests)  # no poll: downloaded again
    assert Path(again.stdout.strip()).read_text() == "note 1: keep\n"


def test_a_failed_first_result_still_saves_the_others(notes) -> None:
    result = run(notes, "write", "--prompt", "first-fails here", "--n", "3", "--print-response")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    assert [Path(path).read_text() for path in shown["files"]] == ["note 2: first-fails here\n",
                                                                  "note 3: first-fails here\n"]
    assert shown["failed"] == [{"index": 0, "code": "DataInspectionFailed", "message": "note 1 was refused"}]
    assert "note 1 of 3 was not made (DataInspectionFailed: note 1 was refused)" in result.stderr


def test_two_skills_share_one_ledger(notes) -> None:
    run(notes, "write", "--prompt", "a", "--n", "1")
    video = notes("--request", '{"prompt": "a cat", "size": "832*480"}', "--model", "wan2.2-t2v-plus",
                  "--submit-only")
    assert video.returncode == 0, all_output(video)
    listed = json.loads(notes("tasks", "list", "--format", "json", script="qwencloud-skills").stdout)
    assert {row["skill"] for row in listed} == {"acme-notes", "qwencloud-video-generation"}
