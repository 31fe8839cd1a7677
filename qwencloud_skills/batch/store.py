"""What ``batch resume FILE`` needs to run a batch again as it was started: its options and its manifest.

One small JSON file per batch in the state dir, keyed like the batch's tasks in the ledger (the
file's absolute path, hashed). The ledger stays the record of what was submitted; this only
remembers how the run was asked for.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any, Dict, Mapping, Optional


def _folder() -> Path:
    from ..settings import state_dir

    folder = state_dir() / "batches"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def recorded(key: str) -> Optional[Dict[str, Any]]:
    """The recorded run of batch ``key`` (None when it never ran here, or the record is unreadable)."""
    path = _folder() / f"{key}.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def record(key: str, *, file: str, skill: str, options: Mapping[str, Any], output_dir: str,
           manifest: Optional[str]) -> None:
    """Remember how batch ``key`` was run (written atomically: a kill leaves the previous record)."""
    data = {"file": file, "skill": skill, "options": dict(options), "output_dir": output_dir, "manifest": manifest,
            "updated_at": time.time()}
    folder = _folder()
    handle, temp = tempfile.mkstemp(prefix=f".{key}.", suffix=".part", dir=str(folder))
    with os.fdopen(handle, "w", encoding="utf-8") as stream:
        json.dump(data, stream, indent=2, ensure_ascii=False)
    os.replace(temp, folder / f"{key}.json")
