"""The MCP server as agents meet it: `qwencloud-skills mcp` spawned from the venv, driven by the official client.

Every tool call goes over stdio to a real server process, which talks to a real emulator (or
the hostile server). Everything the client received (tool lists, results) and everything the
server wrote on stderr is kept, so secret tests can search all of it.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any, Awaitable, Callable, Dict, List, Optional

BIN = Path(sys.executable).parent
PASSED_ENV = ("QWEN_", "DASHSCOPE_", "PYTHONPATH")


class Session:
    """One connected client; records what it received."""

    def __init__(self, client: Any, seen: List[Any]):
        self.client = client
        self.seen = seen

    async def tools(self) -> Dict[str, Any]:
        listed = await self.client.list_tools()
        self.seen.append(listed.model_dump(mode="json", by_alias=True))
        return {tool.name: tool for tool in listed.tools}

    async def call(self, name: str, arguments: Optional[Dict[str, Any]] = None, **kwargs: Any) -> Any:
        result = await self.client.call_tool(name, arguments or {}, **kwargs)
        self.seen.append(result.model_dump(mode="json", by_alias=True))
        return result


class Harness:
    """Spawns the server with the test's environment (read when a session starts) in its own folder."""

    def __init__(self, cwd: Path, inherit: bool = True):
        self.cwd = cwd
        self.inherit = inherit  # pass this process's QWEN_*, DASHSCOPE_* and PYTHONPATH (the tests' own settings)
        self.seen: List[Any] = []
        self.stderr = ""
        self.env_overrides: Dict[str, str] = {}

    def env(self) -> Dict[str, str]:
        chosen = {name: value for name, value in os.environ.items() if name.startswith(PASSED_ENV)}
        return {**(chosen if self.inherit else {}), **self.env_overrides}

    def run(self, script: Callable[[Session], Awaitable[Any]], mode: str = "auto") -> Any:
        import anyio

        return anyio.run(self._session, script, mode)

    async def _session(self, script: Callable[[Session], Awaitable[Any]], mode: str) -> Any:
        from mcp import Client, StdioServerParameters, stdio_client

        params = StdioServerParameters(command=str(BIN / "qwencloud-skills"), args=["mcp"], env=self.env(),
                                       cwd=str(self.cwd))
        log = self.cwd / "server-stderr.log"
        with log.open("w", encoding="utf-8") as errlog:
            try:
                async with Client(stdio_client(params, errlog=errlog), mode=mode, read_timeout_seconds=60) as client:
                    return await script(Session(client, self.seen))
            finally:
                errlog.flush()
                self.stderr += log.read_text(encoding="utf-8")

    def everything(self) -> str:
        """All the client received and the server logged, as one text."""
        return json.dumps(self.seen, ensure_ascii=False) + "\n" + self.stderr


def submits(emulator: Any) -> List[Any]:
    """The submit requests the emulator received (POSTs that create a job)."""
    return [request for request in emulator.requests if request.method == "POST" and request.route == "submit"]


def structured(result: Any) -> Dict[str, Any]:
    return result.structured_content or {}


def text(result: Any) -> str:
    return "\n".join(getattr(block, "text", "") for block in result.content)


def write_plugin(site: Path, module: str, source: str, dist: str) -> None:
    """A throwaway installed distribution in ``site`` (as the ``install_plugin`` fixture makes, for module-wide use)."""
    import textwrap

    site.mkdir(parents=True, exist_ok=True)
    (site / f"{module}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    info = site / f"{dist.replace('-', '_')}-1.0.0.dist-info"
    info.mkdir(exist_ok=True)
    (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: {dist}\nVersion: 1.0.0\n", encoding="utf-8")
    (info / "entry_points.txt").write_text(f"[qwencloud_skills]\n{module} = {module}\n", encoding="utf-8")
