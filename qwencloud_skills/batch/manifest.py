"""``batch-results.jsonl``: one line per input line (id, task id, status, saved files, error), as it goes.

The whole file is rewritten atomically (a temp file in the same folder, then a rename) whenever a
line changes, at most a few times a second: a reader, or a kill at any moment, sees either the
previous or the next complete manifest, never half of one. Statuses: queued, running, done,
failed, invalid, unknown (the submit's outcome), stopped (still running on the service when this
run stopped following it).
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, List, Optional

MANIFEST_NAME = "batch-results.jsonl"
WRITE_EVERY = 0.5  # seconds between rewrites at most (flush() writes at once)
QUEUED, RUNNING, DONE, FAILED, INVALID, UNKNOWN, STOPPED = (
    "queued", "running", "done", "failed", "invalid", "unknown", "stopped")


class ResultsManifest:
    """The manifest's records in line order; ``path`` None keeps them in memory only (run_many's default)."""

    def __init__(self, path: Optional[Path] = None):
        self.path = path
        self.records: Dict[int, Dict[str, Any]] = {}
        self._dirty = False
        self._written = 0.0

    def add(self, number: int, line_id: Optional[str], status: str = QUEUED, **fields: Any) -> None:
        self.records[number] = {"line": number, "id": line_id, "task_id": None, "status": status, "files": [],
                                "error": None}
        self.set(number, **fields)

    def set(self, number: int, **fields: Any) -> None:
        record = self.records[number]
        if "files" in fields:
            fields["files"] = [str(path) for path in fields["files"] or []]
        record.update(fields)
        self._dirty = True
        if time.monotonic() - self._written >= WRITE_EVERY:
            self.flush()

    def flush(self) -> None:
        if self.path is None or not self._dirty:
            return
        self._dirty = False
        self._written = time.monotonic()
        lines = [json.dumps(self.records[number], ensure_ascii=False, default=str) for number in sorted(self.records)]
        handle, temp = tempfile.mkstemp(prefix=".batch-results.", suffix=".part", dir=str(self.path.parent))
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as stream:
                stream.write("\n".join(lines) + "\n")
                stream.flush()
                os.fsync(stream.fileno())
            os.chmod(temp, 0o644)
            os.replace(temp, self.path)
        except BaseException:
            if os.path.exists(temp):
                os.unlink(temp)
            raise

    def ordered(self) -> List[Dict[str, Any]]:
        return [dict(self.records[number]) for number in sorted(self.records)]

    def count(self, status: str) -> int:
        return sum(1 for record in self.records.values() if record["status"] == status)


def manifest_path(folder: Path, recorded: Optional[str]) -> Path:
    """Where this batch's manifest goes: where an earlier run of it wrote one, else the first free name
    in ``folder`` (another batch's manifest there is never overwritten)."""
    from ..output import candidate_names

    if recorded and Path(recorded).parent == folder:
        return Path(recorded)
    for name in candidate_names(MANIFEST_NAME):
        try:  # claimed at once: two batches starting together cannot pick one name
            os.close(os.open(folder / name, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o644))  # novermin: bit flags
        except FileExistsError:
            continue
        return folder / name
    raise AssertionError("unreachable")  # pragma: no cover


def read_manifest(path: Path) -> List[Dict[str, Any]]:
    """The records of a manifest file (tests, tools)."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
