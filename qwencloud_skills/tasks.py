"""The task lifecycle as a library: prepare, submit, status, wait, cancel, list, download.

:class:`AsyncTaskClient` runs hundreds of tasks in one process;
:class:`TaskClient` is the synchronous facade for scripts, with
:meth:`TaskClient.create_and_poll` doing everything in one call. Both record
every submit in the ledger before doing anything else.
"""

from __future__ import annotations

import json
import os
import tempfile
import time
import uuid
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, List, Mapping, Optional, Tuple, Union

from .credentials import require_api_key
from .environment import Environment
from .errors import (
    ConfigError,
    FieldIssue,
    ServiceError,
    TaskTimeoutError,
    TransportError,
    UnknownSubmitOutcomeError,
    invalid,
)
from .interrupts import deferred_interrupts
from .ledger import PLACEHOLDER_PREFIX, SUBMITTING, UNKNOWN_OUTCOME, Ledger
from .output import check_output_dir, place_file, prepare_output_dir
from .pollrecord import record_results, record_status
from .prepared import Prepared
from .registry import Output
from .results import ResultItem, find_results
from .retry import RetryPolicy
from .settings import require_workspace_url, resolve_base_url, resolve_workspace_url

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Mode, Registry
    from .secrets import ApiKey

from .taskrecords import (  # noqa: F401 - the lifecycle records, importable from here as before
    DEFAULT_INTERVAL,
    DEFAULT_TIMEOUT,
    FAILED_STATUSES,
    KNOWN_STATUSES,
    RUNNING_STATUSES,
    Result,
    ResultFinder,
    StatusCallback,
    Submission,
    SubmitInterrupted,
    SubmittedThenInterrupted,
    TaskStatus,
    UnknownStatusWarning,
    _part_key,
    _stat_of,
    _status_word,
    output_from_record,
    recorded_output,
)

MAX_FINAL_PAUSE = 30.0  # a wait gives up only when the next poll (at most this far off) would pass its timeout


class _WaitClock:
    """The wall-clock budget of one wait and its poll schedule, shared by the sync and async loops."""

    def __init__(self, task_id: str, schedule: Any, timeout: float, age: float = 0.0):
        self.task_id = task_id
        self.schedule = schedule
        self.timeout = timeout
        self.started = time.monotonic()
        self.deadline = self.started + timeout
        self.age = age  # seconds the task had run when this wait began (the schedule counts from the submit)
        self.last_status = "PENDING"
        self.polls = 0

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def next_delay(self) -> float:
        """The schedule's pause before the next poll."""
        return self.schedule.next_delay(self.age + self.elapsed())

    def pause(self) -> float:
        return max(0.0, min(self.next_delay(), self.deadline - time.monotonic()))

    def poll(self) -> Any:
        """Around one poll: any failure once the deadline has passed means "stopped waiting"."""
        from contextlib import contextmanager

        @contextmanager
        def guarded() -> Any:
            try:
                yield
            except (ServiceError, TransportError):
                if time.monotonic() < self.deadline:
                    raise
                raise TaskTimeoutError(self.task_id, self.elapsed(), self.last_status) from None

        return guarded()


