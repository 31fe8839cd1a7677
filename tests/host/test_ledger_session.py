"""Ledger.session(): one connection for a run of calls, without weakening what pays."""

from __future__ import annotations

import sqlite3
import threading
from pathlib import Path

from qwencloud_skills.ledger import Ledger

FULL, NORMAL = 2, 1


def _submit(ledger: Ledger, task_id: str) -> None:
    ledger.record_submit(task_id, skill="s", mode="m", model="x", request={"prompt": "p"},
                         base_url="http://127.0.0.1:1/api/v1", endpoint="/e")


def test_calls_in_a_session_share_one_connection_and_commit_at_once(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    _submit(ledger, "t-1")
    opened = []
    real_open = ledger._open

    def counting_open():  # counts the connections the ledger opens (the real ones)
        opened.append(1)
        return real_open()

    ledger._open = counting_open  # type: ignore[method-assign]
    with ledger.session(observations_only=True):
        for _ in range(5):
            ledger.update("t-1", status="RUNNING")
            assert ledger.get("t-1")["status"] == "RUNNING"
        with sqlite3.connect(str(tmp_path / "ledger.sqlite3")) as other:  # committed, seen by others at once
            assert other.execute("SELECT status FROM tasks WHERE task_id='t-1'").fetchone()[0] == "RUNNING"
    assert len(opened) == 1
    ledger.update("t-1", status="SUCCEEDED")
    assert len(opened) == 2  # outside the session: a connection per call again


def test_observations_skip_the_fsync_but_transactions_and_intents_keep_it(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    with ledger.session(observations_only=True):
        with ledger._connect() as db:
            assert db.execute("PRAGMA synchronous").fetchone()[0] == NORMAL
        with ledger.connection() as db:  # the workflow store's transactions: never the session's connection
            assert db.execute("PRAGMA synchronous").fetchone()[0] == FULL
    with ledger.session():
        with ledger._connect() as db:
            assert db.execute("PRAGMA synchronous").fetchone()[0] == FULL


def test_other_threads_keep_their_own_connections_during_a_session(tmp_path: Path) -> None:
    ledger = Ledger(tmp_path / "ledger.sqlite3")
    _submit(ledger, "t-2")
    errors = []

    def elsewhere() -> None:
        try:
            ledger.update("t-2", status="RUNNING")
        except Exception as exc:  # e.g. sqlite3.ProgrammingError: a connection used from another thread
            errors.append(exc)

    with ledger.session():
        worker = threading.Thread(target=elsewhere)
        worker.start()
        worker.join(10)
        assert ledger.get("t-2")["status"] == "RUNNING"
    assert errors == []
