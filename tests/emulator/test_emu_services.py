"""The emulator's seam: a third-party service works through the core with no core edit.

The "notes" service below is what an image-like skill would register: a task yields several
result files, and a synchronous path answers the POST at once.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any, Dict, List, Sequence

import httpx
import pytest

from qwencloud_skills.emulator import (
    Emulator,
    EmulatorConfig,
    ResultFile,
    ResultUnavailable,
    Service,
    SubmitContext,
    TaskPlan,
)
from qwencloud_skills.emulator.cli import build_parser, config_from_args
from qwencloud_skills.emulator.service import invalid

from .helpers import API_KEY, T2V_PATH, Api

NOTES_PATH = "/api/v1/services/aigc/notes-generation/generation"
NOW_PATH = "/api/v1/services/aigc/notes-generation/now"
BOTH_PATH = "/api/v1/services/aigc/notes-generation/either"


@dataclass(frozen=True)
class NotesPlan:
    """The service's own record, readable as task attributes."""

    count: int
    prompt: str


def plan_notes(context: SubmitContext) -> TaskPlan:
    payload = context.payload
    if not isinstance(payload, dict) or not isinstance(payload.get("input"), dict):
        raise invalid("Required parameter 'input' is missing.")
    prompt = payload["input"].get("prompt")
    if not isinstance(prompt, str) or not prompt:
        raise invalid("Required parameter 'input.prompt' is missing.")
    count = int((payload.get("parameters") or {}).get("n", context.options["n"]))
    context.state["plans"] = context.state.get("plans", 0) + 1
    results = tuple(
        ResultFile("text/plain", "txt", lambda ctx, i=i: f"note {i + 1} of {count}: {prompt}\n".encode())
        for i in range(count)
    )

    def output(urls: Sequence[str]) -> Dict[str, Any]:
        return {"results": [{"url": url} for url in urls]}

    failure = ("DataInspectionFailed", "the note is rude") if prompt == "rude" else None
    return TaskPlan(
        model=payload.get("model", "notes-1"),
        results=results,
        output=output,
        echo={"orig_prompt": prompt},
        usage={"note_count": count},
        failure=failure,
        details=NotesPlan(count, prompt),
    )


NOTES = Service(
    name="notes",
    plan=plan_notes,
    paths=(NOTES_PATH, BOTH_PATH),
    sync_paths=(NOW_PATH, BOTH_PATH + "/"),
    options={"n": 2},
)


@pytest.fixture
def notes(emu: Emulator) -> Emulator:
    emu.add_service(NOTES)
    return emu


def submit(api: Api, path: str, body: Dict[str, Any], async_header: bool = True) -> httpx.Response:
    headers = api.headers(**({"X-DashScope-Async": "enable"} if async_header else {}))
    return api.http.post(api.emu.base_url + path, json=body, headers=headers)


def body(prompt: str = "hello", **parameters: Any) -> Dict[str, Any]:
    return {"model": "notes-1", "input": {"prompt": prompt}, "parameters": parameters}


def test_a_task_yields_every_result_file(api: Api, notes: Emulator) -> None:
    answer = submit(api, NOTES_PATH, body())
    assert answer.status_code == 200, answer.text
    task_id = answer.json()["output"]["task_id"]
    done = api.wait(task_id)
    output = done["output"]
    assert output["task_status"] == "SUCCEEDED" and output["orig_prompt"] == "hello"
    assert done["usage"] == {"note_count": 2}
    urls = [item["url"] for item in output["results"]]
    assert len(urls) == 2 and urls[0] != urls[1]
    assert all(url.startswith(notes.base_url + "/media/" + task_id) for url in urls)
    files = [api.http.get(url) for url in urls]
    assert [f.status_code for f in files] == [200, 200]
    assert [f.text for f in files] == ["note 1 of 2: hello\n", "note 2 of 2: hello\n"]
    assert all(f.headers["content-type"] == "text/plain" for f in files)
    part = api.http.get(urls[1], headers={"Range": "bytes=0-5"})
    assert (part.status_code, part.content) == (206, b"note 2")
    task = notes.tasks[task_id]
    assert (task.service, task.count, task.prompt) == ("notes", 2, "hello")  # details read as task attributes


def test_result_count_and_options_come_from_the_service(api: Api, notes: Emulator) -> None:
    notes.config.options["n"] = 3
    three = api.wait(submit(api, NOTES_PATH, body()).json()["output"]["task_id"])
    assert len(three["output"]["results"]) == 3
    one = api.wait(submit(api, NOTES_PATH, body(n=1)).json()["output"]["task_id"])
    assert len(one["output"]["results"]) == 1
    assert notes.service_state("notes")["plans"] == 2


def test_result_addresses_that_do_not_exist_are_404(api: Api, notes: Emulator) -> None:
    task_id = submit(api, NOTES_PATH, body()).json()["output"]["task_id"]
    api.wait(task_id)
    base = f"{notes.base_url}/media/{task_id}"
    assert api.http.get(base + ".txt").status_code == 200
    assert api.http.get(base + "_1.txt").status_code == 200
    for wrong in ("_2.txt", ".png", "_0.txt", "_1.png"):
        response = api.http.get(base + wrong)
        assert response.status_code == 404 and "NoSuchKey" in response.text, wrong


