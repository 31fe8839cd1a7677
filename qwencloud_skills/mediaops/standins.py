"""Stand-in files for checking workflow examples at build time: real media of the kind the example names.

A planner may probe its inputs (a clip's length, a picture's size), so an example is planned in a
temporary folder holding small real files under the names it uses.
"""

from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, List, Mapping

from ..manifests.errors import BuildError

SIZE = "1280x720"


def _media_args(kind: str, target: Path) -> List[str]:
    what, _, amount = kind.partition(" ")
    seconds = float(amount or 5)
    if what == "image":
        return ["-f", "lavfi", "-i", f"color=c=steelblue:s={SIZE}", "-frames:v", "1", str(target)]
    if what == "clip":
        return ["-f", "lavfi", "-i", f"testsrc2=s={SIZE}:r=16:d={seconds:g}", "-f", "lavfi", "-i",
                f"sine=f=440:d={seconds:g}", "-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p",
                "-c:a", "aac", "-shortest", str(target)]
    if what == "audio":
        return ["-f", "lavfi", "-i", f"sine=f=330:d={seconds:g}", str(target)]
    raise BuildError(f"unknown stand-in kind {kind!r}: use image, clip S, audio S or text:...")


def make(folder: Path, files: Mapping[str, str]) -> None:
    from .ffmpeg import run

    for name, kind in files.items():
        target = folder / name
        target.parent.mkdir(parents=True, exist_ok=True)
        if kind.startswith("text:"):
            target.write_text(kind[len("text:"):], encoding="utf-8")
        else:
            run(["-y", *_media_args(kind, target)], f"making the stand-in {name}")


@contextmanager
def standing_in(files: Mapping[str, str]) -> Iterator[Path]:
    """Run the block in a temporary folder holding the stand-ins (the working directory is restored)."""
    previous = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="qwen-example-") as folder:
        make(Path(folder), files)
        os.chdir(folder)
        try:
            yield Path(folder)
        finally:
            os.chdir(previous)
