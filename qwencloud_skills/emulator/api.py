"""The DashScope API routes: a service's submit, then fetch, cancel, list, and the upload policy."""

from __future__ import annotations

import hashlib
import json
import math
from typing import TYPE_CHECKING, Any, Callable, Dict, Iterator, List, Optional, Tuple

from .clock import format_timestamp, parse_filter_time
from .config import Fault
from .quotas import QUERY_RATE, limits_for, queue_full
from .service import SubmitContext, TaskPlan, normalize_path
from .tasks import CANCELED, FAILED, PENDING, SUCCEEDED, UNKNOWN, Task
from .wire import ApiError, Request, Response, json_response

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator

SYNC_MESSAGE = "current user api does not support synchronous calls"
ASYNC_MESSAGE = "current user api does not support asynchronous calls"
OSS = "oss://"
CANCEL_MESSAGE = "Failed to cancel the task, please confirm if the task is in PENDING status."
MAX_PAGE_SIZE = 100


def account_of(request: Request) -> str:
    """The account a request counts against: its API key."""
    return request.headers.get("Authorization", "").strip().partition(" ")[2].strip()


def authorize(emu: Emulator, request: Request) -> None:
    """Bearer key check shared by every /api/v1 route."""
    scheme, _, key = request.headers.get("Authorization", "").strip().partition(" ")
    key = key.strip()
    accepted = emu.config.accepted_keys
    valid = scheme.lower() == "bearer" and bool(key)
    if valid:
        valid = key.startswith("sk-") if accepted is None else key in accepted
    if not valid:
        raise ApiError(401, "InvalidApiKey", "Invalid API-key provided.")


def submit(emu: Emulator, request: Request, path: str) -> Response:
    """A service's endpoint: a task id (async), or the finished output at once (sync)."""
    route = emu.services.route(path)
    if route is None:  # the service was removed after classification
        raise ApiError(404, "NotFound", f"No route for {request.method} {request.url_path}.")
    asks_task = request.headers.get("X-DashScope-Async", "").strip().lower() == "enable"
    if asks_task and not route.tasks:
        raise ApiError(403, "AccessDenied", ASYNC_MESSAGE)
    if not asks_task and not route.sync:
        raise ApiError(403, "AccessDenied", SYNC_MESSAGE)
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "InvalidParameter", f"The request body is not valid JSON: {exc}.") from exc
    config = emu.config
    service = route.service
    account = account_of(request)
    model = payload.get("model") if isinstance(payload, dict) else None
    model = model if isinstance(model, str) else ""
    if config.enforce_quotas:  # the gateway counts the request before the service reads it
        limits = limits_for(model, config, service.model_limits)
        try:
            emu.rates.gate_submit(account, model, limits, emu.clock.monotonic())
        except ApiError:
            emu.counters.count("submits_throttled")
            raise
    oss_resolve = request.headers.get("X-DashScope-OssResourceResolve", "").strip().lower() == "enable"
    context = SubmitContext(
        path=normalize_path(path),
        payload=payload,
        headers=request.headers,
        config=config,
        options=service.resolve_options(config),
        oss_resolve=oss_resolve,
        object_bytes=emu.upload_service.data,
        state=emu.service_state(service.name),
    )
    plan = service.plan(context)
    if not isinstance(plan, TaskPlan):
        raise TypeError(f"service {service.name!r} planned {type(plan).__name__}, not a TaskPlan")
    inputs = payload.get("input") if isinstance(payload, dict) else None
    check_oss(inputs, oss_resolve, emu.upload_service.exists)
    if not asks_task:
        answer = _answer_now(emu, request, service.name, plan, payload)
        emu.counters.count("submits_accepted")
        return answer
    with emu.rates.submit_lock:  # also keeps the draws in submit order, for reproducible runs
        generation = emu.draws.generation_seconds(config, service.mean_seconds, plan, payload)
        group, capacity = None, None
        if config.enforce_quotas:
            limits = limits_for(plan.model, config, service.model_limits)
            group, capacity = emu.slots.group(account, plan.model, limits.concurrency), limits.concurrency
            now = emu.clock.monotonic()
            if group.waiting(now) >= limits.queue:
                emu.counters.count("submits_throttled")
                emu.counters.count("submits_queue_full")
                raise queue_full(plan.model, limits, group.next_start(now))
        fail = emu.fault_book.take_task_fault()
        if plan.failure is not None and fail is None:
            fail = Fault("submit", "fail_task", code=plan.failure[0], message=plan.failure[1])
        task = emu.store.create(
            plan,
            payload,
            request.request_id,
            config.pending_seconds,
            generation,
            fail=fail,
            service=service.name,
            account=account,
            group=group,
            capacity=capacity,
        )
    emu.counters.count("submits_accepted")
    output = {"task_id": task.task_id, "task_status": PENDING}
    return json_response(200, {"output": output}, request.request_id)


