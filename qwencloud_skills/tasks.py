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
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Dict, Mapping, Optional, Union

from .credentials import require_api_key
from .environment import Environment
from .errors import (
    FieldIssue,
    ServiceError,
    TaskFailedError,
    TaskTimeoutError,
    UnknownSubmitOutcomeError,
    invalid,
)
from .ledger import PLACEHOLDER_PREFIX, UNKNOWN_OUTCOME, Ledger
from .output import check_output_dir, place_file, prepare_output_dir
from .retry import RetryPolicy
from .settings import resolve_base_url

if TYPE_CHECKING:  # pragma: no cover
    from .registry import Mode, Registry
    from .secrets import ApiKey

RUNNING_STATUSES = frozenset({"PENDING", "RUNNING", "SUSPENDED"})
FAILED_STATUSES = frozenset({"FAILED", "CANCELED", "UNKNOWN"})
DEFAULT_INTERVAL = 15.0
DEFAULT_TIMEOUT = 600.0

StatusCallback = Callable[["TaskStatus", float], None]


@dataclass
class TaskStatus:
    """One poll answer, parsed."""

    task_id: str
    status: str
    video_url: Optional[str] = None
    code: Optional[str] = None
    message: Optional[str] = None
    raw: Dict[str, Any] = field(default_factory=dict)

    @classmethod
    def parse(cls, task_id: str, data: Mapping[str, Any]) -> TaskStatus:
        output = data.get("output") or {}
        url = output.get("video_url")
        if not url:
            results = output.get("results") or []
            if results and isinstance(results[0], Mapping):
                url = results[0].get("url") or results[0].get("video_url")
        return cls(
            task_id=output.get("task_id") or task_id,
            status=str(output.get("task_status") or "UNKNOWN").upper(),
            video_url=url,
            code=output.get("code"),
            message=output.get("message"),
            raw=dict(data),
        )

    @property
    def running(self) -> bool:
        return self.status in RUNNING_STATUSES

    @property
    def succeeded(self) -> bool:
        return self.status == "SUCCEEDED"

    @property
    def usage(self) -> Dict[str, Any]:
        return dict(self.raw.get("usage") or {})

    def raise_for_failure(self) -> None:
        if self.status == "UNKNOWN" and not (self.code or self.message):
            raise TaskFailedError(
                self.task_id, self.status, "UnknownTask",
                "the service does not know this task id: mistyped, older than 24 hours, or submitted "
                "to another region or account",
            )
        if self.status in FAILED_STATUSES or (self.succeeded and not self.video_url):
            raise TaskFailedError(self.task_id, self.status, self.code, self.message)


class SubmitInterrupted(KeyboardInterrupt):
    """Ctrl-C (or cancellation) while a submit was in flight: the service may have created the task."""

    def __init__(self, placeholder: Optional[str]):
        super().__init__(placeholder)
        self.placeholder = placeholder


@dataclass
class Prepared:
    """A validated request, ready to send: the exact endpoint and JSON body."""

    mode: Mode
    model: str
    request: Any
    payload: Dict[str, Any]

    @property
    def endpoint(self) -> str:
        return self.mode.endpoint


@dataclass
class Submission:
    task_id: str
    mode: str
    model: str
    request_id: Optional[str]
    status: str


@dataclass
class Result:
    """A finished task saved to disk."""

    task_id: str
    status: TaskStatus
    local_path: Optional[Path]
    response_path: Optional[Path]
    already_saved: bool = False  # an earlier run saved it; nothing was downloaded again

    def as_dict(self) -> Dict[str, Any]:
        return {
            "task_id": self.task_id,
            "status": self.status.status,
            "video_url": self.status.video_url,
            "local_path": str(self.local_path) if self.local_path else None,
            "response_path": str(self.response_path) if self.response_path else None,
            "already_saved": self.already_saved,
            "usage": self.status.usage,
        }


