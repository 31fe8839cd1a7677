"""Ledgers written by earlier releases open, keep every row and go on working after an upgrade."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

from qwencloud_skills.emulator import Fault
from qwencloud_skills.ledger import MIGRATIONS, Ledger

FIXTURE = Path(__file__).parent / "data" / "ledger-0.1.0.sqlite3"  # written by the 0.1.0 ledger code


def _copy(tmp_path: Path) -> Path:
    target = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURE, target)
    return target


def test_a_0_1_0_ledger_is_migrated_and_keeps_every_row(tmp_path: Path) -> None:
    path = _copy(tmp_path)
    before = sqlite3.connect(str(path)).execute("SELECT task_id, status FROM tasks ORDER BY id").fetchall()
    ledger = Ledger(path)
    version = sqlite3.connect(str(path)).execute("PRAGMA user_version").fetchone()[0]
    assert version == len(MIGRATIONS)
    rows = {row["task_id"]: row for row in ledger.list(limit=100)}
    assert sorted(rows) == sorted(task for task, _ in before)
    done = rows["task-done-1"]
    assert done["status"] == "SUCCEEDED" and done["result"]["output"]["task_status"] == "SUCCEEDED"
    assert rows["task-running-2"]["output_dir"] == "/tmp/out2"
    assert "checked_at" in done and "request_hash" in done
    assert ledger.fresh_upload(sha256="ab" * 32, model="wan2.2-t2v-plus", base_url="http://127.0.0.1:9/api/v1",
                               min_remaining=0) == "oss://x/y.png"
    Ledger(path)  # opening again is a no-op
    assert len(Ledger(path).list(limit=100)) == len(before)


def test_a_migrated_ledger_settles_old_placeholders_and_resumes_tasks(emulator_env, tmp_path: Path) -> None:
    """An old unknown-outcome placeholder is resolved to a real task, which then resumes into its folder."""
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskClient

    path = _copy(tmp_path)
    ledger = Ledger(path)
    placeholder = ledger.list(status="SUBMIT_UNKNOWN")[0]["task_id"]
    with sqlite3.connect(str(path)) as db:  # the old placeholder's submit went to this emulator
        db.execute("UPDATE tasks SET base_url = ?, output_dir = ? WHERE task_id = ?",
                   (emulator_env.api_base, str(tmp_path / "old-out"), placeholder))
    emulator_env.inject(Fault(route="submit", kind="status", status=500, after_accept=True))
    key = ApiKey("sk-canary-7f3e9a1b2c4d5e6f")
    with TaskClient(skill="qwencloud-video-generation", api_key=key, base_url=emulator_env.api_base,
                    ledger=ledger) as client:
        try:
            client.submit({"prompt": "a cat", "size": "832*480"}, model="wan2.2-t2v-plus")
        except Exception:
            pass
        real = client.list()["data"][0]["task_id"]
    ledger.resolve(placeholder, real)
    with TaskClient.for_task(real, api_key=key, ledger=ledger) as client:
        result = client.download(client.wait(real, interval=0.05, timeout=30))
    assert result.local_path.parent == tmp_path / "old-out"


FIXTURE_V2 = Path(__file__).parent / "data" / "ledger-v2.sqlite3"  # written by the release before results


def test_a_v2_ledger_moves_its_single_result_into_the_results_table(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURE_V2, path)
    before = sqlite3.connect(str(path)).execute("SELECT task_id, status FROM tasks ORDER BY id").fetchall()
    ledger = Ledger(path)
    columns = {row[1] for row in sqlite3.connect(str(path)).execute("PRAGMA table_info(tasks)")}
    assert not columns & {"video_url", "local_path", "local_stat"} and "asynchronous" in columns
    rows = {row["task_id"]: row for row in ledger.list(limit=100)}
    assert sorted((task, rows[task]["status"]) for task in rows) == sorted(before)
    saved = rows["task-saved-0001"]
    assert saved["results"] == [{"task_id": "task-saved-0001", "idx": 0,
                                 "url": "http://127.0.0.1:9/files/task-saved-0001.mp4",
                                 "local_path": "/tmp/fixture-out/video.mp4", "local_stat": "1234:1700000000000000000",
                                 "code": None, "message": None}]
    assert saved["local_path"] == "/tmp/fixture-out/video.mp4" and saved["asynchronous"] == 1
    assert rows["task-pending-0002"]["results"] == [] and rows["task-failed-0003"]["error"].startswith("Data")
    uploads = sqlite3.connect(str(path)).execute("SELECT sha256, model, url FROM uploads").fetchall()
    assert uploads == [("ab" * 32, "wan2.6-i2v", "oss://x/y.png")]  # expired by now, but kept


def test_a_saved_v2_task_is_still_recognised_and_a_pending_one_resumes(emulator_env, tmp_path: Path) -> None:
    """The file saved before the upgrade is not downloaded again; a task still running is followed to its file."""
    from qwencloud_skills.secrets import ApiKey
    from qwencloud_skills.tasks import TaskClient

    path = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURE_V2, path)
    key = ApiKey("sk-canary-7f3e9a1b2c4d5e6f")
    with TaskClient(skill="qwencloud-video-generation", api_key=key, base_url=emulator_env.api_base,
                    ledger=False) as client:  # a task the old release submitted (this emulator's id)
        real = client.submit({"prompt": "a cat", "size": "832*480"}, model="wan2.2-t2v-plus").task_id
    out = tmp_path / "out"
    out.mkdir()
    old_file = out / "video.mp4"
    old_file.write_bytes(b"saved before the upgrade")
    stat = f"{old_file.stat().st_size}:{old_file.stat().st_mtime_ns}"
    with sqlite3.connect(str(path)) as db:  # as the old release left them on this machine
        db.execute("UPDATE tasks SET task_id = ?, base_url = ?, output_dir = ? WHERE task_id = 'task-pending-0002'",
                   (real, emulator_env.api_base, str(out)))
        db.execute("UPDATE tasks SET local_path = ?, local_stat = ? WHERE task_id = 'task-saved-0001'",
                   (str(old_file), stat))
    ledger = Ledger(path)
    with TaskClient.for_task("task-saved-0001", api_key=key, ledger=ledger) as client:
        earlier = client.saved_result("task-saved-0001")
    assert earlier is not None and earlier.files == [old_file] and earlier.already_saved
    with TaskClient.for_task(real, api_key=key, ledger=ledger) as client:
        status = client.wait(real, interval=0.05, timeout=30)
        result = client.download(status)
    assert result.local_path == out / "video_1.mp4"  # the old file keeps its name
    assert ledger.get(real)["results"][0]["local_path"] == str(result.local_path)


FIXTURE_V3 = Path(__file__).parent / "data" / "ledger-v3.sqlite3"  # as the release before workflows left it


def test_a_v3_ledger_gains_workflow_tables_and_task_origins_keeping_every_row(tmp_path: Path) -> None:
    from qwencloud_skills.workflows.spec import JobStep, Plan
    from qwencloud_skills.workflows.store import WorkflowStore

    path = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURE_V3, path)
    before = sqlite3.connect(str(path)).execute("SELECT task_id, status FROM tasks ORDER BY id").fetchall()
    ledger = Ledger(path)
    db = sqlite3.connect(str(path))
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert "origin" in {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
    assert db.execute("SELECT task_id, status FROM tasks ORDER BY id").fetchall() == before
    assert db.execute("SELECT COUNT(*) FROM tasks WHERE origin IS NOT NULL").fetchone()[0] == 0
    assert ledger.get("task-saved-0001")["local_path"] == "/tmp/fixture-out/video.mp4"
    store = WorkflowStore(ledger)
    plan = Plan((JobStep("one", "t2v", {"prompt": "x"}),), final="one")
    workflow_id = store.create(name="demo", skill="s", options={"prompt": "x"}, plan=plan, output_dir="out", stem="d")
    assert store.get(workflow_id)["plan"] == plan and store.list()[0]["step_counts"] == {"pending": 1}


FIXTURE_V4 = Path(__file__).parent / "data" / "ledger-v4.sqlite3"  # as the release before adaptive waiting left it


def test_a_v4_ledger_gains_the_timing_columns_and_keeps_origins(tmp_path: Path) -> None:
    path = tmp_path / "ledger.sqlite3"
    shutil.copy(FIXTURE_V4, path)
    before = sqlite3.connect(str(path)).execute("SELECT task_id, status, origin FROM tasks ORDER BY id").fetchall()
    ledger = Ledger(path)
    db = sqlite3.connect(str(path))
    assert db.execute("PRAGMA user_version").fetchone()[0] == len(MIGRATIONS)
    assert {"billed", "prior_seconds", "run_seconds"} <= {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
    assert db.execute("SELECT task_id, status, origin FROM tasks ORDER BY id").fetchall() == before
    assert ledger.by_origin("workflow:wf-fixture/one")[0]["task_id"] == "task-pending-0002"
    assert ledger.run_history("wan2.6-t2v", None) == []  # no timings were recorded before: the prior applies
