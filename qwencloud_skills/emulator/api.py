"""The DashScope API routes: submit, fetch, cancel, list and the upload policy."""

from __future__ import annotations

import hashlib
import json
import math
import threading
from typing import TYPE_CHECKING, Any, Dict, List, Optional, Tuple

from .clock import format_timestamp, parse_filter_time
from .config import Fault
from .media import MediaSpec
from .models import LEGACY, WAN30, tier_of
from .submit import plan_submission
from .tasks import CANCELED, FAILED, PENDING, SUCCEEDED, UNKNOWN, Task
from .wire import ApiError, Request, Response, json_response

if TYPE_CHECKING:  # pragma: no cover
    from .server import Emulator

SYNC_MESSAGE = "current user api does not support synchronous calls"
CANCEL_MESSAGE = "Failed to cancel the task, please confirm if the task is in PENDING status."
MAX_PAGE_SIZE = 100


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


def submit(emu: Emulator, request: Request, endpoint: str) -> Response:
    if request.headers.get("X-DashScope-Async", "").strip().lower() != "enable":
        raise ApiError(403, "AccessDenied", SYNC_MESSAGE)
    try:
        payload = json.loads(request.body.decode("utf-8") or "null")
    except (UnicodeDecodeError, ValueError) as exc:
        raise ApiError(400, "InvalidParameter", f"The request body is not valid JSON: {exc}.") from exc
    config = emu.config
    oss_resolve = request.headers.get("X-DashScope-OssResourceResolve", "").strip().lower() == "enable"
    plan = plan_submission(
        endpoint,
        payload,
        extra_models=config.extra_models,
        strict_sizes=config.strict_sizes,
        oss_resolve=oss_resolve,
        object_exists=emu.upload_service.exists,
        facts=emu.fact_finder.lookup(config.input_media, probe=oss_resolve),
        assumed_video_seconds=config.assumed_input_video_seconds,
    )
    fail = emu.fault_book.take_task_fault()
    if plan.failure is not None and fail is None:
        fail = Fault("submit", "fail_task", code=plan.failure[0], message=plan.failure[1])
    task = emu.store.create(
        plan,
        payload,
        request.request_id,
        config.pending_seconds,
        config.generation_seconds,
        fail=fail,
    )
    output = {"task_id": task.task_id, "task_status": PENDING}
    return json_response(200, {"output": output}, request.request_id)


def _visible(emu: Emulator, task_id: str) -> Optional[Task]:
    """The task, unless unknown or past its TTL (then the service says UNKNOWN)."""
    task = emu.store.get(task_id)
    if task is None or task.age(emu.clock.monotonic()) > emu.config.task_ttl_seconds:
        return None
    return task


def get_task(emu: Emulator, request: Request, task_id: str) -> Response:
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
    prompt = task.input.get("prompt")
    if isinstance(prompt, str) and prompt:
        output["orig_prompt"] = prompt
    if status == FAILED:
        output["code"] = task.fail_code
        output["message"] = task.fail_message
        return output, None
    if status != SUCCEEDED:
        return output, None
    extends = task.parameters.get("prompt_extend", True) is not False and task.plan.protocol == LEGACY
    if isinstance(prompt, str) and prompt and extends:  # wan2.7 / wan3.0 answer orig_prompt only
        output["actual_prompt"] = prompt + " (emulated prompt extension)"
    output["video_url"] = video_url(emu, task)
    _prerender(emu, task)
    return output, usage_of(task)


def usage_of(task: Task) -> Dict[str, Any]:
    if task.plan.protocol != LEGACY:
        return _media_usage(task)
    tier = tier_of(task.size)
    short_side = int(tier[:-1]) if tier else min(task.width, task.height)
    return {
        "video_count": 1,
        "video_duration": task.duration,
        "video_ratio": task.size,
        "duration": task.duration,
        "output_video_duration": task.duration,
        "SR": short_side,
    }


def _media_usage(task: Task) -> Dict[str, Any]:
    """wan2.7 / wan3.0 billing: duration = input-video seconds + output seconds."""
    plan = task.plan
    output_seconds = plan.duration
    total = round(plan.input_video_seconds + output_seconds, 2)
    usage: Dict[str, Any] = {
        "video_count": 1,
        "duration": total if plan.input_video_seconds or isinstance(output_seconds, float) else output_seconds,
        "input_video_duration": plan.input_video_seconds,
        "output_video_duration": output_seconds,
        "SR": int(plan.tier[:-1]) if plan.tier else min(plan.width, plan.height),
        "ratio": plan.ratio,
        "size": task.size,
    }
    if plan.protocol == WAN30:
        usage["fps"] = 30
        usage["audio"] = plan.audio
    return usage


def media_path(task: Task) -> str:
    return f"/media/{task.task_id}.mp4"


def media_spec(emu: Emulator, task: Task) -> MediaSpec:
    return MediaSpec(task.width, task.height, task.duration, task.audio, max(1, int(emu.config.fps)))


def video_url(emu: Emulator, task: Task) -> str:
    """OSS-like signed URL; the server checks expiry itself (the query is decoration)."""
    expires = int(task.wall_at(task.end_mono) + emu.config.url_ttl_seconds)
    signature = hashlib.sha1(f"{task.task_id}:{expires}".encode()).hexdigest()[:27]
    query = f"Expires={expires}&OSSAccessKeyId={emu.upload_service.access_key_id}&Signature={signature}"
    return f"{emu.base_url}{media_path(task)}?{query}"


def _prerender(emu: Emulator, task: Task) -> None:
    """Start rendering once a task is seen SUCCEEDED, so the download finds the file ready."""
    if emu.config.result_size_bytes is not None or not emu.store.mark_render_requested(task):
        return
    spec = media_spec(emu, task)
    cache_dir, render = emu.config.media_cache_dir, emu.config.render_media

    def work() -> None:
        try:
            emu.renderer.ensure(spec, cache_dir, render)
        except Exception:  # noqa: BLE001 - the download route reports the failure
            pass

    threading.Thread(target=work, name=f"emulator-render-{task.task_id[:8]}", daemon=True).start()


def cancel_task(emu: Emulator, request: Request, task_id: str) -> Response:
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
    query = request.query
    page_no = _int_param(query, "page_no", 1, 1, 1_000_000)
    page_size = _int_param(query, "page_size", 10, 1, MAX_PAGE_SIZE)
    start, end = _time_param(query, "start_time"), _time_param(query, "end_time")
    status = query.get("status", "").strip().upper()
    model = query.get("model_name", "").strip()
    now = emu.clock.monotonic()
    rows: List[Dict[str, Any]] = []
    for task in sorted(emu.store.snapshot(), key=lambda t: t.created_mono, reverse=True):
        if task.age(now) > emu.config.task_ttl_seconds:
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
