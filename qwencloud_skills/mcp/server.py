"""The stdio entry: the generated tools served by the official ``mcp`` SDK's low-level server.

Only this module imports ``mcp`` (Python 3.10+, the ``[mcp]`` extra). Each call runs its
handler in a worker thread (the host library is synchronous), then goes out as structured
content plus text; progress reported by a handler becomes MCP progress notifications. stdout is
the protocol: the SDK points file descriptor 1 at stderr while serving, and every log line of
ours goes to stderr, keys masked.
"""

from __future__ import annotations

import logging
from typing import Any, Dict, List, Optional

from .handlers import MAX_WAIT
from .replies import Reply, failure, finished
from .tools import ToolSpec, build_tools

INSTRUCTIONS = (
    "Tools generated from the installed skills. A submit tool (<domain>_<mode>) validates locally and returns at "
    f"once with a task id and the expected time: follow it with task_status (wait_seconds up to {MAX_WAIT:g}), then "
    "task_result, which saves the files and returns their paths. dry_run shows the exact request and what it "
    "bills; models lists each mode's models and limits. Workflow tools plan first: show the user the plan and its "
    "cost, then call again with confirm: true. Lines starting with [ACTION_REQUIRED] or [UPDATE_AVAILABLE] in a "
    "result are for you to act on as they say."
)


class _Masking(logging.Formatter):
    """Log records with every known key masked (the SDK's own records included)."""

    def format(self, record: logging.LogRecord) -> str:
        from ..secrets import known_secrets, redact

        return redact(super().format(record), known_secrets())


def _logging() -> None:
    handler = logging.StreamHandler()  # stderr
    handler.setFormatter(_Masking("%(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.handlers = [handler]
    root.setLevel(logging.WARNING)


def run_tool(spec: ToolSpec, arguments: Dict[str, Any], progress: Any) -> Reply:
    """One call, whatever happens: the handler's reply or an error result, update-check lines added."""
    try:
        reply = spec.handler(dict(arguments), progress)
    except BaseException as exc:  # noqa: B036 - no call may end the server or show a traceback
        if isinstance(exc, (SystemExit, GeneratorExit)):
            raise
        reply = failure(exc)
    if spec.signals:
        from ..updates import pending_signals, start_check

        reply.notes.extend(pending_signals())
        start_check()  # the next job's signals: looked up in the background meanwhile
    return finished(reply)


def unknown_tool(name: str, known: List[str]) -> Reply:
    import difflib

    guess = difflib.get_close_matches(name, known, n=1)
    hint = f" Did you mean {guess[0]}?" if guess else ""
    return finished(Reply({"error": {"type": "UnknownTool", "exit_code": 3, "message": f"no tool {name!r}"}},
                          f"No tool {name!r}.{hint} tools/list names them all.", error=True))


def mcp_tool(spec: ToolSpec) -> Any:
    from mcp import types

    return types.Tool(
        name=spec.name, title=spec.title, description=spec.description, input_schema=spec.input_schema,
        annotations=types.ToolAnnotations(
            title=spec.title, read_only_hint=spec.read_only,
            destructive_hint=spec.destructive if not spec.read_only else None,
            idempotent_hint=spec.idempotent, open_world_hint=spec.open_world),
    )


def mcp_result(reply: Reply) -> Any:
    from mcp import types

    return types.CallToolResult(content=[types.TextContent(text=reply.text)], structured_content=reply.data,
                                is_error=reply.error)


def build_server(tools: Optional[List[ToolSpec]] = None) -> Any:
    """The low-level MCP server answering tools/list and tools/call from the generated tools."""
    import anyio
    from mcp import types
    from mcp.server.lowlevel import Server

    from .. import __version__

    if tools is None:
        from ..plugins import get_registry

        tools = build_tools(get_registry())
    by_name = {spec.name: spec for spec in tools}
    listed = [mcp_tool(spec) for spec in tools]

    async def list_tools(ctx: Any, params: Any) -> Any:
        return types.ListToolsResult(tools=listed)

    async def call_tool(ctx: Any, params: Any) -> Any:
        spec = by_name.get(params.name)
        if spec is None:
            return mcp_result(unknown_tool(params.name, list(by_name)))

        def progress(done: float, total: Optional[float] = None, message: Optional[str] = None) -> None:
            try:
                anyio.from_thread.run(ctx.session.report_progress, done, total, message)
            except Exception:  # the client went away or asked for no progress: the call goes on
                pass

        reply = await anyio.to_thread.run_sync(run_tool, spec, params.arguments or {}, progress)
        return mcp_result(reply)

    return Server("qwencloud-skills", version=__version__, title="qwencloud-skills",
                  instructions=INSTRUCTIONS, on_list_tools=list_tools, on_call_tool=call_tool)


async def _serve() -> None:
    from mcp.server.stdio import stdio_server

    server = build_server()
    async with stdio_server() as (read_stream, write_stream):
        await server.run(read_stream, write_stream, server.create_initialization_options())


def serve() -> int:
    """Serve over stdio until the client closes the connection; 0 then."""
    import anyio

    from ..updates import start_check

    _logging()
    start_check()
    try:
        anyio.run(_serve)
    except KeyboardInterrupt:
        return 130
    finally:
        _left_running()
    return 0


def _left_running() -> None:
    """Workflows this server started stop with it; every step is in the ledger, so say how to continue."""
    from .flows import RUNS
    from .handlers import log

    for workflow_id in RUNS.active():
        log(f"Workflow {workflow_id} stops with the server; continue it with the workflow_resume tool or "
            f"`qwencloud-skills workflow resume {workflow_id}` (nothing is paid twice).")
