"""The task ledger: a SQLite file in the state dir recording every submit.

An *intent* row is committed before a submit leaves (request hash, endpoint,
base URL, output folder, the submitting process), and becomes the task's row
when the answer arrives, so no crash, kill, SIGTERM or timeout can lose a paid
task: an intent whose process is gone is an unknown outcome to settle. WAL
mode and a busy timeout let several processes (parallel agents) share one
ledger. The schema moves forward by numbered migrations (``PRAGMA
user_version``).
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from _thread import get_ident  # the documented low-level module: threading costs a quick check 1 ms
from collections.abc import Mapping
from contextlib import contextmanager
from pathlib import Path

TYPE_CHECKING = False  # typing.TYPE_CHECKING without importing typing (README: Start-up)
if TYPE_CHECKING:  # pragma: no cover
    from typing import Any, Dict, Iterator, List, Optional

BASE_SCHEMA = """
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
SUBMITTING = "SUBMITTING"  # an intent: the submit is being sent by a process that is still running
PLACEHOLDER_PREFIX = "unknown-"
FINAL_STATUSES = frozenset({"SUCCEEDED", "FAILED", "CANCELED", "UNKNOWN"})
SETTLED_PLACEHOLDER_STATUSES = frozenset({"RESOLVED", "NOT_CREATED"})
COLUMNS = (
    "task_id", "skill", "mode", "model", "request", "base_url", "endpoint", "request_id",
    "submitted_at", "updated_at", "status", "result", "output_dir", "error",
    "request_hash", "pid", "checked_at", "asynchronous", "output", "origin", "billed", "prior_seconds",
    "run_seconds",
)
RESULT_COLUMNS = ("url", "local_path", "local_stat", "code", "message")
# Bounded fields: whatever the service answers, a row stays small.
MAX_ERROR_CHARS = 2000
MAX_RESULT_BYTES = 64 * 1024
# An intent older than this is interrupted even if its pid is alive again (pids are reused).
INTENT_MAX_AGE = 3600.0


def _create_base(db: sqlite3.Connection) -> None:
    # Statement by statement: executescript() would commit the migration's transaction.
    for statement in BASE_SCHEMA.split(";"):
        if statement.strip():
            db.execute(statement)


