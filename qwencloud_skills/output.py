"""Output-location rules: default ./output/<skill>/, never overwrite, never inside skills/.

``place_file`` claims a free name atomically, so two processes saving into
one folder at once cannot pick the same file.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Union

from .errors import OutputLocationError

SKILLS_DIR_NAMES = ("skills",)
SKILL_MANIFEST = "SKILL.md"


def check_output_dir(path: Union[str, Path]) -> Path:
    """Resolve ``path`` and refuse locations inside a skills tree or an installed skill."""
    resolved = Path(path).expanduser().resolve()
    for folder in [resolved, *resolved.parents]:
        if folder.name in SKILLS_DIR_NAMES:
            raise OutputLocationError(
                f"Refusing to write output into {resolved}: it is inside a skills/ hierarchy ({folder}). "
                "Generated files must not go into a skill's installation directory. "
                "Fix: use --output output/<skill-name>/ under your working directory."
            )
        if (folder / SKILL_MANIFEST).is_file():
            raise OutputLocationError(
                f"Refusing to write output into {resolved}: {folder} is an installed skill (it holds SKILL.md). "
                "Fix: use --output output/<skill-name>/ under your working directory."
            )
    return resolved


def prepare_output_dir(path: Union[str, Path]) -> Path:
    """The folder, created and proven writable (a probe file is made and removed): checked before paying."""
    resolved = check_output_dir(path)
    for folder in [resolved, *resolved.parents]:
        if folder.exists() and not folder.is_dir():
            raise OutputLocationError(
                f"Cannot use output directory {resolved}: {folder} is a file, not a folder. "
                "Fix: pass another --output DIR."
            )
        if folder.exists():
            break
    try:
        resolved.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputLocationError(
            f"Cannot create output directory {resolved}: {exc.strerror}. Fix: pass a writable --output DIR."
        ) from None
    probe_writable(resolved)
    return resolved


def probe_writable(folder: Path) -> None:
    """Create and remove a probe file: permissions, read-only mounts and full disks all show here."""
    import tempfile

    try:
        fd, name = tempfile.mkstemp(prefix=".write-probe.", dir=str(folder))
        try:
            os.write(fd, b"probe")
        finally:
            os.close(fd)
            os.unlink(name)
    except OSError as exc:
        raise OutputLocationError(
            f"Cannot write into output directory {folder}: {exc.strerror or exc}. "
            "Fix: pass a writable --output DIR (nothing was sent or paid)."
        ) from None


def candidate_names(filename: str):
    stem, dot, suffix = filename.rpartition(".")
    if not dot:
        stem, suffix = filename, ""
    yield filename
    index = 1
    while True:
        yield f"{stem}_{index}.{suffix}" if suffix else f"{stem}_{index}"
        index += 1


def place_file(source: Union[str, Path], directory: Union[str, Path], filename: str) -> Path:
    """Move the finished file ``source`` to the first free ``name``, ``name_1``... in ``directory``.

    Uses a hard link, which fails instead of replacing an existing file, so two
    processes saving into one folder at once never overwrite each other and no
    partial file ever appears under a final name. ``source`` must be on the same
    filesystem (write temp files into ``directory``).
    """
    directory = Path(directory)
    source = Path(source)
    os.chmod(source, 0o644)  # temp files start private; results are ordinary user files
    for name in candidate_names(filename):
        target = directory / name
        try:
            os.link(source, target)
        except FileExistsError:
            continue
        except OSError:
            # No hard links here (some network or FAT filesystems): claim the name, then replace it.
            flags = os.O_CREAT | os.O_EXCL | os.O_WRONLY  # novermin: bit flags, not a type union
            try:
                fd = os.open(target, flags, 0o644)
            except FileExistsError:
                continue
            os.close(fd)
            os.replace(source, target)
            return target
        source.unlink()
        return target
    raise AssertionError("unreachable")  # pragma: no cover
