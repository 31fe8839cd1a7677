"""Progress as people see it: a live bar on a real pseudo-terminal, plain lines in a pipe, nothing with -q."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from cli.conftest import BIN, all_output

from .conftest import FAST, lines_of, write_batch

pty = pytest.importorskip("pty")


def run_on_a_terminal(cli, *args: str, timeout: float = 60.0, columns: int = 0):
    """The installed CLI with its stderr on a pseudo-terminal; returns (exit code, what the terminal got)."""
    master, slave = pty.openpty()
    if columns:
        import fcntl
        import struct
        import termios

        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 24, columns, 0, 0))
    process = subprocess.Popen([str(BIN / "qwencloud-video"), *args], cwd=cli.cwd, env=cli.env,
                               stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=slave)
    os.close(slave)
    seen = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            try:
                chunk = os.read(master, 65536)
            except OSError:  # the other end closed: the process is gone
                break
            if not chunk:
                break
            seen += chunk
        process.wait(timeout=max(1.0, deadline - time.monotonic()))
    finally:
        os.close(master)
        if process.poll() is None:
            process.kill()
    return process.returncode, seen.decode("utf-8", "replace")


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_a_terminal_gets_a_live_bar_with_counts_and_eta(cli) -> None:
    cli.emulator.config.generation_seconds = 0.6
    batch = write_batch(cli.cwd / "live.jsonl", lines_of(8))
    code, screen = run_on_a_terminal(cli, "batch", str(batch), *FAST)
    assert code == 0, screen
    assert screen.count("\r\x1b[2K[") >= 3  # the line is redrawn in place
    assert "8/8 done, 0 running, 0 queued, 0 failed" in screen
    assert "running" in screen and "queued" in screen and "ETA" in screen
    assert "#" * 24 in screen  # the finished bar
    assert "clip-01: submitted" not in screen  # routine events stay off a terminal; the bar says it


def test_a_pipe_gets_plain_lines_and_quiet_gets_none(cli) -> None:
    batch = write_batch(cli.cwd / "plain.jsonl", lines_of(3))
    result = cli("batch", str(batch), *FAST)
    assert result.returncode == 0, all_output(result)
    assert "\r" not in result.stderr and "\x1b[" not in result.stderr
    assert "progress: 0/3 done" in result.stderr and "clip-02: submitted, task " in result.stderr
    assert "clip-02: saved " in result.stderr
    quiet = cli("batch", str(batch), "-q", *FAST)
    assert quiet.returncode == 0
    assert "progress:" not in quiet.stderr and "Manifest:" in quiet.stderr


@pytest.mark.skipif(sys.platform == "win32", reason="pseudo-terminals are POSIX")
def test_the_live_line_fits_a_narrow_terminal(cli) -> None:
    batch = write_batch(cli.cwd / "narrow.jsonl", lines_of(3))
    code, screen = run_on_a_terminal(cli, "batch", str(batch), *FAST, columns=50)
    assert code == 0, screen
    drawn = [part.split("\r\n")[0] for part in screen.split("\r\x1b[2K")[1:]]
    assert drawn and all(len(line) <= 49 for line in drawn)  # never wraps, so it can be redrawn in place
