"""The batch as a library: ``AsyncTaskClient.run_many(requests, ...)`` and the steps the CLI shares.

``run_many`` checks every request first (an invalid one raises, naming each, unless
``skip_invalid``), then submits, polls and saves them all on one asyncio loop and returns one
:class:`~qwencloud_skills.batch.runner.LineResult` per request, in order. Given a ``key``, a
second call with the same requests continues the first: nothing is submitted twice, nothing
saved is downloaded again.
"""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any, Iterable, List, Optional, Union

from ..errors import InvalidRequestError
from .lines import BatchLine, CheckedBatch, LineProblem, check_lines, parse_items, problems_text
from .manifest import ResultsManifest
from .plan import BatchPlan, batch_key, make_plan
from .progress import BatchProgress
from .runner import DEFAULT_TIMEOUT, BatchOutcome, BatchRunner, LineResult


def refuse_invalid(problems: List[LineProblem], total: int) -> InvalidRequestError:
    """Every invalid line in one error (exit 3): fixing the file takes one round, not one per line."""
    issues = [issue for problem in problems for issue in problem.issues]
    return InvalidRequestError(problems_text(problems, total), issues)


def check(book: Any, lines: List[BatchLine], problems: List[LineProblem], *, mode: Optional[str] = None,
          model: Optional[str] = None, folder: Optional[Path] = None, skip_invalid: bool = False) -> CheckedBatch:
    """Validate every line; raise (listing them all) when any is invalid and they may not be skipped."""
    checked = check_lines(book, lines, mode=mode, model=model, folder=folder, problems=problems)
    if checked.problems and not skip_invalid:
        raise refuse_invalid(checked.problems, checked.total)
    return checked


async def execute(client: Any, plan: BatchPlan, *, manifest: Optional[ResultsManifest] = None,
                  progress: Optional[BatchProgress] = None, poll_interval: Optional[float] = None,
                  timeout: float = DEFAULT_TIMEOUT, runner_hook: Any = None) -> BatchOutcome:
    """Run a plan on ``client`` (an AsyncTaskClient); ``runner_hook(runner)`` sees the runner first (Ctrl-C)."""
    runner = BatchRunner(client, plan, manifest=manifest, progress=progress, poll_interval=poll_interval,
                         timeout=timeout)
    if runner_hook is not None:
        runner_hook(runner)
    return await runner.run()


async def run_many(
    client: Any,
    requests: Iterable[Any],
    *,
    mode: Optional[str] = None,
    model: Optional[str] = None,
    output_dir: Union[str, Path, None] = None,
    key: Optional[str] = None,
    concurrency: Optional[int] = None,
    queue_ahead: Optional[int] = None,
    submit_rate: Optional[float] = None,
    skip_invalid: bool = False,
    retry_failed: bool = False,
    poll_interval: Optional[float] = None,
    timeout: float = DEFAULT_TIMEOUT,
    manifest: Union[str, Path, None] = None,
    progress: Optional[BatchProgress] = None,
) -> List[LineResult]:
    """Submit, follow and save many requests at once; one result per request, in order.

    Each item is a request mapping, or ``{"id", "request", "mode", "model"}`` (the id names the
    saved files; default: the item's position, from 1). ``key`` makes the call resumable: the
    same key and requests continue an earlier call instead of paying again (default: a fresh
    batch). ``concurrency`` tasks of one model run at once (default: the model's documented
    per-account limit), ``submit_rate`` caps submits per second (default: the documented
    limit); ``manifest`` writes ``batch-results.jsonl`` records there as lines progress.
    Raises InvalidRequestError (every invalid item listed) before sending anything.
    """
    lines, problems = parse_items(requests)
    checked = check(client, lines, problems, mode=mode, model=model, skip_invalid=skip_invalid)
    folder = client.output_dir(client.skill, output_dir)
    plan = make_plan(client, checked, batch_key(key) if key else uuid.uuid4().hex[:16], key or "run_many", folder,
                     concurrency=concurrency, queue_ahead=queue_ahead, submit_rate=submit_rate,
                     retry_failed=retry_failed)
    written = ResultsManifest(Path(manifest) if manifest is not None else None)
    outcome = await execute(client, plan, manifest=written, progress=progress, poll_interval=poll_interval,
                            timeout=timeout)
    return outcome.results
