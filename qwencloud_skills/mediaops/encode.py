"""Shared encoder settings and stream normalisation, so re-encoded pieces can be joined."""

from __future__ import annotations

from typing import List

from .probe import MediaInfo

VIDEO_ENCODE = ["-c:v", "libx264", "-pix_fmt", "yuv420p", "-preset", "veryfast", "-crf", "18"]
AUDIO_ENCODE = ["-c:a", "aac", "-b:a", "192k"]
MP4_FLAGS = ["-movflags", "+faststart"]
AUDIO_FORMAT = "aresample=48000,aformat=sample_fmts=fltp:channel_layouts=stereo"
DEFAULT_FPS = 30.0


def video_chain(index: int, width: int, height: int, fps: float, label: str) -> str:
    """Input ``index``'s pictures fitted (letterboxed) to one size, rate and pixel format."""
    # setpts before fps: after it, ffmpeg 7.0's xfade sees no frame rate and writes nothing.
    return (f"[{index}:v]setpts=PTS-STARTPTS,scale={width}:{height}:force_original_aspect_ratio=decrease,"
            f"pad={width}:{height}:(ow-iw)/2:(oh-ih)/2,setsar=1,fps={fps:g},format=yuv420p[{label}]")


def audio_chain(index: int, info: MediaInfo, label: str) -> str:
    """Input ``index``'s sound at 48 kHz stereo, exactly as long as the input; silence when it has none."""
    duration = f"{info.duration:.3f}"
    if info.has_audio:
        return f"[{index}:a]{AUDIO_FORMAT},apad,atrim=0:{duration},asetpts=PTS-STARTPTS[{label}]"
    return f"anullsrc=r=48000:cl=stereo,atrim=0:{duration},asetpts=PTS-STARTPTS[{label}]"


def inputs(infos: List[MediaInfo]) -> List[str]:
    args: List[str] = []
    for info in infos:
        args += ["-i", info.path]
    return args
