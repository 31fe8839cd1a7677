"""One asyncio loop runs a batch: submits one at a time under each model's limits, polls every task,
downloads each result as soon as its task ends, and keeps the manifest current.

Submits go out one at a time, each recorded in the ledger (intent first, then its task id) before
the next leaves: a kill can leave at most one submit without its answer, which the next run then
settles from the service's task list. A lane's tasks in flight never exceed its window (the
slots, plus a few waiting in the service's queue); its submit rate is paced (see pacer.py) and
slows down on every 429 the transport reports. Polls follow each task's adaptive schedule
(waiting.py), all of them through one pacer under the account's task-query limit.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable, Dict, List, Optional, Set, Tuple

from ..errors import (
    DownloadError,
    QwenSkillsError,
    ServiceError,
    TaskFailedError,
    TransportError,
    UnknownSubmitOutcomeError,
)
from ..taskrecords import SubmitInterrupted, SubmittedThenInterrupted
from . import manifest as m
from .manifest import ResultsManifest
from .pacer import Pacer
from .plan import BUSY, DONE, FAILED, FETCH, POLL, SUBMIT, UNKNOWN, BatchPlan, Lane, LineState, origin_of
from .progress import BatchProgress

QUERY_RATE = 20.0  # task queries per second per account (the service's documented limit)
DOWNLOADS_AT_ONCE = 4
DEFAULT_TIMEOUT = 1800.0  # seconds a task may take from its submit before this run stops following it
MAX_REQUEUES = 20  # a line the service keeps throttling (after the transport's own retries) is given up
POLL_ERROR_PAUSE = 30.0  # at most, between polls that fail
STATUS_DEADLINE = 60.0


@dataclass
class LineResult:
    """How one line ended in this run (``status`` as in the manifest)."""

    line: int
    id: Optional[str]
    status: str
    task_id: Optional[str] = None
    files: List[Path] = field(default_factory=list)
    error: Optional[str] = None
    polls: int = 0

    @property
    def ok(self) -> bool:
        return self.status == m.DONE

    def as_dict(self) -> Dict[str, Any]:
        return {"line": self.line, "id": self.id, "status": self.status, "task_id": self.task_id,
                "files": [str(path) for path in self.files], "error": self.error}


@dataclass
class BatchOutcome:
    results: List[LineResult]
    interrupted: bool = False
    throttled_submits: int = 0
    submits: int = 0
    manifest_path: Optional[Path] = None

    def count(self, status: str) -> int:
        return sum(1 for result in self.results if result.status == status)

    @property
    def exit_code(self) -> int:
        """130 interrupted, 5 unknown submit outcomes left, 1 some failed, 2 some still running, 0 all done."""
        from ..errors import EXIT_FAILED, EXIT_INTERRUPTED, EXIT_OK, EXIT_RUNNING, EXIT_UNKNOWN_OUTCOME

        if self.interrupted:
            return EXIT_INTERRUPTED
        if self.count(m.UNKNOWN):
            return EXIT_UNKNOWN_OUTCOME
        if self.count(m.FAILED):
            return EXIT_FAILED
        if self.count(m.STOPPED) or self.count(m.RUNNING) or self.count(m.QUEUED):
            return EXIT_RUNNING
        return EXIT_OK


@dataclass
class _Item:
    state: LineState
    lane_key: Tuple[str, str]
    task_id: Optional[str] = None
    submitted_at: float = 0.0  # wall clock, as the ledger records it
    queued_for: float = 0.0  # seconds it waited in the service's queue before it started running
    started: bool = False  # the service said it is running (or has ended)
    polls: int = 0
    poll_errors: int = 0
    requeues: int = 0
    ready: Optional[asyncio.Future[Any]] = None  # the request with its files uploaded
    submitted: bool = False


class _LaneRun:
    def __init__(self, lane: Lane):
        self.lane = lane
        self.pacer = Pacer(lane.submits_per_second)
        self.in_flight = 0

    @property
    def room(self) -> bool:
        return self.in_flight < self.lane.window


class _SyncListing:
    """What settle.py reads of a client: its ledger and a synchronous connection (settling runs in a thread)."""

    def __init__(self, client: Any):
        self.ledger = client.ledger
        self.base_url = client.base_url
        self._client = client
        self._services: Dict[str, Any] = {}

    def service_at(self, base_url: str) -> Any:
        from ..transport import ServiceClient

        if base_url not in self._services:
            self._services[base_url] = ServiceClient(self._client.api_key, base_url, policy=self._client.policy)
        return self._services[base_url]

    def close(self) -> None:
        for service in self._services.values():
            service.close()


class BatchRunner:
    """Runs a plan on an AsyncTaskClient; ``stop()`` ends it after the submit in flight (Ctrl-C)."""

    def __init__(self, client: Any, plan: BatchPlan, *, manifest: Optional[ResultsManifest] = None,
                 progress: Optional[BatchProgress] = None, poll_interval: Optional[float] = None,
                 timeout: float = DEFAULT_TIMEOUT, query_rate: float = QUERY_RATE,
                 downloads: int = DOWNLOADS_AT_ONCE):
        if client.ledger is None:
            raise QwenSkillsError("A batch needs the task ledger (it is how a rerun knows what was submitted); "
                                  "create the client without ledger=False.")
        self.client = client
        self.plan = plan
        self.manifest = manifest or ResultsManifest()
        self.progress = progress or BatchProgress(plan.total, quiet=True)
        self.poll_interval = poll_interval
        self.timeout = timeout
        self.query_pacer = Pacer(query_rate)
        self.lanes = {key: _LaneRun(lane) for key, lane in plan.lanes.items()}
        self.items = [_Item(state, self._lane_key(state)) for state in plan.states]
        self.throttled_submits = 0
        self.submits = 0
        self._download_slots = downloads
        self._downloads: Optional[asyncio.Semaphore] = None  # made in the running loop (3.9 binds at creation)
        self._heap: List[Tuple[float, int, _Item]] = []
        self._order = itertools.count()
        self._tasks: Set[asyncio.Task[Any]] = set()
        self._events: Dict[str, asyncio.Event] = {}
        self._stopping = False
        self._current: Optional[_LaneRun] = None  # the lane whose submit is in flight
        self._throttle_said = 0.0

    @staticmethod
    def _lane_key(state: LineState) -> Tuple[str, str]:
        prepared = state.checked.prepared
        return prepared.model, prepared.base_url or ""

    # -- signals between the parts -------------------------------------------------------------
    def _event(self, name: str) -> asyncio.Event:
        if name not in self._events:
            self._events[name] = asyncio.Event()
        return self._events[name]

    def _changed(self) -> None:
        for event in self._events.values():
            event.set()

    async def _sleep(self, name: str, timeout: Optional[float] = None) -> None:
        """Until something changes (or ``timeout``); the caller cleared the event before looking."""
        try:
            await asyncio.wait_for(self._event(name).wait(), timeout)
        except asyncio.TimeoutError:
            pass

    def stop(self) -> None:
        """Stop submitting; the submit in flight is answered and recorded, then everything stops."""
        if not self._stopping:
            self._stopping = True
            self.progress.say("Stopping: no more submits; every submitted task is in the ledger.")
        self._changed()

    def _spawn(self, coroutine: Any) -> asyncio.Task[Any]:
        task = asyncio.ensure_future(coroutine)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    # -- reporting -------------------------------------------------------------------------------
    def _set(self, item: _Item, **fields: Any) -> None:
        self.manifest.set(item.state.number, **fields)
        self._report()

    def _report(self, force: bool = False) -> None:
        count = self.manifest.count
        failed = count(m.FAILED) + count(m.INVALID) + count(m.UNKNOWN)
        self.progress.update(count(m.DONE), count(m.RUNNING), count(m.QUEUED), failed, force=force)

    def _note(self, item: _Item, text: str, always: bool = False) -> None:
        """An event of one line: always shown in plain mode; on a terminal only when it matters."""
        if always or not self.progress.live:
            self.progress.say(f"{item.state.id}: {text}")

    def _throttled(self, submit: bool, retry_after: Optional[float]) -> None:
        """The transport saw a 429 (it retries by itself when that is safe): the pacer slows down."""
        if not submit:
            self.query_pacer.throttle(retry_after)
            return
        lane = self._current
        if lane is None:
            return
        lane.pacer.throttle(retry_after)
        self.throttled_submits += 1
        if time.monotonic() - self._throttle_said > 5.0:
            self._throttle_said = time.monotonic()
            self.progress.say(f"The service throttled a submit (429): pacing {lane.lane.model} at "
                              f"{lane.pacer.rate:.2g} submits/s.")

    # -- the run -----------------------------------------------------------------------------------
    async def run(self) -> BatchOutcome:
        hosts = {lane.host or self.client.base_url for lane in self.plan.lanes.values()}
        services = [self.client.service_at(host) for host in hosts]
        for service in services:
            service.on_throttled = self._throttled
        try:
            self._downloads = asyncio.Semaphore(self._download_slots)
            self._start_records()
            await self._settle_unknown()
            self._start_items()
            self._report(force=True)
            workers = [self._spawn(self._submitter()), self._spawn(self._poller())]
            while not self._stopping and not self._finished():
                self._event("main").clear()
                if self._finished():
                    break
                for worker in workers:  # a worker that died would leave the batch waiting for ever
                    if worker.done() and not worker.cancelled() and worker.exception() is not None:
                        raise worker.exception()  # type: ignore[misc]
                await self._sleep("main", 1.0)
            if self._stopping:
                for task in list(self._tasks):
                    if task is not workers[0]:
                        task.cancel()
            self._changed()
            await asyncio.gather(*workers, return_exceptions=True)
            for task in list(self._tasks):
                task.cancel()
            await asyncio.gather(*self._tasks, return_exceptions=True)
        finally:
            for service in services:
                service.on_throttled = None
            self._close_records()
            self.manifest.flush()
            self.progress.close()
        return self._outcome()

    def _finished(self) -> bool:
        waiting = any(item.state.action in (SUBMIT, POLL, FETCH) and not self._ended(item) for item in self.items)
        return not waiting and not self._heap and not self._tasks_busy()

    def _tasks_busy(self) -> bool:
        return any(not task.done() for task in self._tasks if getattr(task, "_batch_kind", "") == "work")

    def _ended(self, item: _Item) -> bool:
        return self.manifest.records[item.state.number]["status"] in (m.DONE, m.FAILED, m.UNKNOWN, m.STOPPED)

    def _start_records(self) -> None:
        for problem in self.plan.problems:
            self.manifest.add(problem.number, problem.id, m.INVALID, error=problem.summary())
        for item in self.items:
            state = item.state
            status = {DONE: m.DONE, FAILED: m.FAILED, UNKNOWN: m.UNKNOWN, BUSY: m.UNKNOWN}.get(state.action, m.QUEUED)
            if state.action in (POLL, FETCH):
                status = m.RUNNING
            files: List[str] = []
            if state.action == DONE and state.task_id:
                saved = self.client.saved_result(state.task_id, self.plan.output_dir)
                files = [str(path) for path in saved.files] if saved else []
            error = state.note if state.action in (FAILED, UNKNOWN, BUSY) else None
            self.manifest.add(state.number, state.id, status, task_id=state.task_id, files=files, error=error)
            if state.action == SUBMIT:
                state.checked.prepared.origin = origin_of(self.plan.key, state.id, state.checked.fingerprint)
            elif state.action in (POLL, FETCH, DONE, FAILED):
                item.task_id = state.task_id
                item.submitted = True
                item.submitted_at = float((state.row or {}).get("submitted_at") or time.time())
            if state.action != DONE and state.note != "new":
                self._note(item, state.note)
        self.manifest.flush()

    def _close_records(self) -> None:
        """Whatever this run leaves unfinished is said so in the manifest (a rerun continues it)."""
        for item in self.items:
            record = self.manifest.records[item.state.number]
            if record["status"] == m.RUNNING:
                self.manifest.set(item.state.number, status=m.STOPPED if not self._stopping else m.RUNNING)

    async def _settle_unknown(self) -> None:
        """Submits an earlier run left without an answer: settled from the service's task list, when it can tell."""
        unknown = [item for item in self.items if item.state.action == UNKNOWN]
        if not unknown:
            return
        from ..settle import settle_from_service

        listing = _SyncListing(self.client)
        try:
            for item in unknown:
                row = self.client.ledger.get(item.state.task_id) or {}
                try:
                    outcome, task_id = await asyncio.get_running_loop().run_in_executor(
                        None, settle_from_service, listing, row)
                except Exception as exc:  # noqa: BLE001 - whatever stops the settling, the line stays unknown
                    self._set(item, status=m.UNKNOWN, error=str(exc))
                    self._note(item, f"submit outcome still unknown: {str(exc).splitlines()[0]}", always=True)
                    continue
                if task_id:
                    item.state.action, item.task_id, item.submitted = POLL, task_id, True
                    item.submitted_at = float(row.get("submitted_at") or time.time())
                    self._set(item, status=m.RUNNING, task_id=task_id, error=None)
                    self._note(item, f"the interrupted submit created task {task_id}: followed, not submitted again")
                else:
                    item.state.action = SUBMIT
                    item.state.checked.prepared.origin = origin_of(self.plan.key, item.state.id,
                                                                   item.state.checked.fingerprint)
                    self._set(item, status=m.QUEUED, task_id=None, error=None)
                    self._note(item, "the interrupted submit created nothing: it is submitted again")
        finally:
            listing.close()

    def _start_items(self) -> None:
        from .shared_uploads import SharedUploads

        uploads = SharedUploads(self.client)
        for item in self.items:
            action = item.state.action
            if action == SUBMIT:
                item.ready = self._spawn(uploads.ready(item.state.checked))
                item.ready.add_done_callback(lambda _: self._changed())
            elif action == POLL:
                self.lanes[item.lane_key].in_flight += 1
                self._schedule(item, 0.0)
            elif action == FETCH:
                recorded = (self.client.ledger.get(item.task_id) or {}).get("result")
                if isinstance(recorded, dict):
                    self._work(item, self._download(item, self.client.parse_status(item.task_id, recorded)))
                else:
                    self.lanes[item.lane_key].in_flight += 1
                    self._schedule(item, 0.0)

    def _work(self, item: _Item, coroutine: Any) -> None:
        """A poll or a download of ``item``; an error nobody foresaw fails that line, not the batch."""
        async def guarded() -> None:
            try:
                await coroutine
            except asyncio.CancelledError:
                raise
            except Exception as exc:  # noqa: BLE001
                self._set(item, status=m.FAILED, error=f"unexpected error ({type(exc).__name__}: {exc}); the task "
                                                       "is in the ledger: a rerun continues it")
                self._note(item, f"unexpected error: {type(exc).__name__}: {exc}", always=True)

        task = self._spawn(guarded())
        task._batch_kind = "work"  # type: ignore[attr-defined]
        task.add_done_callback(lambda _: self._changed())

    # -- submitting --------------------------------------------------------------------------------
    def _next_submit(self) -> Tuple[Optional[_Item], bool]:
        """The first line (in file order) that may be submitted now; and whether any is left to submit."""
        left = False
        for item in self.items:
            if item.state.action != SUBMIT or item.submitted or self._ended(item):
                continue
            left = True
            if self.lanes[item.lane_key].room and item.ready is not None and item.ready.done():
                return item, True
        return None, left

    async def _submitter(self) -> None:
        while not self._stopping:
            self._event("submitter").clear()
            item, left = self._next_submit()
            if not left:
                return
            if item is None:
                await self._sleep("submitter")
                continue
            try:
                await self._submit(item)
            except Exception as exc:  # noqa: BLE001 - the client recorded it as an unknown outcome: never resent
                item.submitted = True
                self._set(item, status=m.UNKNOWN, error=f"the submit stopped unexpectedly ({type(exc).__name__}: "
                                                        f"{exc}); a rerun settles it from the service's task list")
                self._note(item, f"submit stopped unexpectedly: {type(exc).__name__}", always=True)

    async def _submit(self, item: _Item) -> None:
        assert item.ready is not None
        try:
            prepared = item.ready.result()
        except Exception as exc:  # noqa: BLE001 - any upload failure fails this line only
            item.submitted = True
            self._set(item, status=m.FAILED, error=f"its local files could not be uploaded: {exc}")
            self._note(item, f"failed before its submit: {str(exc).splitlines()[0]}", always=True)
            return
        lane = self.lanes[item.lane_key]
        await lane.pacer.wait()
        if self._stopping:
            return
        self._current = lane
        try:
            submission = await self.client.submit(prepared, output_dir=str(self.plan.output_dir))
        except SubmittedThenInterrupted as stop:
            self._submitted(item, lane, stop.submission)
            self.stop()
            return
        except SubmitInterrupted as stop:
            item.submitted = True
            self._set(item, status=m.UNKNOWN, task_id=stop.placeholder,
                      error="interrupted while its submit was in flight: a rerun settles it")
            self.stop()
            return
        except UnknownSubmitOutcomeError as exc:
            item.submitted = True
            placeholder = getattr(exc, "placeholder", None)
            self._set(item, status=m.UNKNOWN, task_id=placeholder, error=exc.message)
            self._note(item, "its submit's outcome is unknown (not retried: it could pay twice); a rerun checks "
                             "the service's task list", always=True)
            return
        except ServiceError as exc:
            if exc.status == 429 and item.requeues < MAX_REQUEUES:
                item.requeues += 1  # refused: nothing was created; the pacer already slowed down
                return
            item.submitted = True
            self._set(item, status=m.FAILED, error=f"the service refused the submit (nothing was created): {exc}")
            self._note(item, f"refused: {str(exc).splitlines()[0]}", always=True)
            return
        except TransportError as exc:
            item.submitted = True
            self._set(item, status=m.FAILED, error=f"the submit could not be sent (nothing was created): {exc}")
            self._note(item, f"not sent: {str(exc).splitlines()[0]}", always=True)
            return
        except KeyboardInterrupt:  # before anything left: nothing was created
            self.stop()
            return
        finally:
            self._current = None
            lane.pacer.answered()
        lane.pacer.succeeded()
        self._submitted(item, lane, submission)

    def _submitted(self, item: _Item, lane: _LaneRun, submission: Any) -> None:
        item.submitted = True
        item.task_id = submission.task_id
        item.submitted_at = time.time()
        self.submits += 1
        self._set(item, status=m.RUNNING, task_id=submission.task_id, error=None)
        self._note(item, f"submitted, task {submission.task_id}")
        if submission.final is not None:  # answered at once: nothing to poll
            self._work(item, self._download(item, submission.final))
            return
        lane.in_flight += 1
        self._schedule(item, self._next_delay(item))

    # -- polling -------------------------------------------------------------------------------------
    def _next_delay(self, item: _Item) -> float:
        """The schedule's pause, counted from when the task started running: one that waited in the service's
        queue is not overdue for it (while it still waits, it is looked at as if just submitted)."""
        schedule = self.client.schedule(item.task_id, self.poll_interval)
        age = time.time() - item.submitted_at - item.queued_for if item.started else 0.0
        return schedule.next_delay(max(0.0, age))

    @staticmethod
    def _note_start(item: _Item, status: Any) -> None:
        from ..waiting import run_seconds

        output = status.raw.get("output") if isinstance(status.raw.get("output"), dict) else {}
        if status.status == "PENDING" or item.started:
            return
        item.started = True
        waited = run_seconds({"output": {"submit_time": output.get("submit_time"),
                                         "end_time": output.get("scheduled_time")}}, None, 0.0)
        item.queued_for = waited or 0.0

    def _schedule(self, item: _Item, delay: float) -> None:
        heapq.heappush(self._heap, (time.monotonic() + delay, next(self._order), item))
        self._changed()

    async def _poller(self) -> None:
        while not self._stopping:
            self._event("poller").clear()
            if not self._heap:
                if self._submits_done():
                    return
                await self._sleep("poller")
                continue
            due = self._heap[0][0] - time.monotonic()
            if due > 0:
                await self._sleep("poller", due)
                continue
            _, _, item = heapq.heappop(self._heap)
            await self.query_pacer.wait()
            self._work(item, self._poll(item))

    def _submits_done(self) -> bool:
        return self._next_submit()[1] is False and not self._tasks_busy()

    async def _poll(self, item: _Item) -> None:
        lane = self.lanes[item.lane_key]
        age = time.time() - item.submitted_at
        try:
            status = await self.client.status(item.task_id, deadline=time.monotonic() + STATUS_DEADLINE)
        except (ServiceError, TransportError) as exc:
            item.poll_errors += 1
            if age > self.timeout:
                self._stopped_following(item, lane, f"its status could not be read: {exc}")
                return
            if item.poll_errors in (1, 5):
                self._note(item, f"status check failed ({str(exc).splitlines()[0]}); trying again", always=True)
            self._schedule(item, min(POLL_ERROR_PAUSE, 2.0 ** item.poll_errors))
            return
        item.polls += 1
        item.poll_errors = 0
        self._note_start(item, status)
        if status.running:
            if age > self.timeout:
                self._stopped_following(item, lane, f"still {status.status} after {age:.0f} s (--timeout)")
                return
            self._schedule(item, self._next_delay(item))
            return
        lane.in_flight -= 1
        self._changed()
        try:
            status.raise_for_failure()
        except TaskFailedError as exc:
            self._set(item, status=m.FAILED, error=str(exc))
            self._note(item, f"failed: {str(exc).splitlines()[0]}", always=True)
            return
        await self._download(item, status)

    def _stopped_following(self, item: _Item, lane: _LaneRun, why: str) -> None:
        lane.in_flight -= 1
        self._set(item, status=m.STOPPED, error=f"{why}; the task keeps running on the service: rerun to continue")
        self._note(item, f"no longer followed: {why}", always=True)

    # -- saving --------------------------------------------------------------------------------------
    async def _download(self, item: _Item, status: Any) -> None:
        assert self._downloads is not None
        async with self._downloads:
            try:
                result = await self.client.download(status, self.plan.output_dir, stem=item.state.id)
            except TaskFailedError as exc:
                self._set(item, status=m.FAILED, error=str(exc))
                self._note(item, f"failed: {str(exc).splitlines()[0]}", always=True)
                return
            except DownloadError as exc:
                again = "" if exc.expired else "; a rerun tries the download again"
                self._set(item, status=m.FAILED, error=f"{exc}{again}")
                self._note(item, f"download failed: {str(exc).splitlines()[0]}", always=True)
                return
            except (QwenSkillsError, OSError) as exc:
                self._set(item, status=m.FAILED, error=f"could not save the result: {exc}; a rerun tries again")
                self._note(item, f"could not save: {str(exc).splitlines()[0]}", always=True)
                return
        warnings = [f"result {failure.index + 1} was not made ({failure.code or ''} {failure.message or ''})".strip()
                    for failure in result.status.failures]
        self._set(item, status=m.DONE, files=result.files, error="; ".join(warnings) or None)
        self._note(item, "saved " + ", ".join(str(path) for path in result.files))

    # -- the outcome ---------------------------------------------------------------------------------
    def _outcome(self) -> BatchOutcome:
        polls = {item.state.number: item.polls for item in self.items}
        results = [LineResult(record["line"], record["id"], record["status"], record.get("task_id"),
                              [Path(name) for name in record.get("files") or []], record.get("error"),
                              polls.get(record["line"], 0))
                   for record in self.manifest.ordered()]
        return BatchOutcome(results, self._stopping, self.throttled_submits, self.submits, self.manifest.path)


Say = Callable[[str], None]
