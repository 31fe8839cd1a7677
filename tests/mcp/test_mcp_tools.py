"""tools/list over stdio: every mode of every loaded skill (a third-party plugin's too), every workflow, with
their schemas and the hints that tell an agent which tools only read."""

from __future__ import annotations

import pytest
from workflowplugin import PLUGIN_SOURCE

pytest.importorskip("mcp.client.stdio")  # the SDK itself: a bare "mcp" would find this folder

from manifests.plugins import STABILIZE_MODE  # noqa: E402

HOST_TOOLS = {"task_status", "task_result", "tasks_list", "task_cancel", "dry_run", "models", "workflow_status",
              "workflow_resume"}
READ_ONLY = {"task_status", "tasks_list", "dry_run", "models", "workflow_status", "batch_status"}


@pytest.fixture(scope="module")
def listed(tmp_path_factory):
    """One server for the module, with a third-party mode and a third-party workflow installed."""
    from mcpharness import Harness, write_plugin

    root = tmp_path_factory.mktemp("listing")
    site = root / "site"
    write_plugin(site, "acme_stabilize", STABILIZE_MODE, "acme-stabilize")
    write_plugin(site, "acme_pair_flow", PLUGIN_SOURCE, "acme-pair-flow")
    (root / "work").mkdir()
    harness = Harness(root / "work", inherit=False)
    harness.env_overrides = {"PYTHONPATH": str(site), "QWEN_SKILLS_HOME": str(root / "home"),
                             "QWEN_SKILLS_NO_UPDATE_CHECK": "1"}

    async def script(session):
        return await session.tools()

    return harness.run(script)


def test_every_mode_of_every_skill_is_a_tool_with_its_request_schema(listed, install_plugin) -> None:
    from qwencloud_skills.plugins import get_registry

    install_plugin("acme_stabilize", STABILIZE_MODE, dist="acme-stabilize")
    registry = get_registry()  # the same plugins, loaded in this process
    expected = {f"{registry.skills[mode.skill].domain}_{mode.name.replace('-', '_')}": mode
                for mode in registry.modes.values()}
    assert "video_acme_stabilize" in expected and "video_t2v" in expected and "image_t2i" in expected
    assert set(expected) | HOST_TOOLS <= set(listed)
    for name, mode in expected.items():
        schema = listed[name].input_schema
        assert schema["type"] == "object"
        fields = set(mode.request_class.model_fields)
        assert fields <= set(schema["properties"]), name
        assert schema["properties"]["model"]["enum"] == mode.model_ids
        assert schema["properties"]["model"]["default"] == mode.default_model
        assert "output_dir" in schema["properties"]
        assert listed[name].description.startswith(mode.summary)


def test_the_third_party_mode_keeps_its_descriptions_and_required_fields(listed) -> None:
    schema = listed["video_acme_stabilize"].input_schema
    assert schema["required"] == ["shaky_video_url"]
    assert "shaky clip" in schema["properties"]["shaky_video_url"]["description"]
    assert schema["properties"]["model"]["enum"] == ["acme-steady-1"]


def test_field_enums_and_descriptions_come_from_the_request_model(listed) -> None:
    props = listed["video_t2v"].input_schema["properties"]
    assert props["shot_type"]["enum"] == ["single", "multi"]
    assert all(props[name].get("description") for name in ("prompt", "duration", "resolution"))
    assert listed["video_t2v"].input_schema["required"] == ["prompt"]


def test_every_workflow_is_a_tool_with_its_options_and_confirm(listed, install_plugin) -> None:
    from qwencloud_skills.plugins import get_registry

    install_plugin("acme_pair_flow", PLUGIN_SOURCE, dist="acme-pair-flow")
    flows = get_registry().workflows_of()
    assert {flow.name for flow in flows} >= {"pair", "long-video", "soundtrack"}
    for flow in flows:
        tool = listed[f"workflow_{flow.name.replace('-', '_')}"]
        props = tool.input_schema["properties"]
        assert set(flow.options_class.model_fields) <= set(props)
        assert props["confirm"]["type"] == "boolean" and "confirm: true" in tool.description
    assert listed["workflow_pair"].input_schema["required"] == ["prompt"]


def test_read_only_tools_say_so_and_the_others_do_not(listed) -> None:
    for name in READ_ONLY:
        assert listed[name].annotations.read_only_hint is True, name
    for name in set(listed) - READ_ONLY:
        assert listed[name].annotations.read_only_hint is False, name
    assert listed["task_cancel"].annotations.destructive_hint is True
    assert listed["video_t2v"].annotations.destructive_hint is False
    assert listed["video_t2v"].annotations.open_world_hint is True
    assert listed["models"].annotations.open_world_hint is False
