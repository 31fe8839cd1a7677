"""Help texts remembered until something they were built from changes, so ``--help`` starts fast.

Building a help text needs click and the plugin registry; the answer only changes
when something installed or one of the source files that built it changes. So the
text is kept in ``state_dir()/help-texts.json`` under a key of (program, argv,
terminal columns, QWEN_SKILLS_PLUGINS), next to one stamp: a format number, our
version, :func:`..entrycache.fingerprint` (the installed set) and the size and
mtime of every module of ours or of a plugin's top-level package that was loaded
while building (so editing a plugin in an editable install counts). Any difference,
or a missing, corrupt or unreadable file, is a miss: click builds the help as
always. :func:`cached` runs before anything heavy, so it imports the standard
library only; :func:`remember` imports click lazily. The file holds help texts
and file stats, nothing from the environment but the QWEN_SKILLS_PLUGINS value.
"""

from __future__ import annotations

import json
import os
import sys
from typing import TYPE_CHECKING, Any, Dict, List, Optional

from ..entrycache import file_stamp, write_json_atomically  # stdlib-only, like this module

if TYPE_CHECKING:  # pragma: no cover
    import click

FILE_NAME = "help-texts.json"
FORMAT = 1
KEEP = 32  # help texts kept under one stamp (programs x commands x widths)
HELP_FLAGS = ("--help", "-h")
_TOP = "qwencloud_skills"
_PLUGINS_ENV = "QWEN_SKILLS_PLUGINS"  # as in ..pluginnames (not imported: this module stays stdlib-only)
_HOME_ENV = "QWEN_SKILLS_HOME"  # the process environment wins in settings.state_dir (it also reads .env files)


def request_words(argv: List[str]) -> Optional[List[str]]:
    """The command words of a plain help request (``[WORD ...] --help``); None for anything else."""
    if not argv or argv[-1] not in HELP_FLAGS:
        return None
    words = list(argv[:-1])
    if any(not word or word.startswith("-") or "=" in word for word in words):
        return None
    return words


def columns() -> int:
    """The terminal's columns exactly as click sees them (``shutil.get_terminal_size``), without shutil."""
    try:
        found = int(os.environ["COLUMNS"])
    except (KeyError, ValueError):
        found = 0
    if found > 0:
        return found
    try:
        found = os.get_terminal_size(sys.__stdout__.fileno()).columns
    except (AttributeError, ValueError, OSError):
        found = 0
    return found or 80


def _key(prog: str, argv: List[str]) -> List[Any]:
    return [prog, list(argv), columns(), os.environ.get(_PLUGINS_ENV)]


def _path(create: bool) -> Optional[str]:
    home = os.environ.get(_HOME_ENV)
    if not create and home and home.strip():  # what state_dir() answers first, without importing settings
        return os.path.join(os.path.expanduser(home), FILE_NAME)
    try:
        from ..settings import state_dir

        return os.path.join(str(state_dir(create=create)), FILE_NAME)
    except Exception:  # no usable state dir: no cache
        return None


def _version() -> str:
    from .. import __version__

    return __version__


def _load(path: str) -> Optional[Dict[str, Any]]:
    """The file's content when it is ours, of this format and version; else None."""
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
    except (OSError, ValueError):
        return None
    if (not isinstance(data, dict) or data.get("format") != FORMAT or data.get("version") != _version()
            or not isinstance(data.get("sources"), dict) or not isinstance(data.get("entries"), list)):
        return None
    return data


def _sources_unchanged(sources: Dict[str, Any]) -> bool:
    return all(file_stamp(path) == stat for path, stat in sources.items())


def _valid(data: Dict[str, Any], installed: Optional[List[Any]] = None) -> bool:
    """Whether nothing the stamp names has changed (the source files first: usually fewer stats)."""
    from ..entrycache import fingerprint

    return _sources_unchanged(data["sources"]) and data.get("installed") == (
        installed if installed is not None else fingerprint())


def cached(prog: str, argv: List[str]) -> Optional[str]:
    """The remembered help text for this request while still valid; None otherwise. Never raises."""
    try:
        if request_words(argv) is None:
            return None
        path = _path(create=False)
        data = _load(path) if path else None
        if data is None:
            return None
        key = _key(prog, argv)
        for entry in data["entries"]:
            if isinstance(entry, dict) and entry.get("key") == key and isinstance(entry.get("text"), str):
                return entry["text"] if _valid(data) else None
    except Exception:  # a cache must never break a command
        return None
    return None


def _build(command: click.Command, prog: str, argv: List[str]) -> Optional[str]:
    """``ctx.get_help()`` of the command the words name, built as click would; None when click should decide."""
    import click

    ctx = command.make_context(prog, [], resilient_parsing=True)
    for word in argv[:-1]:
        group = ctx.command
        if not isinstance(group, click.Group) or group.chain or any(
                isinstance(param, click.Argument) for param in group.get_params(ctx)):
            return None  # the word could be an argument or a chained command: leave it to click
        name, sub, _ = group.resolve_command(ctx, [word])
        if sub is None or name is None:
            return None  # click prints its own "No such command"
        ctx = sub.make_context(name, [], parent=ctx, resilient_parsing=True)
    if not ctx.command.add_help_option or argv[-1] not in ctx.command.get_help_option_names(ctx):
        return None  # -h means something else here
    if ctx.terminal_width is None:  # what click's HelpFormatter computes from the terminal's columns
        ctx.terminal_width = max(min(columns(), ctx.max_content_width or 80) - 2, 50)
    return ctx.get_help()