def test_a_refused_body_is_a_400_and_creates_no_task(api: Api, notes: Emulator) -> None:
    answer = submit(api, NOTES_PATH, body(prompt=""))
    assert answer.status_code == 400
    assert answer.json()["code"] == "InvalidParameter" and "input.prompt" in answer.json()["message"]
    assert len(notes.tasks) == 0


def test_a_planned_failure_ends_the_task_failed(api: Api, notes: Emulator) -> None:
    done = api.wait(submit(api, NOTES_PATH, body(prompt="rude")).json()["output"]["task_id"])
    assert done["output"]["task_status"] == "FAILED"
    assert (done["output"]["code"], done["output"]["message"]) == ("DataInspectionFailed", "the note is rude")
    assert "usage" not in done and "results" not in done["output"]


def test_task_paths_need_the_async_header(api: Api, notes: Emulator) -> None:
    answer = submit(api, NOTES_PATH, body(), async_header=False)
    assert answer.status_code == 403 and "synchronous" in answer.json()["message"]


def test_a_sync_path_answers_at_once(api: Api, notes: Emulator) -> None:
    answer = submit(api, NOW_PATH, body("now"), async_header=False)
    assert answer.status_code == 200, answer.text
    payload = answer.json()
    assert "task_id" not in payload["output"] and "task_status" not in payload["output"]
    assert payload["output"]["orig_prompt"] == "now" and payload["usage"] == {"note_count": 2}
    assert payload["request_id"] == answer.headers["x-request-id"]
    files = [api.http.get(item["url"]) for item in payload["output"]["results"]]
    assert [f.text for f in files] == ["note 1 of 2: now\n", "note 2 of 2: now\n"]
    assert api.list().json()["total"] == 0  # a synchronous answer is not a task
    (record,) = notes.tasks.values()
    assert api.output(record.task_id)["task_status"] == "UNKNOWN"
    assert [r.route for r in notes.requests][:1] == ["submit"]


def test_a_sync_path_refuses_the_async_header_and_bad_bodies(api: Api, notes: Emulator) -> None:
    answer = submit(api, NOW_PATH, body())
    assert answer.status_code == 403 and "asynchronous" in answer.json()["message"]
    refused = submit(api, NOW_PATH, body(prompt=""), async_header=False)
    assert refused.status_code == 400 and refused.json()["code"] == "InvalidParameter"
    failed = submit(api, NOW_PATH, body(prompt="rude"), async_header=False)
    assert failed.status_code == 400 and failed.json()["code"] == "DataInspectionFailed"
    assert len(notes.tasks) == 0


def test_a_path_in_both_lists_answers_as_the_header_asks(api: Api, notes: Emulator) -> None:
    queued = submit(api, BOTH_PATH, body())
    assert queued.json()["output"]["task_status"] == "PENDING"
    direct = submit(api, BOTH_PATH + "/", body(), async_header=False)
    assert len(direct.json()["output"]["results"]) == 2


def test_keys_and_faults_apply_to_service_paths(api: Api, notes: Emulator) -> None:
    from qwencloud_skills.emulator import Fault

    unauthorized = api.http.post(notes.base_url + NOW_PATH, json=body(), headers={"Authorization": "Bearer x"})
    assert unauthorized.status_code == 401
    notes.inject(Fault("submit", "status", status=503))
    assert submit(api, NOW_PATH, body(), async_header=False).status_code == 503
    notes.inject(Fault("submit", "fail_task", code="Boom", message="emulated"))
    done = api.wait(submit(api, NOTES_PATH, body()).json()["output"]["task_id"])
    assert (done["output"]["task_status"], done["output"]["code"]) == ("FAILED", "Boom")


def test_a_result_that_cannot_be_produced_is_a_clear_500(api: Api, emu: Emulator) -> None:
    def broken(context: SubmitContext) -> TaskPlan:
        def produce(ctx: Any) -> bytes:
            raise ResultUnavailable("the renderer is not installed")

        return TaskPlan("broken-1", results=(ResultFile("image/png", "png", produce),),
                        output=lambda urls: {"url": urls[0]})

    emu.add_service(Service("broken", broken, sync_paths=("/api/v1/broken",)))
    url = submit(api, "/api/v1/broken", {}, async_header=False).json()["output"]["url"]
    response = api.http.get(url)
    assert response.status_code == 500 and "the renderer is not installed" in response.text


