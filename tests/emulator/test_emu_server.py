"""Server plumbing: recording, keep-alive, the PyPI stand-in and the command line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time

import httpx
import pytest

from qwencloud_skills.emulator import Emulator, EmulatorConfig
from qwencloud_skills.emulator.cli import build_parser, config_from_args, serve
from qwencloud_skills.emulator.pypi import VersionIndex

from .helpers import API_KEY


def test_records_requests(api, emu: Emulator) -> None:
    api.submit({"model": "wan2.6-t2v", "input": {"prompt": "hello"}})
    api.task("abc")
    submit, fetch = emu.requests
    assert submit.method == "POST" and submit.route == "submit"
    assert submit.headers["AUTHORIZATION"] == f"Bearer {API_KEY}" == submit.headers["authorization"]
    assert "x-dashscope-async" in submit.headers
    assert submit.json()["input"]["prompt"] == "hello"
    assert fetch.path == "/api/v1/tasks/abc" and fetch.body == b""
    emu.clear_requests()
    assert emu.requests == []


def test_json_answers_carry_request_id(api, emu: Emulator) -> None:
    response = api.task("x")
    assert response.headers["content-type"] == "application/json"
    assert response.json()["request_id"] == response.headers["x-request-id"]


def test_keep_alive_reuses_one_connection(emu: Emulator) -> None:
    with httpx.Client(trust_env=False) as client:
        for _ in range(5):
            response = client.get(f"{emu.api_base}/tasks/x", headers={"Authorization": f"Bearer {API_KEY}"})
            assert response.status_code == 200
    assert len({request.client_port for request in emu.requests}) == 1


def test_concurrent_submits(emu: Emulator) -> None:
    errors = []

    def worker() -> None:
        with httpx.Client(trust_env=False, timeout=10) as client:
            for _ in range(5):
                response = client.post(
                    emu.api_base + "/services/aigc/video-generation/video-synthesis",
                    json={"model": "wan2.6-t2v", "input": {"prompt": "p"}},
                    headers={"Authorization": f"Bearer {API_KEY}", "X-DashScope-Async": "enable"},
                )
                if response.status_code != 200:
                    errors.append(response.text)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == [] and len(emu.tasks) == 40


def test_stop_and_restart_cleanly(media_cache: str) -> None:
    emu = Emulator(EmulatorConfig(media_cache_dir=media_cache))
    with pytest.raises(RuntimeError):
        _ = emu.base_url
    with emu:
        client = httpx.Client(trust_env=False)
        assert client.get(emu.base_url + "/pypi/x/json").status_code == 404  # leaves a keep-alive socket
    assert not emu.running
    with pytest.raises(httpx.HTTPError):
        client.get(emu.base_url + "/pypi/x/json", timeout=2)
    with emu:  # restarts on the same port
        assert client.get(emu.base_url + "/pypi/x/json").status_code == 404
    client.close()


def test_pypi_json(api, emu: Emulator) -> None:
    emu.add_version("qwencloud-skills", "0.1.0")
    emu.add_version("qwencloud-skills", "0.10.0")
    emu.add_version("qwencloud-skills", "0.2.0")
    emu.add_version("qwencloud-skills", "1.0.0rc1")
    body = api.http.get(emu.pypi_base + "/qwencloud_skills/json").json()
    assert body["info"]["version"] == "0.10.0"
    assert set(body["releases"]) == {"0.1.0", "0.2.0", "0.10.0", "1.0.0rc1"}
    assert api.http.get(emu.pypi_base + "/unknown-dist/json").status_code == 404
    only_pre = VersionIndex()
    only_pre.add("x", "2.0.0b1")
    assert only_pre.payload("x")["info"]["version"] == "2.0.0b1"


def test_serve_in_thread(capsys: pytest.CaptureFixture) -> None:
    stop = threading.Event()
    thread = threading.Thread(target=serve, kwargs={"config": EmulatorConfig(render_media=False), "stop_event": stop})
    thread.start()
    try:
        deadline = time.monotonic() + 10
        while not capsys.readouterr().out and time.monotonic() < deadline:
            time.sleep(0.02)
    finally:
        stop.set()
        thread.join(timeout=10)
    assert not thread.is_alive()


def test_cli_arguments() -> None:
    args = build_parser().parse_args(
        ["--port", "0", "--generation-seconds", "2.5", "--api-key", "sk-a", "--api-key", "sk-b", "--no-render"]
    )
    config = config_from_args(args)
    assert config.generation_seconds == 2.5 and config.accepted_keys == {"sk-a", "sk-b"}
    assert config.render_media is False and config.options["strict_sizes"] is True


def test_module_entry_point_prints_url_then_serves() -> None:
    env = dict(os.environ, PYTHONUNBUFFERED="1")
    process = subprocess.Popen(
        [sys.executable, "-m", "qwencloud_skills.emulator", "--no-render", "--pending-seconds", "0"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        base_url = process.stdout.readline().strip()
        assert base_url.startswith("http://127.0.0.1:")
        response = httpx.get(
            base_url + "/api/v1/tasks/x", headers={"Authorization": f"Bearer {API_KEY}"}, trust_env=False
        )
        assert response.json()["output"]["task_status"] == "UNKNOWN"
    finally:
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0


def _imports(source) -> list:
    """(module, level) of every import in a file; relative imports keep their dots as ``level``."""
    import ast

    found = []
    for node in ast.walk(ast.parse(source.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(alias.name, 0) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            found.append((node.module or "", node.level))
    return found


def test_emulator_is_independent_of_the_client() -> None:
    """The emulator must not share code with the client it is meant to check.

    The core reaches outside its package only for the plugin host (to find services); the
    video service's emulator package only for the emulator's own service API and hookimpl.
    """
    from pathlib import Path

    import qwencloud_video.emulator as video

    import qwencloud_skills.emulator as core

    offenders = []
    for source in Path(core.__file__).parent.glob("*.py"):
        for module, level in _imports(source):
            if (level == 0 and module.split(".")[0] in ("qwencloud_skills", "qwencloud_video")) or (
                level >= 2 and module != "plugins"
            ):
                offenders.append(f"core {source.name}: {'.' * level}{module}")
    allowed = ("qwencloud_skills.emulator", "qwencloud_skills.hookspecs")
    for source in Path(video.__file__).parent.glob("*.py"):
        for module, level in _imports(source):
            outside = level >= 2 or (level == 0 and module.split(".")[0] in ("qwencloud_skills", "qwencloud_video"))
            if outside and not (level == 0 and module.startswith(allowed)):
                offenders.append(f"video {source.name}: {'.' * level}{module}")
    assert offenders == []


def test_the_core_names_no_product() -> None:
    """Product words belong to the services; the core speaks of tasks, results and media only."""
    import re
    from pathlib import Path

    import qwencloud_skills.emulator as core

    pattern = re.compile(r"video|mp4|t2v|i2v|kf2v|r2v|vace|wan", re.IGNORECASE)
    hits = [
        f"{source.name}:{number}: {line.strip()}"
        for source in sorted(Path(core.__file__).parent.glob("*.py"))
        for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1)
        if pattern.search(line)
    ]
    assert hits == []