def _add_local_stat(db: sqlite3.Connection) -> None:
    columns = {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
    if "local_stat" not in columns:  # ledgers written by 0.1 pre-releases
        db.execute("ALTER TABLE tasks ADD COLUMN local_stat TEXT")


def _add_intent_columns(db: sqlite3.Connection) -> None:
    db.execute("ALTER TABLE tasks ADD COLUMN request_hash TEXT")
    db.execute("ALTER TABLE tasks ADD COLUMN pid INTEGER")
    db.execute("ALTER TABLE tasks ADD COLUMN checked_at REAL")


TASK_COLUMNS_V3 = """
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
    output_dir TEXT,
    error TEXT,
    request_hash TEXT,
    pid INTEGER,
    checked_at REAL,
    asynchronous INTEGER NOT NULL DEFAULT 1,
    output TEXT
"""
KEPT_V3 = ("id", "task_id", "skill", "mode", "model", "request", "base_url", "endpoint", "request_id", "submitted_at",
           "updated_at", "status", "result", "output_dir", "error", "request_hash", "pid", "checked_at")


def _results_table(db: sqlite3.Connection) -> None:
    """Tasks with N results: one row per result (URL, saved file); the single-result columns go.

    The table is rebuilt without video_url/local_path/local_stat; what they held
    becomes result 0 of its task, so saved files are still recognised.
    """
    db.execute(
        "CREATE TABLE results (task_id TEXT NOT NULL, idx INTEGER NOT NULL, url TEXT, local_path TEXT,"
        " local_stat TEXT, code TEXT, message TEXT, PRIMARY KEY (task_id, idx))"
    )
    db.execute(
        "INSERT INTO results (task_id, idx, url, local_path, local_stat)"
        " SELECT task_id, 0, video_url, local_path, local_stat FROM tasks"
        " WHERE video_url IS NOT NULL OR local_path IS NOT NULL"
    )
    db.execute(f"CREATE TABLE tasks_v3 ({TASK_COLUMNS_V3})")
    kept = ", ".join(KEPT_V3)
    db.execute(f"INSERT INTO tasks_v3 ({kept}) SELECT {kept} FROM tasks")
    db.execute("DROP TABLE tasks")
    db.execute("ALTER TABLE tasks_v3 RENAME TO tasks")
    db.execute("CREATE INDEX IF NOT EXISTS tasks_status ON tasks(status)")


def _workflow_tables(db: sqlite3.Connection) -> None:
    """Workflows and their steps; a task row names the step that submitted it (``origin``).

    The origin is written with the intent, in the same statement, and survives the intent's
    promotion to the task's row: after a kill at any point, resuming finds the step's task.
    """
    db.execute("ALTER TABLE tasks ADD COLUMN origin TEXT")
    db.execute("CREATE INDEX IF NOT EXISTS tasks_origin ON tasks(origin)")
    db.execute(
        "CREATE TABLE workflows (id TEXT PRIMARY KEY, name TEXT NOT NULL, skill TEXT NOT NULL, options TEXT,"
        " plan TEXT NOT NULL, preview TEXT, status TEXT NOT NULL, created_at REAL NOT NULL, updated_at REAL NOT NULL,"
        " output_dir TEXT, folder TEXT, stem TEXT, final_path TEXT, manifest_path TEXT, error TEXT, pid INTEGER)"
    )
    db.execute(
        "CREATE TABLE workflow_steps (workflow_id TEXT NOT NULL, step_id TEXT NOT NULL, position INTEGER NOT NULL,"
        " kind TEXT NOT NULL, status TEXT NOT NULL, inputs TEXT, outputs TEXT, task_id TEXT, started_at REAL,"
        " finished_at REAL, error TEXT, PRIMARY KEY (workflow_id, step_id))"
    )


def _timing_columns(db: sqlite3.Connection) -> None:
    """What a task bills (the plugin's amounts, as canonical JSON), the plugin's expected time, and how long it
    took: together the history that adaptive waiting reads."""
    db.execute("ALTER TABLE tasks ADD COLUMN billed TEXT")
    db.execute("ALTER TABLE tasks ADD COLUMN prior_seconds REAL")
    db.execute("ALTER TABLE tasks ADD COLUMN run_seconds REAL")
    db.execute("CREATE INDEX IF NOT EXISTS tasks_history ON tasks(model, billed, status)")


# Numbered migrations: MIGRATIONS[n] brings a ledger from user_version n to n + 1. Never edit one
# that has shipped; append a new one.
MIGRATIONS = (
    lambda db: (_create_base(db), _add_local_stat(db)),
    _add_intent_columns,
    _results_table,
    _workflow_tables,
    _timing_columns,
)


class Ledger:
    def __init__(self, path: Path, eager: bool = True):
        """``eager``: open the file (and migrate it) now, so a bad path fails here; else on first use."""
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._held: Dict[int, sqlite3.Connection] = {}  # thread id -> the connection of its session()
        self._migrated = False
        if eager:
            with self._open():
                pass

    @staticmethod
    def _migrate(db: sqlite3.Connection) -> None:
        """Apply the migrations this file has not seen, each in its own transaction."""
        version = db.execute("PRAGMA user_version").fetchone()[0]
        if version >= len(MIGRATIONS):
            return
        db.execute("BEGIN IMMEDIATE")  # one process migrates; the others wait, then see the new version
        try:
            version = db.execute("PRAGMA user_version").fetchone()[0]
            for number in range(version, len(MIGRATIONS)):
                MIGRATIONS[number](db)
                db.execute(f"PRAGMA user_version = {number + 1}")
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    @classmethod
    def default(cls, env: Optional[Any] = None, eager: bool = True) -> Ledger:
        from .settings import state_dir

        return cls(state_dir(env) / "ledger.sqlite3", eager=eager)

    def connection(self) -> Any:
        """A connection to this ledger (autocommit; ``BEGIN IMMEDIATE`` for a transaction), for the
        host's other records (workflows) that share its file and its migrations). Always its own
        connection, never a session's: its transactions must not mix with the session's writes."""
        return self._open()

    @contextmanager
    def session(self, observations_only: bool = False) -> Iterator[Ledger]:
        """Calls made inside share one connection (this thread's), instead of opening one each.

        For short runs of reads and single-statement writes, such as one status check; nothing
        inside may start its own transaction on :meth:`connection`. ``observations_only``: what is
        written inside only records what the service said (a status, result URLs), which the next
        poll says again; those commits skip the fsync (WAL with synchronous=NORMAL stays consistent
        and loses at most the last commits on a power cut, never on a crash). Intents and submit
        answers are never written that way: they are what pays.
        """
        thread = get_ident()
        if thread in self._held:
            yield self
            return
        with self._open() as db:
            if observations_only:
                db.execute("PRAGMA synchronous = NORMAL")
            self._held[thread] = db
            try:
                yield self
            finally:
                del self._held[thread]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        held = self._held.get(get_ident())  # this thread's session, if any
        if held is not None:
            yield held
            return
        with self._open() as db:
            yield db

    @contextmanager
    def _open(self) -> Iterator[sqlite3.Connection]:
        """A new connection; the first one this object opens also brings the file's schema up to date."""
        db = sqlite3.connect(str(self.path), timeout=30.0, isolation_level=None)  # timeout: the busy wait
        try:
            db.execute("PRAGMA journal_mode = WAL")
            db.execute("PRAGMA synchronous = FULL")
            db.row_factory = sqlite3.Row
            if not self._migrated:
                self._migrate(db)
                self._migrated = True
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
        pid: Optional[int] = None,
        asynchronous: bool = True,
        output: Optional[Mapping[str, Any]] = None,
        origin: Optional[str] = None,
        billed: Optional[Mapping[str, float]] = None,
        prior_seconds: Optional[float] = None,
    ) -> None:
        """``output``: how the skill names what the job yields (noun, extension, ...), so that resuming
        the task later needs no plugin code."""
        now = time.time()
        recorded = request if isinstance(request, Mapping) else {}
        with self._connect() as db:
            db.execute(
                "INSERT INTO tasks (task_id, skill, mode, model, request, base_url, endpoint, request_id,"
                " submitted_at, updated_at, status, output_dir, error, request_hash, pid, asynchronous, output, origin,"
                " billed, prior_seconds) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                (
                    task_id, skill, mode, model, json.dumps(_without_signatures(recorded), ensure_ascii=False),
                    base_url, endpoint, request_id, now, now, status, output_dir, _bounded_error(error),
                    request_hash(recorded), pid, int(bool(asynchronous)),
                    json.dumps(dict(output), ensure_ascii=False) if output else None, origin,
                    billed_key(billed), prior_seconds,
                ),
            )

    def record_intent(self, **fields: Any) -> str:
        """Before a submit leaves: a placeholder row naming this process; returns its id.

        :meth:`promote` turns it into the task's row when the answer arrives;
        if this process dies first, :meth:`settle_interrupted` makes it an
        unknown outcome.
        """
        local_id = _local_id()
        self.record_submit(local_id, status=SUBMITTING, pid=os.getpid(), **fields)
        return local_id

    def promote(self, placeholder: str, task_id: str, *, status: str, request_id: Optional[str],
                result: Any = None) -> None:
        """The submit was answered: the intent row becomes the task's row (one statement, atomic).

        A synchronous answer carries the final ``result`` itself: it is recorded in the same statement.
        """
        recorded = _bounded_result(result) if result is not None else None
        with self._connect() as db:
            try:
                db.execute(
                    "UPDATE tasks SET task_id = ?, status = ?, request_id = ?, pid = NULL, updated_at = ?,"
                    " result = COALESCE(?, result) WHERE task_id = ?",
                    (task_id, status, request_id, time.time(), recorded, placeholder),
                )
            except sqlite3.IntegrityError:  # the id is known already (adopted by a poll meanwhile)
                db.execute("DELETE FROM tasks WHERE task_id = ?", (placeholder,))
                db.execute("UPDATE tasks SET request_id = ?, updated_at = ? WHERE task_id = ?",
                           (request_id, time.time(), task_id))

    def mark_unknown(self, placeholder: str, error: str) -> None:
        """The submit may have been accepted: keep the intent as an unknown outcome to settle."""
        self.update(placeholder, status=UNKNOWN_OUTCOME, error=error, pid=None)

    def drop_intent(self, placeholder: str) -> None:
        """The submit certainly created nothing (refused before or by the service): forget the intent."""
        with self._connect() as db:
            db.execute("DELETE FROM tasks WHERE task_id = ? AND status = ?", (placeholder, SUBMITTING))

    def settle_interrupted(self) -> int:
        """Intents whose process is gone (killed, crashed) become unknown outcomes; returns how many."""
        with self._connect() as db:
            rows = db.execute("SELECT task_id, pid, submitted_at FROM tasks WHERE status = ?",
                              (SUBMITTING,)).fetchall()
        settled = 0
        for row in rows:
            age = time.time() - row["submitted_at"]
            if age < INTENT_MAX_AGE and row["pid"] and _process_alive(int(row["pid"])):
                continue
            self.update(row["task_id"], status=UNKNOWN_OUTCOME, pid=None,
                        error="interrupted while the submit was in flight (the process ended before the "
                              "answer was recorded): the service may have created the task")
            settled += 1
        return settled

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
        self.settle_interrupted()
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
                    asynchronous=bool(row.get("asynchronous", 1)),
                    output=row.get("output") if isinstance(row.get("output"), Mapping) else None,
                    origin=row.get("origin"),
                    billed=json.loads(row["billed"]) if row.get("billed") else None,
                    prior_seconds=row.get("prior_seconds"),
                )
            else:
                self.update(task_id, skill=row["skill"], mode=row["mode"], model=row["model"],
                            output_dir=existing.get("output_dir") or row["output_dir"])
            self.update(placeholder, status="RESOLVED", error=f"the submit created task {task_id}")
        else:
            self.update(placeholder, status="NOT_CREATED", error="no task was created by this submit")

    def record_unknown_outcome(self, **fields: Any) -> str:
        """Record a submit that may have created a task; returns a local placeholder id."""
        local_id = _local_id()
        self.record_submit(local_id, status=UNKNOWN_OUTCOME, **fields)
        return local_id

    def note_checked(self, task_id: str, **fields: Any) -> None:
        """A status answer arrived: record it and when it was seen."""
        self.update(task_id, checked_at=time.time(), **fields)

    def update(self, task_id: str, **fields: Any) -> None:
        unknown = set(fields) - set(COLUMNS)
        if unknown:
            raise ValueError(f"unknown ledger fields: {sorted(unknown)}")
        if "result" in fields and fields["result"] is not None:
            fields["result"] = _bounded_result(fields["result"])
        if "error" in fields:
            fields["error"] = _bounded_error(fields["error"])
        fields["updated_at"] = time.time()
        assignments = ", ".join(f"{name} = ?" for name in fields)
        with self._connect() as db:
            db.execute(f"UPDATE tasks SET {assignments} WHERE task_id = ?", (*fields.values(), task_id))

    def record_result(self, task_id: str, index: int, **fields: Any) -> None:
        """What is known of a task's result ``index``: its URL, the file it was saved to, or its failure."""
        unknown = set(fields) - set(RESULT_COLUMNS)
        if unknown:
            raise ValueError(f"unknown result fields: {sorted(unknown)}")
        if "message" in fields:
            fields["message"] = _bounded_error(fields["message"])
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            db.execute("INSERT OR IGNORE INTO results (task_id, idx) VALUES (?, ?)", (task_id, index))
            if fields:
                assignments = ", ".join(f"{name} = ?" for name in fields)
                db.execute(f"UPDATE results SET {assignments} WHERE task_id = ? AND idx = ?",
                           (*fields.values(), task_id, index))
            db.execute("COMMIT")

    def results(self, task_id: str) -> List[Dict[str, Any]]:
        """The task's results in order (empty when none is known yet)."""
        with self._connect() as db:
            rows = db.execute("SELECT * FROM results WHERE task_id = ? ORDER BY idx", (task_id,)).fetchall()
        return [dict(row) for row in rows]

    # -- reads ---------------------------------------------------------------------
    def run_history(self, model: str, billed: Optional[str], limit: int = 30) -> List[float]:
        """How long recent finished tasks of ``model`` billing the same amounts took, newest first."""
        with self._connect() as db:
            rows = db.execute(
                "SELECT run_seconds FROM tasks WHERE model = ? AND billed IS ? AND status = 'SUCCEEDED'"
                " AND run_seconds IS NOT NULL ORDER BY id DESC LIMIT ?", (model, billed, limit)).fetchall()
        return [float(row["run_seconds"]) for row in rows]

    def by_origin(self, origin: str) -> List[Dict[str, Any]]:
        """The rows a submitter tagged ``origin`` (a workflow step, say), oldest first."""
        self.settle_interrupted()
        with self._connect() as db:
            rows = db.execute("SELECT * FROM tasks WHERE origin = ? ORDER BY id", (origin,)).fetchall()
        return [_row(row) for row in rows]

    def get(self, task_id: str) -> Optional[Dict[str, Any]]:
        """The task's row, with ``results`` (see :meth:`results`) and ``local_path`` (the first saved file)."""
        with self._connect() as db:
            row = db.execute("SELECT * FROM tasks WHERE task_id = ?", (task_id,)).fetchone()
        if row is None:
            return None
        data = _row(row)
        data["results"] = self.results(task_id)
        saved = [item["local_path"] for item in data["results"] if item.get("local_path")]
        data["local_path"] = saved[0] if saved else None
        return data

    def list(
        self, *, skill: Optional[str] = None, status: Optional[str] = None, limit: int = 50
    ) -> List[Dict[str, Any]]:
        self.settle_interrupted()
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
            rows = [_row(row) for row in db.execute(query, args).fetchall()]
            found: Dict[str, List[Dict[str, Any]]] = {}
            ids = [row["task_id"] for row in rows]
            for start in range(0, len(ids), 500):  # within SQLite's limit on bound variables
                chunk = ids[start:start + 500]
                marks = ",".join("?" * len(chunk))
                for item in db.execute(f"SELECT * FROM results WHERE task_id IN ({marks}) ORDER BY idx", chunk):
                    found.setdefault(item["task_id"], []).append(dict(item))
        for row in rows:
            row["results"] = found.get(row["task_id"], [])
            saved = [item["local_path"] for item in row["results"] if item.get("local_path")]
            row["local_path"] = saved[0] if saved else None
        return rows

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


