"""The task ledger: a SQLite file in the state dir recording every submit.

A task id is committed here right after the submit answer, before anything
else happens, so no crash, kill or timeout can lose a paid task. Submits whose
outcome is unknown are recorded too. WAL mode and a busy timeout let several
processes (parallel agents) share one ledger.
"""

from __future__ import annotations

import json
import sqlite3
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Dict, Iterator, List, Mapping, Optional

SCHEMA = """
CREATE TABLE IF NOT EXISTS tasks (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    task_id TEXT UNIQUE NOT NULL,
    skill TEXT,
    mode TEXT,
    model TEXT,
    request TEXT,
    base_url TEXT,
    endpoint TEXT,
    request_id TEXT,
    submitted_at REAL NOT NULL,
    updated_at REAL NOT NULL,
    status TEXT NOT NULL,
    result TEXT,
    video_url TEXT,
    output_dir TEXT,
    local_path TEXT,
    local_stat TEXT,
    error TEXT
);
CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status);
CREATE TABLE IF NOT EXISTS uploads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    sha256 TEXT NOT NULL,
    size INTEGER NOT NULL,
    model TEXT NOT NULL,
    base_url TEXT NOT NULL,
    url TEXT NOT NULL,
    uploaded_at REAL NOT NULL,
    expires_at REAL NOT NULL
);
CREATE INDEX IF NOT EXISTS uploads_lookup ON uploads(sha256, model, base_url);
CREATE TABLE IF NOT EXISTS upload_limits (
    model TEXT NOT NULL,
    base_url TEXT NOT NULL,
    max_file_size_mb REAL NOT NULL,
    seen_at REAL NOT NULL,
    PRIMARY KEY (model, base_url)
);
"""

UNKNOWN_OUTCOME = "SUBMIT_UNKNOWN"
PLACEHOLDER_PREFIX = "unknown-"
FINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN", "SAVED"})
COLUMNS = (
    "task_id", "skill", "mode", "model", "request", "base_url", "endpoint", "request_id",
    "submitted_at", "updated_at", "status", "result", "video_url", "output_dir", "local_path", "local_stat", "error",
)