def gate_query(emu: Emulator, request: Request) -> None:
    """The per-account rate of task queries, lists and cancels (each route its own), when enforced."""
    config = emu.config
    if not config.enforce_quotas:
        return
    rate = config.query_rate_limit if config.query_rate_limit is not None else QUERY_RATE
    try:
        emu.rates.gate_query(account_of(request), request.route, rate, emu.clock.monotonic())
    except ApiError:
        emu.counters.count("queries_throttled")
        raise


def _answer_now(emu: Emulator, request: Request, service: str, plan: TaskPlan, payload: Any) -> Response:
    """A synchronous answer; its results are kept under a hidden, already finished task."""
    if plan.failure is not None:
        raise ApiError(400, plan.failure[0], plan.failure[1])
    task = emu.store.create(plan, payload, request.request_id, 0.0, 0.0, service=service, sync=True)
    output: Dict[str, Any] = dict(plan.echo)
    output.update(plan.output(result_urls(emu, task)))
    if emu.config.result_size_bytes is None:
        emu.results.start(emu, task)
    body: Dict[str, Any] = {"output": output}
    if plan.usage is not None:
        body["usage"] = dict(plan.usage)
    return json_response(200, body, request.request_id)


def _visible(emu: Emulator, task_id: str) -> Optional[Task]:
    """The task, unless unknown, synchronous or past its TTL (then the service says UNKNOWN)."""
    task = emu.store.get(task_id)
    if task is None or task.sync or task.age(emu.clock.monotonic()) > emu.config.task_ttl_seconds:
        return None
    return task


def get_task(emu: Emulator, request: Request, task_id: str) -> Response:
    gate_query(emu, request)
    task = _visible(emu, task_id)
    if task is None:
        output = {"task_id": task_id, "task_status": UNKNOWN}
        return json_response(200, {"output": output}, request.request_id)
    output, usage = task_view(emu, task)
    payload: Dict[str, Any] = {"output": output}
    if usage is not None:
        payload["usage"] = usage
    return json_response(200, payload, request.request_id)


def task_view(emu: Emulator, task: Task) -> Tuple[Dict[str, Any], Optional[Dict[str, Any]]]:
    """The ``output`` and ``usage`` blocks for a task at this moment."""
    now = emu.clock.monotonic()
    status = task.status_at(now)
    output: Dict[str, Any] = {
        "task_id": task.task_id,
        "task_status": status,
        "submit_time": format_timestamp(task.created_wall),
    }
    if status != PENDING and not (status == CANCELED and task.end_mono < task.scheduled_mono):
        output["scheduled_time"] = format_timestamp(task.wall_at(task.scheduled_mono))
    if status in (SUCCEEDED, FAILED, CANCELED):
        output["end_time"] = format_timestamp(task.wall_at(task.end_mono))
    output.update(task.plan.echo)
    if status == FAILED:
        output["code"] = task.fail_code
        output["message"] = task.fail_message
        return output, None
    if status != SUCCEEDED:
        return output, None
    output.update(task.plan.output(result_urls(emu, task)))
    if emu.config.result_size_bytes is None:
        emu.results.start(emu, task)  # so the download finds the files ready
    usage = task.plan.usage
    return output, dict(usage) if usage is not None else None


def result_path(task: Task, index: int) -> str:
    """Where result ``index`` is served: the first plainly, the others with their index."""
    extension = task.plan.results[index].extension
    suffix = f"_{index}" if index else ""
    return f"/media/{task.task_id}{suffix}.{extension}"