def _local_id() -> str:
    """A placeholder's id: unique, and plainly not a service task id."""
    import uuid

    return f"{PLACEHOLDER_PREFIX}{uuid.uuid4().hex[:12]}"


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


def request_hash(request: Mapping[str, Any]) -> str:
    """A stable fingerprint of a request body (to match a submit with what the service lists)."""
    canonical = json.dumps(request, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    import hashlib

    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def billed_key(billed: Optional[Mapping[str, float]]) -> Optional[str]:
    """Billed amounts as the canonical JSON that history lookups compare (None: not stated)."""
    if not billed:
        return None
    return json.dumps({str(k): float(v) for k, v in billed.items()}, sort_keys=True, separators=(",", ":"))


def _bounded_error(error: Optional[str]) -> Optional[str]:
    if error is None or len(error) <= MAX_ERROR_CHARS:
        return error
    return error[: MAX_ERROR_CHARS - 30] + f" ... ({len(error)} characters in all)"


def _bounded_result(result: Any) -> str:
    """The final answer as JSON, at most MAX_RESULT_BYTES: a huge answer keeps only what resuming needs."""
    text = result if isinstance(result, str) else json.dumps(result, ensure_ascii=False, default=str)
    if len(text.encode("utf-8")) <= MAX_RESULT_BYTES:
        return text
    data = result if isinstance(result, Mapping) else {}
    output = data.get("output") if isinstance(data.get("output"), Mapping) else {}
    kept = {key: output[key] for key in ("task_id", "task_status", "code") if key in output}
    kept.update({key: value for key, value in output.items() if key.endswith("_url") and isinstance(value, str)})
    if isinstance(output.get("message"), str):
        kept["message"] = output["message"][:MAX_ERROR_CHARS]
    results = output.get("results")
    if isinstance(results, list):
        kept["results"] = [{"url": item.get("url")} for item in results[:100] if isinstance(item, Mapping)]
    reduced = {"output": kept, "request_id": data.get("request_id"), "truncated": True}
    text = json.dumps(reduced, ensure_ascii=False, default=str)
    if len(text.encode("utf-8")) > MAX_RESULT_BYTES:
        text = json.dumps({"output": {k: kept.get(k) for k in ("task_id", "task_status")}, "truncated": True})
    return text


def _process_alive(pid: int) -> bool:
    if pid == os.getpid():
        return True
    if os.name == "nt":  # no cheap liveness probe: trust the age limit
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    except OSError:
        return False
    return True


def _row(row: sqlite3.Row) -> Dict[str, Any]:
    data = dict(row)
    for name in ("request", "result", "output"):
        if data.get(name):
            try:
                data[name] = json.loads(data[name])
            except ValueError:
                pass
    return data
