"""A contact sheet: one PNG grid of evenly spaced frames with their times, for agents that see images."""

from __future__ import annotations

import math
from pathlib import Path
from typing import Tuple

from .ffmpeg import has_filter, run
from .probe import MediaInfo

THUMB_WIDTH = 320


def grid_size(info: MediaInfo, columns: int, frames: int, thumb_width: int = THUMB_WIDTH) -> Tuple[int, int]:
    """The sheet's pixel size: columns x rows thumbnails, each ``thumb_width`` wide, height to aspect."""
    return columns * thumb_width, math.ceil(frames / columns) * thumb_height(info, thumb_width)


def thumb_height(info: MediaInfo, thumb_width: int = THUMB_WIDTH) -> int:
    ratio = (info.height or 9) / (info.width or 16)
    return max(2, int(round(thumb_width * ratio / 2)) * 2)


def contact_sheet(info: MediaInfo, out: Path, columns: int, frames: int) -> bool:
    """Write the sheet; return whether times were drawn (ffmpeg builds without drawtext only tile)."""
    rows = math.ceil(frames / columns)
    rate = frames / (info.duration or 1.0)
    height = thumb_height(info)
    # Frames are picked first (fps keeps the frame shown at each sample time), so only the chosen few are
    # scaled and labelled; each label is its sample's time, within one source frame of the frame shown.
    chain = [f"fps={rate:.6f}:start_time=0", f"trim=end_frame={frames}", f"scale={THUMB_WIDTH}:{height}", "setsar=1"]
    labelled = has_filter("drawtext")
    if labelled:
        size = max(10, height // 9)
        chain.append(f"drawtext=text='%{{pts\\:hms}}':x=6:y=6:fontsize={size}:fontcolor=white:box=1:"
                     "boxcolor=black@0.6:boxborderw=3")
    chain.append(f"tile={columns}x{rows}")
    run(["-y", "-i", info.path, "-map", "0:v:0", "-vf", ",".join(chain), "-frames:v", "1", "-update", "1",
         str(out)], "making the contact sheet")
    return labelled