class Ledger:
    def __init__(self, path: Path):
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.executescript(SCHEMA)
            columns = {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
            if "local_stat" not in columns:  # ledgers written by 0.1 pre-releases
                db.execute("ALTER TABLE tasks ADD COLUMN local_stat TEXT")

    @classmethod
    def default(cls) -> Ledger:
        from .settings import state_dir

        return cls(state_dir() / "ledger.sqlite3")

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)
        try:
            db.execute("PRAGMA busy_timeout = 30000")
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.row_factory = sqlite3.Row
            yield db
        finally:
            db.close()

    # -- writes ------------------------------------------------------------------
    def record_submit(
        self,
        task_id: str,
        *,
        skill: str,
        mode: str,
        model: str,
        request: Mapping[str, Any],
        base_url: str,
        endpoint: str,
        request_id: Optional[str] = None,
        status: str = "PENDING",
        output_dir: Optional[str] = None,
        error: Optional[str] = None,
    ) -> None:
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT INTO tasks (task_id, skill, mode, model, request, base_url, endpoint, request_id,"
                " submitted_at, updated_at, status, output_dir, error) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    task_id, skill, mode, model, json.dumps(_without_signatures(request), ensure_ascii=False), base_url,
                    endpoint, request_id, now, now, status, output_dir, error,
                ),
            )

    def adopt(self, task_id: str, *, skill: Optional[str], base_url: str) -> None:
        """Start tracking a task this ledger did not submit (no-op when it is already known)."""
        now = time.time()
        with self._connect() as db:
            db.execute(
                "INSERT OR IGNORE INTO tasks (task_id, skill, base_url, submitted_at, updated_at, status)"
                " VALUES (?,?,?,?,?,?)",
                (task_id, skill, base_url, now, now, "ADOPTED"),
            )

    def resolve(self, placeholder: str, task_id: Optional[str]) -> None:
        """Settle an unknown-outcome placeholder: the real task id found on the service, or none created.

        The real task inherits what the placeholder recorded (skill, mode, model,
        request, output folder), so resuming it saves where the submit meant to.
        """
        row = self.get(placeholder)
        if row is None or row["status"] != UNKNOWN_OUTCOME:
            raise ValueError(f"{placeholder!r} is not an unsettled unknown-outcome placeholder in this ledger")
        if task_id and task_id.startswith(PLACEHOLDER_PREFIX):
            raise ValueError(f"{task_id!r} is a placeholder too; give the task id the service shows")
        if task_id:
            existing = self.get(task_id)
            if existing is None:
                self.record_submit(
                    task_id, skill=row["skill"], mode=row["mode"], model=row["model"], request=row["request"] or {},
                    base_url=row["base_url"], endpoint=row["endpoint"], status="PENDING", output_dir=row["output_dir"],
                )
            else:
                self.update(task_id, skill=row["skill"], mode=row["mode"], model=row["model"],
                            output_dir=existing.get("output_dir") or row["output_dir"])
            self.update(placeholder, status="RESOLVED", error=f"the submit created task {task_id}")
        else:
            self.update(placeholder, status="NOT_CREATED", error="no task was created by this submit")

    def record_unknown_outcome(self, **fields: Any) -> str:
        """Record a submit that may have created a task; returns a local placeholder id."""
        local_id = f"{PLACEHOLDER_PREFIX}{uuid.uuid4().hex[:12]}"
        self.record_submit(local_id, status=UNKNOWN_OUTCOME, **fields)
        return local_id

    def update(self, task_id: str, **fields: Any) -> None:
        unknown = set(fields) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown ledger fields: {sorted(unknown)}")
        if "result" in fields and not isinstance(fields["result"], (str, type(None))):
            fields["result"] = json.dumps(fields["result"], ensure_ascii=False)
        fields["updated_at"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._connect() as db:
            db.execute(f"UPDATE tasks SET {assignments} WHERE task_id = ?", (*fields.values(), task_id))

    # -- reads ---------------------------------------------------------------------
    def get(self, task_id: str) -> Optional[Dict[str, Any]]:
        with self._connect() as db:
            row = db.execute("SELECT * FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        return _row(row) if row else None

    def list(
        self, *, skill: Optional[str] = None, status: Optional[str] = None, limit: int = 50
    ) -> List[Dict[str, Any]]:
        query = "SELECT * FROM tasks"
        clauses, args = [], []
        if skill:
            clauses.append("skill = ?")
            args.append(skill)
        if status:
            clauses.append("status = ?")
            args.append(status)
        if clauses:
            query += " WHERE " + " AND ".join(clauses)
        query += " ORDER BY submitted_at DESC, id DESC LIMIT ?"
        args.append(limit)
        with self._connect() as db:
            return [_row(row) for row in db.execute(query, args).fetchall()]

    # -- uploads -------------------------------------------------------------------
    def record_upload(
        self, *, sha256: str, size: int, model: str, base_url: str, url: str, expires_at: float
    ) -> None:
        with self._connect() as db:
            db.execute(
                "INSERT INTO uploads (sha256, size, model, base_url, url, uploaded_at, expires_at)"
                " VALUES (?,?,?,?,?,?,?)",
                (sha256, size, model, base_url, url, time.time(), expires_at),
            )

    def fresh_upload(self, *, sha256: str, model: str, base_url: str, min_remaining: float) -> Optional[str]:
        """A previous upload of the same bytes still valid for ``min_remaining`` seconds."""
        with self._connect() as db:
            row = db.execute(
                "SELECT url FROM uploads WHERE sha256 = ? AND model = ? AND base_url = ? AND expires_at > ?"
                " ORDER BY expires_at DESC LIMIT 1",
                (sha256, model, base_url, time.time() + min_remaining),
            ).fetchone()
        return row["url"] if row else None


    def record_upload_limit(self, *, model: str, base_url: str, max_file_size_mb: float) -> None:
        """Remember the policy's size limit so later oversize files fail before any request."""
        with self._connect() as db:
            db.execute(
                "INSERT OR REPLACE INTO upload_limits (model, base_url, max_file_size_mb, seen_at) VALUES (?,?,?,?)",
                (model, base_url, float(max_file_size_mb), time.time()),
            )

    def upload_limit(self, *, model: str, base_url: str) -> Optional[float]:
        with self._connect() as db:
            row = db.execute(
                "SELECT max_file_size_mb FROM upload_limits WHERE model = ? AND base_url = ?", (model, base_url)
            ).fetchone()
        return float(row["max_file_size_mb"]) if row else None


SIGNED_QUERY_MARKERS = ("x-oss-signature=", "x-oss-credential=", "signature=")


def _without_signatures(value: Any) -> Any:
    """The request as recorded: presigned URLs (the user's own bucket) lose their signed query,
    which names the user's access key id and grants reading the object."""
    if isinstance(value, str):
        base, sep, query = value.partition("?")
        if sep and value.startswith(("https://", "http://")) and any(m in query.lower() for m in SIGNED_QUERY_MARKERS):
            return base + "?<signed query not recorded>"
        return value
    if isinstance(value, Mapping):
        return {key: _without_signatures(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [_without_signatures(item) for item in value]
    return value


def _row(row: sqlite3.Row) -> Dict[str, Any]:
    data = dict(row)
    for name in ("request", "result"):
        if data.get(name):
            try:
                data[name] = json.loads(data[name])
            except ValueError:
                pass
    return data
