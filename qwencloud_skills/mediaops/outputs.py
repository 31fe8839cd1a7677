"""Where a media command writes: a temp file in the target folder, then the first free name.

Follows the host's output rules (never overwrite, never into a skills/ tree). The default folder
is the current directory, the default name is derived from the input (``clip_trim.mp4``).
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Optional, Tuple

from ..output import place_file, prepare_output_dir


def target(output: Optional[str], default_name: str) -> Tuple[Path, str]:
    """(folder, file name): ``--output`` may be a folder (existing, or ending in /) or a file path."""
    if not output:
        return prepare_output_dir(Path.cwd()), default_name
    path = Path(output).expanduser()
    if path.is_dir() or output.endswith(("/", os.sep)):
        return prepare_output_dir(path), default_name
    name = path.name
    if not Path(name).suffix:
        name += Path(default_name).suffix
    return prepare_output_dir(path.parent if str(path.parent) else Path.cwd()), name


@contextmanager
def placed(output: Optional[str], default_name: str, result: List[Path]) -> Iterator[Path]:
    """Yield a temp path to write; on success it is placed under a free name appended to ``result``."""
    folder, name = target(output, default_name)
    fd, temp = tempfile.mkstemp(prefix=".media-", suffix=Path(name).suffix, dir=str(folder))
    os.close(fd)
    try:
        yield Path(temp)
        if not Path(temp).stat().st_size:
            from .ffmpeg import MediaOpError

            raise MediaOpError(f"ffmpeg wrote an empty file for {name}; nothing was saved.")
        result.append(place_file(temp, folder, name))
    finally:
        if os.path.exists(temp):
            os.unlink(temp)