class TaskBook:
    """What the sync and async clients share: configuration, preparation and ledger writes."""

    def __init__(
        self,
        *,
        skill: Optional[str] = None,
        api_key: Optional[ApiKey] = None,
        base_url: Optional[str] = None,
        env: Optional[Environment] = None,
        registry: Optional[Registry] = None,
        ledger: Union[Ledger, None, bool] = None,
        policy: Optional[RetryPolicy] = None,
    ):
        self.env = env or Environment()
        self.api_key = api_key or require_api_key(self.env)
        # Why the default host cannot be used (a region with workspace hosts only), raised for models that need it.
        self._default_host_error: Optional[ConfigError] = None
        self.base_url = (base_url or self._default_base_url()).rstrip("/")
        self._task_hosts: Dict[str, str] = {}  # tasks this client submitted to a host other than base_url
        self._answered_jobs: Dict[str, TaskStatus] = {}  # synchronous jobs this client ran (no ledger needed)
        self.policy = policy or RetryPolicy()
        self.skill = skill
        self._registry = registry
        self.notice: Optional[Callable[[str], None]] = None  # where to tell people what is happening
        if ledger is False:
            self.ledger: Optional[Ledger] = None
        else:
            self.ledger = ledger if isinstance(ledger, Ledger) else Ledger.default()

    def _default_base_url(self) -> str:
        try:
            return resolve_base_url(self.env).base_url
        except ConfigError as exc:
            workspace = resolve_workspace_url(self.env)
            if workspace is None:
                raise
            self._default_host_error = exc
            return workspace.base_url

    def base_url_for(self, mode: Mode, model_id: str) -> str:
        """Where a submit of ``model_id`` goes: the workspace host for a model served only there.

        Raises ConfigError (before anything is sent) when that host is not configured.
        """
        spec = mode.model(model_id)
        host = getattr(spec, "host", "default") if spec is not None else "default"
        if host == "workspace":
            return require_workspace_url(self.env, model_id).base_url.rstrip("/")
        if host != "default":
            raise ConfigError(f"Model {model_id} (plugin {mode.plugin or 'unknown'}) declares host {host!r}, "
                              "which this version does not know (known: default, workspace). "
                              "Fix: upgrade qwencloud-skills, or pick another model.")
        if self._default_host_error is not None:
            raise self._default_host_error
        return self.base_url

    def base_url_of(self, task_id: str) -> str:
        """Where a task lives: the host this client submitted it to, else the client's base URL."""
        return self._task_hosts.get(task_id, self.base_url)

    @classmethod
    def for_task(cls, task_id: str, **kwargs: Any) -> Any:
        """A client for an existing task: its skill and base URL as the ledger recorded them.

        A task lives where it was submitted (region, emulator), whatever the
        environment says now. Placeholders of unknown-outcome submits are refused:
        they have no task on the service to poll.
        """
        ledger = kwargs.get("ledger")
        if ledger is None:
            ledger = kwargs["ledger"] = Ledger.default()
        if isinstance(ledger, Ledger) and task_id.startswith(PLACEHOLDER_PREFIX):
            ledger.settle_interrupted()  # an intent whose process died is an unknown outcome by now
        row = ledger.get(task_id) if isinstance(ledger, Ledger) else None
        if row and row.get("status") == SUBMITTING:
            raise invalid([FieldIssue("task_id", task_id, f"is a submit still in flight in process {row.get('pid')}",
                                      "a task id from the service",
                                      "wait for that run to finish: it prints the real task id")])
        if task_id.startswith(PLACEHOLDER_PREFIX) and row and row.get("status") != UNKNOWN_OUTCOME:
            raise invalid([FieldIssue("task_id", task_id, f"is a settled placeholder ({row.get('status')}): "
                                      f"{row.get('error') or 'no task'}", "a task id from the service",
                                      "use the real task id it was resolved to")])
        if row and row.get("status") == UNKNOWN_OUTCOME:
            raise invalid([FieldIssue(
                "task_id", task_id, "is a placeholder for a submit whose outcome is unknown, not a service task",
                "a task id from the service",
                "find the real task with `tasks remote` (submitted around "
                f"{time.strftime('%Y-%m-%d %H:%M', time.localtime(row['submitted_at']))}), then "
                f"`tasks resolve {task_id} REAL_ID` and resume REAL_ID",
            )])
        if row:
            if row.get("skill"):
                kwargs["skill"] = row["skill"]
            if row.get("base_url"):
                kwargs.setdefault("base_url", row["base_url"])
        return cls(**kwargs)

    @property
    def registry(self) -> Registry:
        if self._registry is None:
            from .plugins import get_registry

            self._registry = get_registry()
        return self._registry

    def prepare(
        self, request: Mapping[str, Any], mode: Optional[str] = None, model: Optional[str] = None,
        skill: Optional[str] = None,
    ) -> Prepared:
        """Validate locally and build the payload; no network. Raises InvalidRequestError.

        ``skill``: whose modes to choose from (default: the client's own skill).
        """
        if not isinstance(request, Mapping):
            raise invalid([FieldIssue("request", request, "must be a JSON object", "{...}", "pass a JSON object")])
        # Detection sees --model as if it were in the request: some fields mean another mode on another model.
        seen = {**request, "model": model} if model else request
        skill = skill or self.skill
        chosen = self.registry.mode(mode, skill) if mode else self.registry.detect_mode(seen, skill)
        from .validation import resolve_model_id

        model_id = resolve_model_id(chosen, request, model)
        base_url = self.base_url_for(chosen, model_id)
        validated = chosen.validate(request, model_id)
        from .localfiles import check_local_files
        from .uploads import known_upload_limit

        check_local_files(chosen, validated, known_upload_limit(self, model_id, base_url))
        return Prepared(chosen, model_id, validated, chosen.payload(validated, model_id), base_url)

    def host_of(self, prepared: Prepared) -> str:
        """The base URL a prepared request goes to (a hand-made Prepared without one: the client's)."""
        return prepared.base_url or self.base_url

    def _intend(self, prepared: Prepared, output_dir: Optional[str], asynchronous: bool = True) -> Optional[str]:
        """Before the submit leaves: an intent row (the request, where, the output folder)."""
        if self.ledger is None:
            return None
        with deferred_interrupts(reraise=False) as held:
            placeholder = self.ledger.record_intent(
                skill=prepared.mode.skill, mode=prepared.mode.name, model=prepared.model,
                request=prepared.payload, base_url=self.host_of(prepared), endpoint=prepared.endpoint,
                output_dir=output_dir, asynchronous=asynchronous,
                output=recorded_output(self.registry.output_of(prepared.mode)),
                origin=prepared.origin or None,
                billed=prepared.mode.billed_amounts(prepared.request, prepared.model),
                prior_seconds=prepared.mode.expected_time(prepared.request, prepared.model),
            )
            if held.interrupted:  # nothing has left yet: no trace needed
                self.ledger.drop_intent(placeholder)
        if held.interrupted:
            raise KeyboardInterrupt
        return placeholder

    def _answered(self, placeholder: Optional[str], prepared: Prepared, answer: Mapping[str, Any],
                  asynchronous: bool = True) -> Submission:
        """The submit was answered: a usable task id turns the intent into the task's row."""
        if not asynchronous:
            return self._answered_at_once(placeholder, prepared, answer)
        output = answer.get("output") if isinstance(answer.get("output"), Mapping) else {}
        task_id = output.get("task_id")
        from .transport import TASK_ID_PATTERN, unknown_outcome_message

        if not isinstance(task_id, str) or not task_id:
            raise UnknownSubmitOutcomeError(unknown_outcome_message("its answer names no task id (output.task_id)"))
        if not TASK_ID_PATTERN.fullmatch(task_id):
            raise UnknownSubmitOutcomeError(unknown_outcome_message(
                f"its answer names an unusable task id {task_id[:80]!r}"))
        status = _status_word(output.get("task_status") or "PENDING")
        request_id = answer.get("request_id") if isinstance(answer.get("request_id"), str) else None
        submission = Submission(task_id, prepared.mode.name, prepared.model, request_id, status)
        if self.host_of(prepared) != self.base_url:
            self._task_hosts[task_id] = self.host_of(prepared)
        if self.ledger is not None and placeholder is not None:
            with deferred_interrupts(reraise=False) as held:
                self.ledger.promote(placeholder, task_id, status=status, request_id=request_id)
            if held.interrupted:
                raise SubmittedThenInterrupted(submission)
        return submission

    def _answered_at_once(self, placeholder: Optional[str], prepared: Prepared,
                          answer: Mapping[str, Any]) -> Submission:
        """A synchronous mode answered with the results themselves: recorded under the call's request id.

        The row is written (in one statement) before anything else is done with the answer.
        """
        from .transport import TASK_ID_PATTERN, unknown_outcome_message

        request_id = answer.get("request_id") if isinstance(answer.get("request_id"), str) else None
        if not isinstance(answer.get("output"), Mapping):
            raise UnknownSubmitOutcomeError(unknown_outcome_message("its answer holds no output"))
        job_id = request_id if request_id and TASK_ID_PATTERN.fullmatch(request_id) else f"sync-{uuid.uuid4().hex}"
        output = dict(answer["output"])
        output.setdefault("task_id", job_id)
        if "task_status" not in output:
            made = find_results(output, self.registry.output_of(prepared.mode).result_urls)
            output["task_status"] = "SUCCEEDED" if any(item.ok for item in made) else "FAILED"
        final = {**answer, "output": output}
        status = TaskStatus.parse(job_id, final, self.registry.output_of(prepared.mode).result_urls)
        submission = Submission(job_id, prepared.mode.name, prepared.model, request_id, status.status, final=status)
        self._answered_jobs[job_id] = status
        if self.host_of(prepared) != self.base_url:
            self._task_hosts[job_id] = self.host_of(prepared)
        if self.ledger is not None and placeholder is not None:
            with deferred_interrupts(reraise=False) as held:
                self.ledger.promote(placeholder, job_id, status=status.status, request_id=request_id, result=final)
                record_results(self.ledger, status)
            if held.interrupted:
                raise SubmittedThenInterrupted(submission)
        return submission

    def _unsettled(self, placeholder: Optional[str], error: UnknownSubmitOutcomeError) -> Optional[str]:
        """The submit may have been accepted: the intent stays, as an unknown outcome to settle."""
        if self.ledger is None or placeholder is None:
            return None
        with deferred_interrupts(reraise=False):
            self.ledger.mark_unknown(placeholder, error.message)
        error.message += f"\nRecorded in the task ledger as {placeholder}."
        error.args = (error.message,)
        error.placeholder = placeholder  # type: ignore[attr-defined]
        return placeholder

    def _not_sent(self, placeholder: Optional[str]) -> None:
        """The service certainly created nothing (refused, unreachable): the intent goes."""
        if self.ledger is not None and placeholder is not None:
            with deferred_interrupts(reraise=False):
                self.ledger.drop_intent(placeholder)

    def _submit_failed(self, placeholder: Optional[str], exc: BaseException, cancelled: bool = False) -> BaseException:
        """What a failed submit becomes: the error to raise, with the ledger settled accordingly."""
        if isinstance(exc, SubmittedThenInterrupted):  # recorded already
            return exc
        if isinstance(exc, UnknownSubmitOutcomeError):
            self._unsettled(placeholder, exc)
            return exc
        if isinstance(exc, (ServiceError, TransportError)):
            self._not_sent(placeholder)
            return exc
        if isinstance(exc, KeyboardInterrupt) or cancelled:
            what = "canceled" if cancelled else "interrupted"
            self._unsettled(placeholder, UnknownSubmitOutcomeError(f"{what} while the submit was in flight"))
            return exc if cancelled else SubmitInterrupted(placeholder)
        why = f"the submit stopped unexpectedly ({type(exc).__name__})"
        self._unsettled(placeholder, UnknownSubmitOutcomeError(why))
        return exc

    def _note_status(self, status: TaskStatus) -> None:
        if self.ledger is None:
            return
        with self.ledger.session(observations_only=True):
            record_status(self.ledger, status, skill=self.skill, base_url=self.base_url_of(status.task_id))

    # -- which skill's rules apply to a task -------------------------------------------
    def output_for(self, task_id: Optional[str] = None, mode: Optional[Mode] = None) -> Output:
        """What the task's (or mode's) jobs yield: as recorded at submit, else as its plugin declares.

        The recorded naming needs no plugin code; ``result_urls`` is never recorded (see parse_status).
        """
        if mode is None and task_id is not None:
            row = (self.ledger.get(task_id) if self.ledger is not None else None) or {}
            if isinstance(row.get("output"), Mapping):
                return output_from_record(row["output"])
            return self._declared_output(task_id)
        return self.registry.output_of(mode, self.skill)

    def parse_status(self, task_id: str, answer: Mapping[str, Any]) -> TaskStatus:
        """A status answer read for its results: the documented places first, then the skill's own finder.

        Only an ended task with no result found asks the plugins, so polling stays free of plugin code.
        """
        status = TaskStatus.parse(task_id, answer)
        if status.running or status.urls:
            return status
        finder = self._declared_output(task_id).result_urls
        return TaskStatus.parse(task_id, answer, finder) if finder is not None else status

    def _declared_output(self, task_id: str) -> Output:
        """The Output the task's plugin declares now (loads the plugins)."""
        row = (self.ledger.get(task_id) if self.ledger is not None else None) or {}
        skill = row.get("skill") or self.skill
        found = self.registry.modes.get(row.get("mode") or "")
        if found is not None and found.skill == (skill or found.skill):
            return self.registry.output_of(found)
        return self.registry.output_of(None, skill)

    def is_synchronous(self, task_id: str) -> bool:
        """A job a synchronous mode answered at once (the ledger says so; no plugin code needed)."""
        row = self.ledger.get(task_id) if self.ledger is not None else None
        return bool(row) and not row.get("asynchronous", 1)

    def _recorded_final(self, task_id: str) -> Optional[TaskStatus]:
        """A synchronous job's answer as recorded: it has no task on the service to poll."""
        if task_id in self._answered_jobs:
            return self._answered_jobs[task_id]
        row = self.ledger.get(task_id) if self.ledger is not None else None
        if not row or row.get("asynchronous", 1) or not isinstance(row.get("result"), Mapping):
            return None
        return self.parse_status(task_id, row["result"])

    # -- saving results ---------------------------------------------------------------------
    def _save_response(self, status: TaskStatus, files: List[Path], directory: Path, output: Output) -> Path:
        """response.json: the service's answer plus what was saved, and the task's mode, model and request."""
        body = dict(status.raw)
        row = (self.ledger.get(status.task_id) if self.ledger is not None else None) or {}
        body["files"] = [str(path) for path in files]
        body["failed"] = [{"index": item.index, "code": item.code, "message": item.message}
                          for item in status.failures]
        body["job"] = {"mode": row.get("mode"), "model": row.get("model"), "request": row.get("request")}
        if output.path_key:
            body[output.path_key] = str(files[0]) if files else None
        first = files[0] if files else None
        name = "response.json"
        if first is not None and "_" in first.stem and first.stem.rpartition("_")[2].isdigit():
            name = f"response_{first.stem.rpartition('_')[2]}.json"
        fd, temp = tempfile.mkstemp(prefix=".response.", suffix=".part", dir=str(directory))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, indent=2)
        return place_file(temp, directory, name)

    def _file_saved(self, status: TaskStatus, item: ResultItem, path: Path, directory: Path) -> None:
        if self.ledger is not None:
            self.ledger.record_result(status.task_id, item.index, url=item.url, local_path=str(path),
                                      local_stat=_stat_of(path))
            self.ledger.update(status.task_id, output_dir=str(directory))

    def _saved(self, status: TaskStatus, files: List[Path], directory: Path, output: Output) -> Result:
        response_path = self._save_response(status, files, directory, output)
        return Result(status.task_id, status, files, response_path, output=output)

    def _download_plan(self, status: TaskStatus, output_dir: Union[str, Path, None],
                       stem: Optional[str]) -> Tuple[Path, str, List[Tuple[ResultItem, Optional[Path]]], Output]:
        """Where each result goes: (folder, file name, [(result, file an earlier run saved or None)], output).

        A result saved before (same file, same size and time) is not fetched again.
        """
        output = self.output_for(status.task_id)
        directory = self._download_dir(status.task_id, output_dir)
        name = f"{stem or output.file_stem}{output.extension}"
        kept = self._kept_files(status.task_id, directory)
        return directory, name, [(item, kept.get(item.index)) for item in status.results if item.ok], output

    def output_dir(self, skill: Optional[str], output_dir: Union[str, Path, None] = None, *,
                   create: bool = True) -> Path:
        """Where results go: ``output_dir``, else the skill's default; refused inside a skills/ tree."""
        if output_dir is None:
            name = skill or self.skill or "qwencloud-skills"
            known = self.registry.skills.get(name)
            output_dir = known.default_output_dir if known else f"output/{name}/"
        return prepare_output_dir(output_dir) if create else check_output_dir(output_dir)

    def _kept_files(self, task_id: str, directory: Optional[Path] = None) -> Dict[int, Path]:
        """Result index -> the file an earlier run saved, if that very file is still there (in ``directory``).

        "That very file": same size and modification time as when it was saved, so a
        file that replaced it under the same name (another task's) is not taken for it.
        """
        kept: Dict[int, Path] = {}
        for item in self.ledger.results(task_id) if self.ledger is not None else []:
            saved = Path(item["local_path"]) if item.get("local_path") else None
            if saved is None or not saved.is_file() or item.get("local_stat") != _stat_of(saved):
                continue
            if directory is not None and directory.expanduser().resolve() != saved.parent:
                continue
            kept[int(item["idx"])] = saved
        return kept

    def saved_result(self, task_id: str, output_dir: Union[str, Path, None] = None) -> Optional[Result]:
        """What an earlier run saved for this task, if every result it made is still on disk as saved."""
        row = self.ledger.get(task_id) if self.ledger is not None else None
        if not row or not row.get("result"):
            return None
        status = self.parse_status(task_id, row["result"])
        folder = Path(output_dir).expanduser() if output_dir is not None else None
        kept = self._kept_files(task_id, folder)
        wanted = [item.index for item in status.results if item.ok]
        if not wanted or any(index not in kept for index in wanted):
            return None
        return Result(task_id, status, [kept[index] for index in wanted], None, already_saved=True,
                      output=self.output_for(task_id))

    def _download_dir(self, task_id: str, output_dir: Union[str, Path, None]) -> Path:
        """The given folder, else the one recorded at submit, else the skill's default."""
        row = self.ledger.get(task_id) if self.ledger is not None else None
        if output_dir is None and row and row.get("output_dir"):
            output_dir = row["output_dir"]
        return self.output_dir((row or {}).get("skill") or self.skill, output_dir)

    def _waiting_for_lock(self, task_id: str) -> Callable[[], None]:
        def tell() -> None:
            if self.notice is not None:
                self.notice(f"Another process is saving task {task_id}; waiting for it to finish.")

        return tell

    def wait_clock(self, task_id: str, interval: Optional[float], timeout: float) -> _WaitClock:
        """A fixed ``interval``, or (None) the adaptive schedule from this ledger's history of similar tasks."""
        from .waiting import schedule_for

        row = (self.ledger.get(task_id) if self.ledger is not None else None) or {}
        submitted = row.get("submitted_at")
        age = max(0.0, time.time() - float(submitted)) if submitted else 0.0
        return _WaitClock(task_id, schedule_for(self.ledger, task_id, interval), timeout, age)

    def schedule(self, task_id: str, interval: Optional[float] = None) -> Any:
        """The poll schedule of a task (fixed ``interval``, or adaptive); for hints such as --poll-once."""
        from .waiting import schedule_for

        return schedule_for(self.ledger, task_id, interval)

    @staticmethod
    def _check_wait(interval: Optional[float], timeout: float) -> None:
        if (interval is not None and not interval > 0) or not timeout > 0:
            raise invalid([FieldIssue("interval/timeout", (interval, timeout), "must both be more than 0",
                                      "seconds > 0", "e.g. interval=15, timeout=600")])

    @staticmethod
    def _finished(status: TaskStatus, clock: _WaitClock, on_status: Optional[StatusCallback]) -> bool:
        """Report one poll; True when the task is done, raise when it failed or waiting must stop."""
        clock.last_status = status.status
        clock.polls += 1
        elapsed = clock.elapsed()
        if on_status is not None:
            on_status(status, elapsed)
        if not status.running:
            status.raise_for_failure()
            return True
        if elapsed + min(clock.next_delay(), MAX_FINAL_PAUSE) > clock.timeout:
            raise TaskTimeoutError(status.task_id, elapsed, status.status)
        return False