def result_urls(emu: Emulator, task: Task) -> List[str]:
    """OSS-like signed URLs; the server checks expiry itself (the query is decoration)."""
    expires = int(task.wall_at(task.end_mono) + emu.config.url_ttl_seconds)
    urls = []
    for index in range(len(task.plan.results)):
        signed = f"{task.task_id}:{expires}" if not index else f"{task.task_id}:{index}:{expires}"
        signature = hashlib.sha1(signed.encode()).hexdigest()[:27]
        query = f"Expires={expires}&OSSAccessKeyId={emu.upload_service.access_key_id}&Signature={signature}"
        urls.append(f"{emu.base_url}{result_path(task, index)}?{query}")
    return urls


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def check_oss(inputs: Any, resolve: bool, object_exists: Callable[[str], bool]) -> None:
    """oss:// inputs need the resolve header and an object uploaded to the emulator."""
    for url in _strings(inputs):
        if not url.startswith(OSS):
            continue
        if not resolve:
            raise ApiError(400, "InvalidParameter",
                           f"The resource {url} cannot be read: oss:// URLs need the header "
                           "'X-DashScope-OssResourceResolve: enable'.")
        if not object_exists(url[len(OSS):]):
            raise ApiError(400, "InvalidParameter", f"The resource {url} cannot be read: no such uploaded object.")


def cancel_task(emu: Emulator, request: Request, task_id: str) -> Response:
    gate_query(emu, request)
    if _visible(emu, task_id) is None:
        raise ApiError(400, "UnsupportedOperation", f"{CANCEL_MESSAGE} Task {task_id} does not exist.")
    state = emu.store.cancel_if_pending(task_id)
    if state != PENDING:
        raise ApiError(400, "UnsupportedOperation", f"{CANCEL_MESSAGE} Task {task_id} is {state}.")
    return json_response(200, {}, request.request_id)


def _int_param(query: Dict[str, str], name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, "")
    if raw == "":
        return default
    try:
        value = int(raw)
    except ValueError:
        raise ApiError(400, "InvalidParameter", f"Parameter '{name}' must be an integer, got {raw!r}.") from None
    if not low <= value <= high:
        raise ApiError(400, "InvalidParameter", f"Parameter '{name}' must be between {low} and {high}.")
    return value


def _time_param(query: Dict[str, str], name: str) -> Optional[float]:
    raw = query.get(name, "")
    if raw == "":
        return None
    try:
        return parse_filter_time(raw)
    except ValueError:
        message = f"Parameter '{name}' must look like 20240101000000, got {raw!r}."
        raise ApiError(400, "InvalidParameter", message) from None


def list_tasks(emu: Emulator, request: Request) -> Response:
    """Newest first, filtered and paged like the service's task list."""
    gate_query(emu, request)
    query = request.query
    page_no = _int_param(query, "page_no", 1, 1, 1_000_000)
    page_size = _int_param(query, "page_size", 10, 1, MAX_PAGE_SIZE)
    start, end = _time_param(query, "start_time"), _time_param(query, "end_time")
    status = query.get("status", "").strip().upper()
    model = query.get("model_name", "").strip()
    now = emu.clock.monotonic()
    rows: List[Dict[str, Any]] = []
    for task in sorted(emu.store.snapshot(), key=lambda t: t.created_mono, reverse=True):
        if task.sync or task.age(now) > emu.config.task_ttl_seconds:
            continue
        state = task.status_at(now)
        if (status and state != status) or (model and task.model != model):
            continue
        if (start is not None and task.created_wall < start) or (end is not None and task.created_wall > end):
            continue
        rows.append(_list_item(emu, task, state))
    total = len(rows)
    page = rows[(page_no - 1) * page_size : page_no * page_size]
    payload = {
        "data": page,
        "total": total,
        "total_page": math.ceil(total / page_size) if total else 0,
        "page_no": page_no,
        "page_size": page_size,
    }
    return json_response(200, payload, request.request_id)


def _list_item(emu: Emulator, task: Task, state: str) -> Dict[str, Any]:
    started = state not in (PENDING,) and not (state == CANCELED and task.end_mono < task.scheduled_mono)
    finished = state in (SUCCEEDED, FAILED, CANCELED)
    return {
        "task_id": task.task_id,
        "request_id": task.request_id,
        "model_name": task.model,
        "status": state,
        "region": emu.config.region,
        "gmt_create": format_timestamp(task.created_wall),
        "start_time": format_timestamp(task.wall_at(task.scheduled_mono)) if started else None,
        "end_time": format_timestamp(task.wall_at(task.end_mono)) if finished else None,
    }


def get_policy(emu: Emulator, request: Request) -> Response:
    query = request.query
    if query.get("action") != "getPolicy":
        raise ApiError(400, "InvalidParameter", "Parameter 'action' must be getPolicy.")
    if not query.get("model", "").strip():
        raise ApiError(400, "InvalidParameter", "Parameter 'model' is required.")
    config = emu.config
    data = emu.upload_service.issue(emu.upload_host, config.max_file_size_mb, config.policy_expire_seconds)
    return json_response(200, {"data": data}, request.request_id)
