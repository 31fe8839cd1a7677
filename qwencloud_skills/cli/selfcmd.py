"""How to call this very CLI again, for the hints we print (resume, check, resolve).

An agent copies these hints verbatim, so they must run as printed: the bare
name when PATH finds this same install, else the script's absolute path, else
``python -m``.
"""

from __future__ import annotations

import os
import shutil
import sys


def runnable(cli_name: str, module_args: str = "") -> str:
    """``cli_name`` as a command that runs from here; ``module_args`` follow ``python -m qwencloud_skills``
    when only that works (e.g. the skill's domain, for the skill's own script)."""
    first, _, rest = cli_name.partition(" ")
    script = os.path.abspath(sys.argv[0]) if sys.argv and sys.argv[0] else ""
    # Windows launchers drop ".exe" from argv[0]
    running_script = os.path.basename(script) in (first, first + ".exe") and (
        os.path.isfile(script) or os.path.isfile(script + ".exe")
    )
    on_path = shutil.which(first)
    if running_script:
        if on_path and os.path.realpath(on_path) == os.path.realpath(script):
            return cli_name
        return " ".join(part for part in (_quote(script), rest) if part)
    if on_path and os.path.dirname(os.path.realpath(on_path)) == os.path.dirname(os.path.realpath(sys.executable)):
        return cli_name
    module_args = rest if first == "qwencloud-skills" else module_args
    return " ".join(part for part in (_quote(sys.executable), "-m qwencloud_skills", module_args) if part)


def _quote(path: str) -> str:
    return f'"{path}"' if " " in path else path
