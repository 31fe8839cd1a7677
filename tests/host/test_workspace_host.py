"""Workspace hosts: QWEN_WORKSPACE_ID → URL, and models with ``host="workspace"`` routed there (real emulators)."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest
from workspace_plugin import I2V_ID, T2V_ID, WORKSPACE_MODELS, emulator_models

from qwencloud_skills.environment import Environment
from qwencloud_skills.errors import EXIT_CONFIG, ConfigError
from qwencloud_skills.ledger import Ledger
from qwencloud_skills.settings import (
    WORKSPACE_REGIONS,
    resolve_base_url,
    resolve_workspace_url,
    workspace_id,
)

PROMPT = {"prompt": "a lighthouse at dusk"}


def env(tmp_path: Path, **environ: str) -> Environment:
    return Environment(environ=environ, cwd=tmp_path)


@pytest.mark.parametrize("region", WORKSPACE_REGIONS)
def test_each_workspace_region_builds_its_host(tmp_path: Path, region: str) -> None:
    endpoint = resolve_workspace_url(env(tmp_path, QWEN_WORKSPACE_ID="llm-abc123", QWEN_REGION=region))
    assert endpoint is not None
    assert endpoint.base_url == f"https://llm-abc123.{region}.maas.aliyuncs.com/api/v1"
    assert endpoint.region == region and "llm-abc123" in endpoint.source


def test_workspace_default_region_is_singapore(tmp_path: Path) -> None:
    endpoint = resolve_workspace_url(env(tmp_path, QWEN_WORKSPACE_ID=" llm-7 "))
    assert endpoint is not None and endpoint.base_url == "https://llm-7.ap-southeast-1.maas.aliyuncs.com/api/v1"


def test_no_workspace_means_none(tmp_path: Path) -> None:
    assert resolve_workspace_url(env(tmp_path)) is None
    assert resolve_workspace_url(env(tmp_path, QWEN_WORKSPACE_ID="  ")) is None


def test_base_url_still_wins_once_a_workspace_is_set(tmp_path: Path) -> None:
    endpoint = resolve_workspace_url(env(tmp_path, QWEN_WORKSPACE_ID="llm-a", QWEN_BASE_URL="http://127.0.0.1:9/x"))
    assert endpoint is not None and endpoint.base_url == "http://127.0.0.1:9/api/v1"
    assert "QWEN_BASE_URL" in endpoint.source and "QWEN_WORKSPACE_ID" in endpoint.source
    verbatim = env(tmp_path, QWEN_WORKSPACE_ID="llm-a", QWEN_REGION="none", QWEN_BASE_URL="https://gw.example/v9")
    assert resolve_workspace_url(verbatim).base_url == "https://gw.example/v9"


@pytest.mark.parametrize("bad, hint", [
    ("evil.com/x", ""),
    ("llm-a.evil.com", ""),
    ("user@host", ""),
    ("-llm", ""),
    ("llm-", ""),
    ("llm_a", ""),
    ("llm a", ""),
    ("a" * 64, ""),
    ("LLM-ABC", "lower case: llm-abc"),
    ("https://llm-abc.cn-beijing.maas.aliyuncs.com/api/v1", "only the ID"),
])
def test_a_bad_workspace_id_is_a_config_error_naming_the_setting(tmp_path: Path, bad: str, hint: str) -> None:
    with pytest.raises(ConfigError) as caught:
        workspace_id(env(tmp_path, QWEN_WORKSPACE_ID=bad))
    assert caught.value.exit_code == EXIT_CONFIG
    message = str(caught.value)
    assert "QWEN_WORKSPACE_ID" in message and "lower-case letters, digits and hyphens" in message
    assert hint in message


def test_longest_valid_id_is_accepted(tmp_path: Path) -> None:
    assert workspace_id(env(tmp_path, QWEN_WORKSPACE_ID="a" * 63)) == "a" * 63


def test_region_without_workspace_hosts_is_refused(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no workspace hosts.*eu-central-1"):
        resolve_workspace_url(env(tmp_path, QWEN_WORKSPACE_ID="llm-a", QWEN_REGION="mars-1"))


def test_workspace_only_region_has_no_default_host(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no shared default host.*QWEN_WORKSPACE_ID"):
        resolve_base_url(env(tmp_path, QWEN_REGION="eu-central-1"))
    assert resolve_base_url(env(tmp_path, QWEN_REGION="eu-central-1", QWEN_BASE_URL="http://h")).base_url == (
        "http://h/api/v1")


# -- routing ------------------------------------------------------------------------------------------------------


@pytest.fixture
def workspace_plugin(install_plugin) -> None:
    install_plugin("acme_workspace", WORKSPACE_MODELS, dist="acme-workspace")


@pytest.fixture
def second_emulator():
    """Plays the workspace host, while the ``emulator`` fixture plays the default host."""
    from qwencloud_skills.emulator import Emulator, EmulatorConfig

    config = EmulatorConfig(pending_seconds=0.05, generation_seconds=0.2, extra_models=emulator_models())
    with Emulator(config, host="127.0.0.1", port=0) as emu:
        yield emu


def routes(emu) -> list:
    return [request.route for request in emu.requests]


def test_without_a_workspace_the_model_is_refused_before_anything_is_sent(emulator_env, workspace_plugin,
                                                                           tmp_path: Path) -> None:
    from qwencloud_skills.tasks import TaskClient

    with TaskClient(skill="qwencloud-video-generation") as client:
        with pytest.raises(ConfigError) as caught:
            client.create_and_poll(PROMPT, mode="t2v", model=T2V_ID, output_dir=str(tmp_path / "out"))
        image = tmp_path / "cat.png"
        from mediafiles import write_media

        write_media(image, 2048)
        with pytest.raises(ConfigError):  # a local file is not uploaded either
            client.submit({"img_url": str(image), "prompt": "move"}, mode="i2v", model=I2V_ID)
    message = str(caught.value)
    assert caught.value.exit_code == EXIT_CONFIG
    assert T2V_ID in message and "QWEN_WORKSPACE_ID" in message and "export QWEN_WORKSPACE_ID=" in message
    assert emulator_env.requests == []
    assert Ledger.default().list() == []


def test_workspace_models_go_to_the_workspace_host_and_the_rest_stay(emulator_env, second_emulator, workspace_plugin,
                                                                       monkeypatch, tmp_path: Path) -> None:
    from mediafiles import write_media

    from qwencloud_skills.tasks import TaskClient

    default_host = emulator_env.api_base
    monkeypatch.setenv("QWEN_BASE_URL", second_emulator.base_url)  # QWEN_BASE_URL serves the workspace models
    monkeypatch.setenv("QWEN_WORKSPACE_ID", "llm-test1")
    image = write_media(tmp_path / "cat.png", 2048)
    with TaskClient(skill="qwencloud-video-generation", base_url=default_host) as client:
        done = client.create_and_poll({"img_url": str(image), "prompt": "move"}, mode="i2v", model=I2V_ID,
                                      output_dir=str(tmp_path / "ws"), interval=0.05, timeout=30)
        plain = client.create_and_poll(PROMPT, mode="t2v", output_dir=str(tmp_path / "plain"), interval=0.05,
                                       timeout=30)
    assert done.local_path.is_file() and plain.local_path.is_file()
    workspace_routes = routes(second_emulator)
    assert {"policy", "upload", "submit", "task"} <= set(workspace_routes)
    assert routes(emulator_env).count("submit") == 1 and "policy" not in routes(emulator_env)
    ledger = Ledger.default()
    assert ledger.get(done.task_id)["base_url"] == second_emulator.api_base
    assert ledger.get(plain.task_id)["base_url"] == default_host
    # A later process resumes the task where it lives, whatever the environment says now.
    monkeypatch.delenv("QWEN_WORKSPACE_ID")
    monkeypatch.setenv("QWEN_BASE_URL", emulator_env.base_url)
    second_emulator.clear_requests()
    with TaskClient.for_task(done.task_id) as resumed:
        assert resumed.status(done.task_id).succeeded
    assert routes(second_emulator) == ["task"]


def test_async_client_routes_the_same_way(emulator_env, second_emulator, workspace_plugin, monkeypatch,
                                          tmp_path: Path) -> None:
    from qwencloud_skills.tasks import AsyncTaskClient

    monkeypatch.setenv("QWEN_BASE_URL", second_emulator.base_url)
    monkeypatch.setenv("QWEN_WORKSPACE_ID", "llm-test1")

    async def run():
        async with AsyncTaskClient(skill="qwencloud-video-generation", base_url=emulator_env.api_base) as client:
            return await client.create_and_poll(PROMPT, mode="t2v", model=T2V_ID, output_dir=str(tmp_path / "o"),
                                                interval=0.05, timeout=30)

    result = asyncio.run(run())
    assert result.local_path.is_file()
    assert "submit" in routes(second_emulator) and "task" in routes(second_emulator)
    assert emulator_env.requests == []
    assert Ledger.default().get(result.task_id)["base_url"] == second_emulator.api_base


def test_workspace_only_region_serves_workspace_models_and_refuses_others(workspace_plugin, tmp_path: Path,
                                                                          canary_key: str) -> None:
    from qwencloud_skills.tasks import TaskBook

    book = TaskBook(skill="qwencloud-video-generation", ledger=False, env=env(
        tmp_path, QWEN_REGION="eu-central-1", QWEN_WORKSPACE_ID="llm-eu1", DASHSCOPE_API_KEY=canary_key))
    prepared = book.prepare(PROMPT, mode="t2v", model=T2V_ID)
    assert prepared.base_url == "https://llm-eu1.eu-central-1.maas.aliyuncs.com/api/v1"
    with pytest.raises(ConfigError, match="no shared default host"):
        book.prepare(PROMPT, mode="t2v")


def test_an_unknown_host_kind_is_a_config_error(install_plugin, tmp_path: Path, canary_key: str) -> None:
    install_plugin("acme_moon", WORKSPACE_MODELS.replace('host="workspace"', 'host="moon"'), dist="acme-moon")
    from qwencloud_skills.tasks import TaskBook

    book = TaskBook(skill="qwencloud-video-generation", ledger=False,
                    env=env(tmp_path, DASHSCOPE_API_KEY=canary_key))
    with pytest.raises(ConfigError, match="host 'moon'.*known: default, workspace"):
        book.prepare(PROMPT, mode="t2v", model=T2V_ID)