def _tops() -> set:
    """Top-level packages whose loaded modules the help may come from: ours and every plugin's."""
    from ..entrycache import entry_points

    tops = {_TOP}
    for entry in entry_points():
        tops.add(entry.value.split("[", 1)[0].partition(":")[0].strip().split(".", 1)[0])
    return tops


def _loaded_sources() -> Dict[str, List[int]]:
    tops = _tops()
    found: Dict[str, List[int]] = {}
    for name, module in list(sys.modules.items()):
        path = getattr(module, "__file__", None)
        if name.split(".", 1)[0] in tops and isinstance(path, str):
            stat = file_stamp(path)
            if stat is not None:
                found[path] = stat
    return found


def _store(prog: str, argv: List[str], text: str, installed: List[Any]) -> None:
    path = _path(create=True)
    if path is None:
        return
    old = _load(path)
    keep = old is not None and _valid(old, installed)
    sources = dict(old["sources"]) if keep and old else {}
    sources.update(_loaded_sources())
    key = _key(prog, argv)
    entries = [entry for entry in (old["entries"] if keep and old else [])
               if isinstance(entry, dict) and entry.get("key") != key]
    write_json_atomically(path, {"format": FORMAT, "version": _version(), "installed": installed, "sources": sources,
                  "entries": [{"key": key, "text": text}, *entries][:KEEP]})


def _host_given() -> bool:
    """A plugin host set up before us (in-process use) may hold plugins nobody installed: not for the cache."""
    plugins = sys.modules.get(f"{_TOP}.plugins")
    return getattr(plugins, "_HOST", None) is not None


def remember(command: click.Command, prog: str, argv: List[str]) -> Optional[str]:
    """The help text click would print for this help request, stored for :func:`cached`; None when the
    request is not one click would answer with a help text (a word that is not a command, ...).

    What building the help raises (a ConfigError when QWEN_SKILLS_PLUGINS leaves the skill out, ...)
    propagates, as it would from click: the tree may be half-built by then, so click could not say it
    again. Failures of the cache itself only mean nothing is stored."""
    import warnings

    if request_words(argv) is None:
        return None
    try:
        from ..entrycache import fingerprint

        installed: Optional[List[Any]] = fingerprint()  # before building: an install meanwhile changes the key
    except Exception:
        installed = None
    given = _host_given()
    shown: List[Any] = []
    display = warnings.showwarning

    def spy(*args: Any, **kwargs: Any) -> None:
        shown.append(args)
        display(*args, **kwargs)

    warnings.showwarning = spy
    try:
        text = _build(command, prog, argv)
    finally:
        warnings.showwarning = display
    # A warning (a plugin that failed to load...) must show on every run; colours are click's to strip.
    if text is not None and installed is not None and not given and not shown and "\x1b" not in text:
        try:
            _store(prog, argv, text, installed)
        except Exception:  # a cache must never break a command
            pass
    return text


def _reader_gone() -> None:
    """stdout's reader has gone (``--help | head -1``): exit 1 quietly, as click does."""
    try:
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())  # the exit's flush must not fail again
    except (OSError, ValueError, AttributeError):
        pass
    sys.exit(1)


def serve_cached(prog: str, argv: List[str]) -> None:
    """Print the remembered help and exit 0 on a hit; return on a miss (the console scripts' first step)."""
    text = cached(prog, argv)
    if text is not None:
        try:
            sys.stdout.write(text + "\n")
            sys.stdout.flush()
        except BrokenPipeError:
            _reader_gone()
        sys.exit(0)


class _HelpFirst:
    """Stands in for a command in :func:`..runner.run` (same errors, exit codes and warning display):
    answers a help request from :func:`remember`, else lets the command run as usual."""

    def __init__(self, command: click.Command, prog: str, argv: List[str]):
        self.command, self.prog, self.argv = command, prog, argv

    def main(self, args: Optional[List[str]] = None, prog_name: Optional[str] = None, **kwargs: Any) -> Any:
        import click

        text = remember(self.command, self.prog, self.argv)
        if text is None:
            return self.command.main(args=args, prog_name=prog_name, **kwargs)
        try:
            click.echo(text)
        except BrokenPipeError:
            _reader_gone()
        return 0

    def __call__(self, *args: Any, **kwargs: Any) -> Any:
        return self.main(*args, **kwargs)


def help_first(command: click.Command, prog: str, argv: List[str]) -> Any:
    """What to hand to :func:`..runner.run`: for a help request, a stand-in that builds (and remembers) the
    help text and prints it exactly as click would; else the command itself."""
    return command if request_words(argv) is None else _HelpFirst(command, prog, argv)