class TaskClient(TaskBook):
    """Synchronous task lifecycle; ``create_and_poll`` is the one-call path."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        from .transport import ServiceClient

        self.service = ServiceClient(self.api_key, self.base_url, policy=self.policy)
        self._services = {self.base_url: self.service}

    def service_at(self, base_url: str) -> Any:
        """The connection to ``base_url`` (a workspace host, say), opened on first use."""
        if base_url not in self._services:
            from .transport import ServiceClient

            self._services[base_url] = ServiceClient(self.api_key, base_url, policy=self.policy)
        return self._services[base_url]

    def close(self) -> None:
        for service in self._services.values():
            service.close()

    def __enter__(self) -> TaskClient:
        return self

    def __exit__(self, *exc: Any) -> None:
        self.close()

    def submit(
        self,
        request: Union[Mapping[str, Any], Prepared],
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Optional[str] = None,
    ) -> Submission:
        prepared = request if isinstance(request, Prepared) else self.prepare(request, mode, model)
        from .uploads import upload_local_files

        prepared = upload_local_files(self, prepared)
        asynchronous = self.registry.output_of(prepared.mode).asynchronous
        placeholder = self._intend(prepared, output_dir, asynchronous)
        try:
            answer = self.service_at(self.host_of(prepared)).submit(prepared.endpoint, prepared.payload,
                                                                    asynchronous=asynchronous)
            return self._answered(placeholder, prepared, answer, asynchronous)
        except BaseException as exc:  # noqa: B036 - every way out must settle the intent
            raise self._submit_failed(placeholder, exc) from None

    def status(self, task_id: str, deadline: Optional[float] = None) -> TaskStatus:
        """One poll; ``deadline`` (time.monotonic()) bounds it, however slowly the answer comes."""
        recorded = self._recorded_final(task_id)
        if recorded is not None:
            return recorded
        service = self.service_at(self.base_url_of(task_id))
        status = self.parse_status(task_id, service.get_task(task_id, deadline=deadline))
        self._note_status(status)
        return status

    def wait(
        self,
        task_id: str,
        *,
        interval: Optional[float] = None,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> TaskStatus:
        """Poll until the task ends. Raises TaskFailedError, or TaskTimeoutError (still running).

        ``timeout`` is a wall-clock deadline over the whole wait, poll answers included.
        """
        self._check_wait(interval, timeout)
        clock = self.wait_clock(task_id, interval, timeout)
        while True:
            with clock.poll():
                status = self.status(task_id, deadline=clock.deadline)
            if self._finished(status, clock, on_status):
                return status
            time.sleep(clock.pause())

    def cancel(self, task_id: str) -> Dict[str, Any]:
        answer = self.service_at(self.base_url_of(task_id)).cancel_task(task_id)
        if self.ledger is not None:
            self.ledger.update(task_id, status="CANCELED")
        return answer

    def list(self, **filters: Any) -> Dict[str, Any]:
        return self.service.list_tasks(**filters)

    def download(
        self, status: TaskStatus, output_dir: Union[str, Path, None] = None, stem: Optional[str] = None
    ) -> Result:
        """Save every result of a finished task (``stem``: the file stem; default the skill's noun)."""
        earlier = self.saved_result(status.task_id, output_dir)
        if earlier is not None:
            return earlier
        status.raise_for_failure()
        from .download import download
        from .locks import exclusive

        with exclusive(f"save:{status.task_id}", on_wait=self._waiting_for_lock(status.task_id)):
            earlier = self.saved_result(status.task_id, output_dir)  # saved by the process we waited for
            if earlier is not None:
                return earlier
            directory, name, plan, output = self._download_plan(status, output_dir, stem)
            files = []
            for item, kept in plan:
                if kept is None:
                    kept = download(item.url, directory, name, policy=self.policy,
                                    part_key=_part_key(status.task_id, item.index))
                    self._file_saved(status, item, kept, directory)
                files.append(kept)
            return self._saved(status, files, directory, output)

    def create_and_poll(
        self,
        request: Mapping[str, Any],
        *,
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Union[str, Path, None] = None,
        interval: Optional[float] = None,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
        stem: Optional[str] = None,
    ) -> Result:
        """Validate, submit, wait and download in one call; returns the saved result."""
        prepared = self.prepare(request, mode, model)
        directory = self.output_dir(prepared.mode.skill, output_dir)
        submission = self.submit(prepared, output_dir=str(directory))
        status = submission.final or self.wait(submission.task_id, interval=interval, timeout=timeout,
                                               on_status=on_status)
        return self.download(status, directory, stem)


class AsyncTaskClient(TaskBook):
    """The asyncio lifecycle: share one client across many concurrent tasks."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        from .transport import AsyncServiceClient

        self.service = AsyncServiceClient(self.api_key, self.base_url, policy=self.policy)
        self._services = {self.base_url: self.service}

    def service_at(self, base_url: str) -> Any:
        """The connection to ``base_url`` (a workspace host, say), opened on first use."""
        if base_url not in self._services:
            from .transport import AsyncServiceClient

            self._services[base_url] = AsyncServiceClient(self.api_key, base_url, policy=self.policy)
        return self._services[base_url]

    async def aclose(self) -> None:
        for service in self._services.values():
            await service.aclose()

    async def __aenter__(self) -> AsyncTaskClient:
        return self

    async def __aexit__(self, *exc: Any) -> None:
        await self.aclose()

    async def submit(
        self,
        request: Union[Mapping[str, Any], Prepared],
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Optional[str] = None,
    ) -> Submission:
        import asyncio

        prepared = request if isinstance(request, Prepared) else self.prepare(request, mode, model)
        from .uploads import aupload_local_files

        prepared = await aupload_local_files(self, prepared)
        asynchronous = self.registry.output_of(prepared.mode).asynchronous
        placeholder = self._intend(prepared, output_dir, asynchronous)
        try:
            answer = await self.service_at(self.host_of(prepared)).submit(prepared.endpoint, prepared.payload,
                                                                          asynchronous=asynchronous)
            return self._answered(placeholder, prepared, answer, asynchronous)
        except BaseException as exc:  # noqa: B036 - every way out must settle the intent
            failed = self._submit_failed(placeholder, exc, cancelled=isinstance(exc, asyncio.CancelledError))
            if failed is exc:
                raise
            raise failed from None

    async def status(self, task_id: str, deadline: Optional[float] = None) -> TaskStatus:
        recorded = self._recorded_final(task_id)
        if recorded is not None:
            return recorded
        service = self.service_at(self.base_url_of(task_id))
        status = self.parse_status(task_id, await service.get_task(task_id, deadline=deadline))
        self._note_status(status)
        return status

    async def wait(
        self,
        task_id: str,
        *,
        interval: Optional[float] = None,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> TaskStatus:
        import asyncio

        self._check_wait(interval, timeout)
        clock = self.wait_clock(task_id, interval, timeout)
        while True:
            with clock.poll():
                status = await self.status(task_id, deadline=clock.deadline)
            if self._finished(status, clock, on_status):
                return status
            await asyncio.sleep(clock.pause())

    async def cancel(self, task_id: str) -> Dict[str, Any]:
        answer = await self.service_at(self.base_url_of(task_id)).cancel_task(task_id)
        if self.ledger is not None:
            self.ledger.update(task_id, status="CANCELED")
        return answer

    async def list(self, **filters: Any) -> Dict[str, Any]:
        return await self.service.list_tasks(**filters)

    async def download(
        self, status: TaskStatus, output_dir: Union[str, Path, None] = None, stem: Optional[str] = None
    ) -> Result:
        earlier = self.saved_result(status.task_id, output_dir)
        if earlier is not None:
            return earlier
        status.raise_for_failure()
        from .download import adownload
        from .locks import aexclusive

        async with aexclusive(f"save:{status.task_id}", on_wait=self._waiting_for_lock(status.task_id)):
            earlier = self.saved_result(status.task_id, output_dir)
            if earlier is not None:
                return earlier
            directory, name, plan, output = self._download_plan(status, output_dir, stem)
            files = []
            for item, kept in plan:
                if kept is None:
                    kept = await adownload(item.url, directory, name, policy=self.policy,
                                           part_key=_part_key(status.task_id, item.index))
                    self._file_saved(status, item, kept, directory)
                files.append(kept)
            return self._saved(status, files, directory, output)

    async def create_and_poll(
        self,
        request: Mapping[str, Any],
        *,
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Union[str, Path, None] = None,
        interval: Optional[float] = None,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
        stem: Optional[str] = None,
    ) -> Result:
        prepared = self.prepare(request, mode, model)
        directory = self.output_dir(prepared.mode.skill, output_dir)
        submission = await self.submit(prepared, output_dir=str(directory))
        status = submission.final or await self.wait(submission.task_id, interval=interval, timeout=timeout,
                                                     on_status=on_status)
        return await self.download(status, directory, stem)

    async def run_many(self, requests: Any, **options: Any) -> List[Any]:
        """Submit, follow and save many requests on this client; one LineResult per request, in order.

        Each request is a mapping, or ``{"id", "request", "mode", "model"}`` (the id names its files).
        Every request is checked first (an invalid one raises, all of them listed). Limits, resuming
        (``key=``) and the other options: :func:`qwencloud_skills.batch.api.run_many`.
        """
        from .batch.api import run_many

        return await run_many(self, requests, **options)
