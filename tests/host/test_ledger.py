"""The ledger: durable, shared safely by several processes at once."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from qwencloud_skills.ledger import Ledger

WRITER = """
import sys
from qwencloud_skills.ledger import Ledger
ledger = Ledger(sys.argv[1])
for i in range(40):
    task = f"{sys.argv[2]}-{i}"
    ledger.record_submit(task, skill="s", mode="m", model="x", request={"i": i}, base_url="b", endpoint="/e")
    ledger.update(task, status="RUNNING")
    ledger.update(task, status="SUCCEEDED", result={"ok": True})
    ledger.record_result(task, 0, url=f"http://r/{task}", local_path=f"/tmp/{task}.bin")
"""


def test_parallel_processes_share_one_ledger(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    Ledger(path)
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, str(path), f"proc{n}"], stderr=subprocess.PIPE, text=True)
        for n in range(4)
    ]
    for writer in writers:
        _, err = writer.communicate(timeout=120)
        assert writer.returncode == 0, err
    rows = Ledger(path).list(limit=1000)
    assert len(rows) == 160
    assert {row["status"] for row in rows} == {"SUCCEEDED"}
    assert all(row["result"] == {"ok": True} for row in rows)
    assert all(row["local_path"] == f"/tmp/{row['task_id']}.bin" for row in rows)


def test_record_and_update_round_trip(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite3")
    ledger.record_submit("t1", skill="s", mode="m", model="x", request={"input": {"prompt": "p"}},
                         base_url="http://b", endpoint="/e", request_id="r1")
    row = ledger.get("t1")
    assert row["status"] == "PENDING" and row["request"] == {"input": {"prompt": "p"}}
    ledger.update("t1", status="SUCCEEDED", result={"output": {}})
    ledger.record_result("t1", 1, url="http://v2")
    ledger.record_result("t1", 0, url="http://v1")
    ledger.record_result("t1", 0, local_path="/tmp/a.bin", local_stat="3:4")
    row = ledger.get("t1")
    assert (row["status"], row["result"]) == ("SUCCEEDED", {"output": {}})
    assert [(r["idx"], r["url"], r["local_path"]) for r in row["results"]] == [
        (0, "http://v1", "/tmp/a.bin"), (1, "http://v2", None)]
    assert row["local_path"] == "/tmp/a.bin"
    with pytest.raises(ValueError):
        ledger.record_result("t1", 0, video_url="x")
    assert row["updated_at"] >= row["submitted_at"]


def test_unknown_outcome_gets_a_local_placeholder(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "l.sqlite3")
    local = ledger.record_unknown_outcome(skill="s", mode="m", model="x", request={}, base_url="b", endpoint="/e",
                                          error="timed out")
    assert local.startswith("unknown-")
    assert ledger.get(local)["status"] == "SUBMIT_UNKNOWN"


def test_ledger_never_stores_the_key(emulator, tmp_path: Path, canary_key: str) -> None:
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskClient

    ledger = Ledger(tmp_path / "l.sqlite3")
    with TaskClient(skill="qwencloud-video-generation", api_key=ApiKey(canary_key), base_url=emulator.api_base,
                    ledger=ledger) as client:
        client.create_and_poll({"prompt": "a cat", "size": "832*480"}, model="wan2.2-t2v-plus",
                               output_dir=tmp_path / "out", interval=0.05, timeout=30)
    for file in tmp_path.rglob("*"):
        if file.is_file():
            assert canary_key.encode() not in file.read_bytes(), file