def _stat_of(path: Path) -> str:
    info = path.stat()
    return f"{info.st_size}:{info.st_mtime_ns}"


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
        self.base_url = (base_url or resolve_base_url(self.env).base_url).rstrip("/")
        self.policy = policy or RetryPolicy()
        self.skill = skill
        self._registry = registry
        if ledger is False:
            self.ledger: Optional[Ledger] = None
        else:
            self.ledger = ledger if isinstance(ledger, Ledger) else Ledger.default()

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
        row = ledger.get(task_id) if isinstance(ledger, Ledger) else None
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
        self, request: Mapping[str, Any], mode: Optional[str] = None, model: Optional[str] = None
    ) -> Prepared:
        """Validate locally and build the payload; no network. Raises InvalidRequestError."""
        if not isinstance(request, Mapping):
            raise invalid([FieldIssue("request", request, "must be a JSON object", "{...}", "pass a JSON object")])
        chosen = self.registry.mode(mode, self.skill) if mode else self.registry.detect_mode(request, self.skill)
        from .validation import resolve_model_id

        model_id = resolve_model_id(chosen, request, model)
        validated = chosen.validate(request, model_id)
        from .localfiles import check_local_files
        from .uploads import known_upload_limit

        check_local_files(chosen, validated, known_upload_limit(self, model_id))
        return Prepared(chosen, model_id, validated, chosen.payload(validated, model_id))

    def _record(self, prepared: Prepared, answer: Mapping[str, Any], output_dir: Optional[str]) -> Submission:
        output = answer.get("output") or {}
        task_id = output.get("task_id")
        if not task_id:
            raise ServiceError(None, "InvalidResponse", f"submit answer has no task_id: {answer!r}")
        status = output.get("task_status") or "PENDING"
        if self.ledger is not None:
            self.ledger.record_submit(
                task_id,
                skill=prepared.mode.skill,
                mode=prepared.mode.name,
                model=prepared.model,
                request=prepared.payload,
                base_url=self.base_url,
                endpoint=prepared.endpoint,
                request_id=answer.get("request_id"),
                status=status,
                output_dir=output_dir,
            )
        return Submission(task_id, prepared.mode.name, prepared.model, answer.get("request_id"), status)

    def _record_unknown(self, prepared: Prepared, error: UnknownSubmitOutcomeError) -> Optional[str]:
        if self.ledger is None:
            return None
        local_id = self.ledger.record_unknown_outcome(
            skill=prepared.mode.skill,
            mode=prepared.mode.name,
            model=prepared.model,
            request=prepared.payload,
            base_url=self.base_url,
            endpoint=prepared.endpoint,
            error=error.message,
        )
        error.message += f"\nRecorded in the task ledger as {local_id}."
        error.args = (error.message,)
        return local_id

    def _note_status(self, status: TaskStatus) -> None:
        if self.ledger is None:
            return
        fields: Dict[str, Any] = {"status": status.status}
        if status.video_url:
            fields["video_url"] = status.video_url
        if not status.running:
            fields["result"] = status.raw
        if status.code or status.message:
            fields["error"] = f"{status.code}: {status.message}"
        if status.status != "UNKNOWN":
            # A task submitted elsewhere (another tool, another machine) is tracked from now on.
            self.ledger.adopt(status.task_id, skill=self.skill, base_url=self.base_url)
        else:
            known = self.ledger.get(status.task_id)
            if known and known.get("status") in ("SUCCEEDED", "FAILED", "CANCELED"):
                return  # the service forgets tasks after 24 h; what we recorded stays true
        self.ledger.update(status.task_id, **fields)

    def _save_response(self, status: TaskStatus, video: Optional[Path], directory: Path) -> Path:
        body = dict(status.raw)
        body["local_path"] = str(video) if video else None
        name = "response.json"
        if video is not None and "_" in video.stem and video.stem.rpartition("_")[2].isdigit():
            name = f"response_{video.stem.rpartition('_')[2]}.json"
        fd, temp = tempfile.mkstemp(prefix=".response.", suffix=".part", dir=str(directory))
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            json.dump(body, handle, ensure_ascii=False, indent=2)
        return place_file(temp, directory, name)

    def _saved(self, status: TaskStatus, video: Path, directory: Path) -> Result:
        response_path = self._save_response(status, video, directory)
        if self.ledger is not None:
            self.ledger.update(status.task_id, local_path=str(video), output_dir=str(directory),
                               local_stat=_stat_of(video))
        return Result(status.task_id, status, video, response_path)

    def output_dir(self, skill: Optional[str], output_dir: Union[str, Path, None] = None, *,
                   create: bool = True) -> Path:
        """Where results go: ``output_dir``, else the skill's default; refused inside a skills/ tree."""
        if output_dir is None:
            name = skill or self.skill or "qwencloud-skills"
            known = self.registry.skills.get(name)
            output_dir = known.default_output_dir if known else f"output/{name}/"
        return prepare_output_dir(output_dir) if create else check_output_dir(output_dir)

    def saved_result(self, task_id: str, output_dir: Union[str, Path, None] = None) -> Optional[Result]:
        """The file an earlier run saved for this task, if that very file is still there.

        "That very file": same size and modification time as when it was saved, so a
        file that replaced it under the same name (another task's) is not taken for it.
        """
        row = self.ledger.get(task_id) if self.ledger is not None else None
        saved = Path(row["local_path"]) if row and row.get("local_path") else None
        if saved is None or not saved.is_file() or row.get("local_stat") != _stat_of(saved):
            return None
        if output_dir is not None and Path(output_dir).expanduser().resolve() != saved.parent:
            return None
        status = TaskStatus.parse(task_id, row.get("result") or {"output": {"task_status": row.get("status")}})
        return Result(task_id, status, saved, None, already_saved=True)

    def _download_dir(self, task_id: str, output_dir: Union[str, Path, None]) -> Path:
        """The given folder, else the one recorded at submit, else the skill's default."""
        row = self.ledger.get(task_id) if self.ledger is not None else None
        if output_dir is None and row and row.get("output_dir"):
            output_dir = row["output_dir"]
        return self.output_dir((row or {}).get("skill") or self.skill, output_dir)

    @staticmethod
    def _check_wait(interval: float, timeout: float) -> None:
        if not interval > 0 or not timeout > 0:
            raise invalid([FieldIssue("interval/timeout", (interval, timeout), "must both be more than 0",
                                      "seconds > 0", "e.g. interval=15, timeout=600")])

    @staticmethod
    def _finished(
        status: TaskStatus, started: float, interval: float, timeout: float, on_status: Optional[StatusCallback]
    ) -> bool:
        """Report one poll; True when the task is done, raise when it failed or waiting must stop."""
        elapsed = time.monotonic() - started
        if on_status is not None:
            on_status(status, elapsed)
        if not status.running:
            status.raise_for_failure()
            return True
        if elapsed + interval > timeout:
            raise TaskTimeoutError(status.task_id, elapsed, status.status)
        return False


