"""The plugin entry points of the installed distributions, remembered until any distribution changes.

Finding them with ``importlib.metadata`` imports the email parser and reads every
distribution's metadata: the largest part of a command's start-up. The answer
only changes when something is installed, removed or rewritten, so it is kept in
``state_dir()/entry-points.json`` next to a fingerprint of what is installed:
each ``sys.path`` entry, the names of the ``*.dist-info``/``*.egg-info``/``*.egg``
found there and the size, mtime and inode of their ``entry_points.txt`` and
``METADATA``/``PKG-INFO``. Computing the fingerprint costs a directory listing
per path entry and two ``stat`` calls per distribution. Any difference (or a
missing, corrupt or unreadable cache) means a fresh scan, whose answer replaces
the file atomically. The cache holds every entry point of our group unfiltered:
QWEN_SKILLS_PLUGINS is applied by the caller on each run. It holds only what
the installed metadata says (names, "module:attr" values, versions), nothing
from the environment.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Callable, List, NamedTuple, Optional

from .pluginnames import ENTRY_POINT_GROUP

FILE_NAME = "entry-points.json"
FORMAT = 1
# Answers kept: one per way of starting (a console script, `python -m` from some folder, a test run
# with its own sys.path), so alternating between them does not scan each time.
KEEP = 8
FIRST_PARTY = "qwencloud-skills"
_SUFFIXES = (".dist-info", ".egg-info", ".egg")


class Entry(NamedTuple):
    """One entry point of our group: what ``importlib.metadata`` would give, without it."""

    name: str
    value: str  # "package.module" or "package.module:attr"
    distribution: str
    version: str

    def load(self) -> Any:
        """The object the entry point names (as ``EntryPoint.load``: module, then dotted attributes)."""
        import importlib

        reference = self.value.split("[", 1)[0].strip()  # "[extras]" only matter to installers
        module, _, attrs = reference.partition(":")
        obj = importlib.import_module(module.strip())
        for attr in filter(None, attrs.strip().split(".")):
            obj = getattr(obj, attr)
        return obj


def file_stamp(path: str) -> Optional[List[int]]:
    """mtime, size and inode of a file (None when it is missing): they change when it is rewritten."""
    try:
        found = os.stat(path)
    except OSError:
        return None
    return [found.st_mtime_ns, found.st_size, found.st_ino]


def _files(name: str) -> List[str]:
    """The files of one distribution's metadata that say its name, version and entry points."""
    if name.endswith(".dist-info"):
        return ["entry_points.txt", "METADATA"]
    if name.endswith(".egg"):
        return [os.path.join("EGG-INFO", "entry_points.txt"), os.path.join("EGG-INFO", "PKG-INFO")]
    return ["entry_points.txt", "PKG-INFO"]


def fingerprint() -> List[Any]:
    """What the installed set looks like, cheaply: it differs whenever a distribution is added,
    removed or has its metadata rewritten."""
    found: List[Any] = []
    for entry in sys.path:
        folder = os.path.abspath(str(entry) or ".")
        try:
            with os.scandir(folder) as listing:
                names = sorted(item.name for item in listing if item.name.endswith(_SUFFIXES))
        except OSError:  # a zip file, a missing folder: it counts as it is
            found.append([str(entry), folder, file_stamp(folder)])
            continue
        dists = []
        for name in names:
            path = os.path.join(folder, name)
            stats = [file_stamp(os.path.join(path, file)) for file in _files(name)]
            if not name.endswith(".dist-info"):  # an egg can be a zip file, an egg-info a single file
                stats.append(file_stamp(path))
            dists.append([name, *stats])
        found.append([str(entry), folder, dists])
    # Finders other than the path finder can add distributions; a change among them is a change too.
    found.append([type(finder).__module__ + "." + type(finder).__qualname__ for finder in sys.meta_path])
    return found


def scan() -> List[Entry]:
    """Our group's entry points as ``importlib.metadata`` sees them: the first copy of each
    (distribution, name) wins; first-party first, then by distribution and name."""
    from importlib import metadata

    seen = set()
    found = []
    for dist in metadata.distributions():
        dist_name = dist.metadata["Name"] or "unknown"
        for ep in dist.entry_points:
            if ep.group != ENTRY_POINT_GROUP:
                continue
            key = (dist_name.lower(), ep.name)
            if key in seen:
                continue
            seen.add(key)
            found.append(Entry(ep.name, ep.value, dist_name, dist.version or ""))
    found.sort(key=lambda item: (item.distribution != FIRST_PARTY, item.distribution.lower(), item.name))
    return found


def cache_path() -> Optional[Path]:
    """Where the cache lives (the state dir, QWEN_SKILLS_HOME aware); None when there is none."""
    from .settings import state_dir

    try:
        return state_dir() / FILE_NAME
    except Exception:  # no usable state dir: work without a cache
        return None


def _load(path: Path) -> List[Any]:
    """The cached answers, newest first; [] when the file is missing, corrupt or from another format."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return []
    if not isinstance(data, dict) or data.get("format") != FORMAT or not isinstance(data.get("answers"), list):
        return []
    return [item for item in data["answers"] if isinstance(item, dict)]


def _entries(answer: Any) -> Optional[List[Entry]]:
    """One answer's entries, when every one of them is well formed."""
    items = answer.get("entries")
    if not isinstance(items, list):
        return None
    if not all(isinstance(item, list) and len(item) == len(Entry._fields) and all(isinstance(part, str)
               for part in item) for item in items):
        return None
    return [Entry(*item) for item in items]


def write_json_atomically(path: Any, data: Any) -> None:
    """Replace the JSON file ``path`` atomically (temp file + ``os.replace``); a failure only costs the
    next run a rebuild of the cache it holds. Shared by this cache and the help texts (cli/quickhelp)."""
    from _thread import get_ident

    path = str(path)
    temp = os.path.join(os.path.dirname(path), f".{os.path.basename(path)}.{os.getpid()}.{get_ident()}.tmp")
    try:
        with open(temp, "w", encoding="utf-8") as handle:
            json.dump(data, handle)
        os.replace(temp, path)
    except (OSError, TypeError, ValueError):
        try:
            os.unlink(temp)
        except OSError:
            pass


def _write(path: Path, answers: List[Any]) -> None:
    write_json_atomically(path, {"format": FORMAT, "answers": answers})


def entry_points(scanner: Callable[[], List[Entry]] = scan) -> List[Entry]:
    """Our group's entry points: from the cache when nothing installed changed, else scanned and cached."""
    path = cache_path()
    if path is None:
        return scanner()
    key = fingerprint()  # before the scan: an install that lands during it changes the next key
    answers = _load(path)
    for answer in answers:
        if answer.get("fingerprint") == key:
            cached = _entries(answer)
            if cached is not None:
                return cached
    found = scanner()
    others = [answer for answer in answers if answer.get("fingerprint") != key]
    _write(path, [{"fingerprint": key, "entries": [list(item) for item in found]}, *others][:KEEP])
    return found