def test_each_result_is_produced_once(api: Api, emu: Emulator, tmp_path) -> None:
    calls: List[int] = []
    lock = threading.Lock()

    def counted(context: SubmitContext) -> TaskPlan:
        def produce(ctx: Any) -> str:
            with lock:
                calls.append(1)
            target = tmp_path / "file.bin"
            target.write_bytes(b"x" * 1000)
            return str(target)  # a path: served from disk

        return TaskPlan("counted-1", results=(ResultFile("application/octet-stream", "bin", produce),),
                        output=lambda urls: {"url": urls[0]})

    emu.add_service(Service("counted", counted, sync_paths=("/api/v1/counted",)))
    url = submit(api, "/api/v1/counted", {}, async_header=False).json()["output"]["url"]
    threads = [threading.Thread(target=lambda: api.http.get(url)) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    response = api.http.get(url)
    assert (response.status_code, len(response.content)) == (200, 1000)
    assert response.headers["etag"] == '"file.bin"'
    assert len(calls) == 1


def test_without_plugins_only_added_services_answer(api: Api) -> None:
    with Emulator(EmulatorConfig(pending_seconds=0, generation_seconds=0), plugins=False) as bare:
        client = Api(bare)
        try:
            assert client.submit({"model": "wan2.1-t2v-turbo", "input": {"prompt": "p"}}).status_code == 404
            bare.add_service(NOTES)  # while running
            answer = client.http.post(bare.base_url + NOW_PATH, json=body(), headers=client.headers())
            assert answer.status_code == 200 and len(answer.json()["output"]["results"]) == 2
        finally:
            client.close()


def test_an_added_service_replaces_one_with_its_name_or_path(emu: Emulator) -> None:
    emu.add_service(NOTES)
    again = Service("notes-2", plan_notes, sync_paths=(NOW_PATH,))
    emu.add_service(again)
    assert emu.services.get("notes") is None and emu.services.route(NOW_PATH).service is again
    assert emu.services.route(T2V_PATH) is None and emu.services.route("/api/v1" + T2V_PATH) is not None


def test_a_service_must_answer_some_path() -> None:
    with pytest.raises(ValueError, match="answers no path"):
        Service("lost", plan_notes)
    with pytest.raises(ValueError, match="must start with '/'"):
        Service("rel", plan_notes, paths=("api/v1/x",))
    with pytest.raises(ValueError, match="without a dot"):
        ResultFile("text/plain", ".txt", lambda ctx: b"")


def test_the_command_line_takes_a_service_flags_and_models() -> None:
    def add_arguments(parser: Any) -> None:
        parser.add_argument("--notes-per-task", type=int, default=2)

    service = Service(
        "notes", plan_notes, paths=(NOTES_PATH,), options={"n": 2}, model_kinds=("memo",),
        extra_model=lambda kind, spec: {"kind": kind, "words": int(spec or 10)},
        describe=lambda: "notes models served: notes-1", add_arguments=add_arguments,
        read_arguments=lambda args: {"n": args.notes_per_task},
    )
    parser = build_parser([service])
    text = parser.format_help()
    assert "--notes-per-task" in text and "notes models served: notes-1" in text and "(memo)" in text
    config = config_from_args(parser.parse_args(["--notes-per-task", "4", "--extra-model", "memo-x=memo:25"]))
    assert config.options == {"n": 4} and config.extra_models == {"memo-x": {"kind": "memo", "words": 25}}
    with pytest.raises(Exception, match="KIND one of \\('memo',\\)"):
        config_from_args(parser.parse_args(["--extra-model", "x=t2v"]))


EMULATOR_PLUGIN = '''
from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.emulator.service import ResultFile, Service, TaskPlan


def plan(context):
    return TaskPlan("echo-1", results=(ResultFile("text/plain", "txt", lambda ctx: b"echo"),),
                    output=lambda urls: {"text_url": urls[0]})


@hookimpl
def register_emulator_services(register):
    register(Service("echo", plan, sync_paths=("/api/v1/services/aigc/echo/generation",)))
'''

BROKEN_PLUGIN = '''
from qwencloud_skills.hookspecs import hookimpl


@hookimpl
def register_emulator_services(register):
    raise RuntimeError("no emulator for you")
'''


def test_an_installed_plugin_registers_a_service_through_the_hook(install_plugin) -> None:
    install_plugin("acme_echo_emulator", EMULATOR_PLUGIN, dist="acme-echo")
    with Emulator(EmulatorConfig()) as emu:
        assert {service.name for service in emu.services.all()} >= {"video", "echo"}
        headers = {"Authorization": f"Bearer {API_KEY}"}
        answer = httpx.post(emu.api_base + "/services/aigc/echo/generation", json={}, headers=headers,
                            trust_env=False)
        assert answer.status_code == 200, answer.text
        assert httpx.get(answer.json()["output"]["text_url"], trust_env=False).content == b"echo"


def test_a_plugin_whose_hook_fails_is_skipped_with_a_warning(install_plugin) -> None:
    from qwencloud_skills.plugins import PluginLoadWarning

    install_plugin("acme_broken_emulator", BROKEN_PLUGIN, dist="acme-broken")
    with pytest.warns(PluginLoadWarning, match="acme_broken_emulator.*no emulator for you"):
        emu = Emulator(EmulatorConfig())
    assert sorted(service.name for service in emu.services.all()) == ["image", "video"]  # first party only