class TaskClient(TaskBook):
    """Synchronous task lifecycle; ``create_and_poll`` is the one-call path."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        from .transport import ServiceClient

        self.service = ServiceClient(self.api_key, self.base_url, policy=self.policy)

    def close(self) -> None:
        self.service.close()

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
        try:
            answer = self.service.submit(prepared.endpoint, prepared.payload)
        except UnknownSubmitOutcomeError as exc:
            self._record_unknown(prepared, exc)
            raise
        except KeyboardInterrupt:
            error = UnknownSubmitOutcomeError("interrupted while the submit was in flight")
            raise SubmitInterrupted(self._record_unknown(prepared, error)) from None
        return self._record(prepared, answer, output_dir)

    def status(self, task_id: str) -> TaskStatus:
        status = TaskStatus.parse(task_id, self.service.get_task(task_id))
        self._note_status(status)
        return status

    def wait(
        self,
        task_id: str,
        *,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> TaskStatus:
        """Poll until the task ends. Raises TaskFailedError, or TaskTimeoutError (still running)."""
        self._check_wait(interval, timeout)
        started = time.monotonic()
        while True:
            status = self.status(task_id)
            if self._finished(status, started, interval, timeout, on_status):
                return status
            time.sleep(interval)

    def cancel(self, task_id: str) -> Dict[str, Any]:
        answer = self.service.cancel_task(task_id)
        if self.ledger is not None:
            self.ledger.update(task_id, status="CANCELED")
        return answer

    def list(self, **filters: Any) -> Dict[str, Any]:
        return self.service.list_tasks(**filters)

    def download(
        self, status: TaskStatus, output_dir: Union[str, Path, None] = None, filename: str = "video.mp4"
    ) -> Result:
        earlier = self.saved_result(status.task_id, output_dir)
        if earlier is not None:
            return earlier
        status.raise_for_failure()
        from .download import download

        directory = self._download_dir(status.task_id, output_dir)
        video = download(status.video_url, directory, filename, policy=self.policy)
        return self._saved(status, video, directory)

    def create_and_poll(
        self,
        request: Mapping[str, Any],
        *,
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Union[str, Path, None] = None,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> Result:
        """Validate, submit, wait and download in one call; returns the saved result."""
        prepared = self.prepare(request, mode, model)
        directory = self.output_dir(prepared.mode.skill, output_dir)
        submission = self.submit(prepared, output_dir=str(directory))
        status = self.wait(submission.task_id, interval=interval, timeout=timeout, on_status=on_status)
        return self.download(status, directory)


class AsyncTaskClient(TaskBook):
    """The asyncio lifecycle: share one client across many concurrent tasks."""

    def __init__(self, **kwargs: Any):
        super().__init__(**kwargs)
        from .transport import AsyncServiceClient

        self.service = AsyncServiceClient(self.api_key, self.base_url, policy=self.policy)

    async def aclose(self) -> None:
        await self.service.aclose()

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
        try:
            answer = await self.service.submit(prepared.endpoint, prepared.payload)
        except UnknownSubmitOutcomeError as exc:
            self._record_unknown(prepared, exc)
            raise
        except (KeyboardInterrupt, asyncio.CancelledError):
            self._record_unknown(prepared, UnknownSubmitOutcomeError("canceled while the submit was in flight"))
            raise
        return self._record(prepared, answer, output_dir)

    async def status(self, task_id: str) -> TaskStatus:
        status = TaskStatus.parse(task_id, await self.service.get_task(task_id))
        self._note_status(status)
        return status

    async def wait(
        self,
        task_id: str,
        *,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> TaskStatus:
        import asyncio

        self._check_wait(interval, timeout)
        started = time.monotonic()
        while True:
            status = await self.status(task_id)
            if self._finished(status, started, interval, timeout, on_status):
                return status
            await asyncio.sleep(interval)

    async def cancel(self, task_id: str) -> Dict[str, Any]:
        answer = await self.service.cancel_task(task_id)
        if self.ledger is not None:
            self.ledger.update(task_id, status="CANCELED")
        return answer

    async def list(self, **filters: Any) -> Dict[str, Any]:
        return await self.service.list_tasks(**filters)

    async def download(
        self, status: TaskStatus, output_dir: Union[str, Path, None] = None, filename: str = "video.mp4"
    ) -> Result:
        earlier = self.saved_result(status.task_id, output_dir)
        if earlier is not None:
            return earlier
        status.raise_for_failure()
        from .download import adownload

        directory = self._download_dir(status.task_id, output_dir)
        video = await adownload(status.video_url, directory, filename, policy=self.policy)
        return self._saved(status, video, directory)

    async def create_and_poll(
        self,
        request: Mapping[str, Any],
        *,
        mode: Optional[str] = None,
        model: Optional[str] = None,
        output_dir: Union[str, Path, None] = None,
        interval: float = DEFAULT_INTERVAL,
        timeout: float = DEFAULT_TIMEOUT,
        on_status: Optional[StatusCallback] = None,
    ) -> Result:
        prepared = self.prepare(request, mode, model)
        directory = self.output_dir(prepared.mode.skill, output_dir)
        submission = await self.submit(prepared, output_dir=str(directory))
        status = await self.wait(submission.task_id, interval=interval, timeout=timeout, on_status=on_status)
        return await self.download(status, directory)
