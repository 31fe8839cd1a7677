"""A local, real-HTTP emulator of the DashScope service, for tests and demos.

The core plays the service's machinery: API keys, the task clock and states, the task list,
temporary-storage uploads, faults, signed result URLs with byte ranges, and a PyPI stand-in.
What each product accepts and yields comes from the plugins: a skill's plugin registers a
:class:`~qwencloud_skills.emulator.service.Service` through the ``register_emulator_services``
hook (or a test calls ``emu.add_service``). The services are written from the reference
docs, not from the client, so client and emulator can disagree and tests will notice.

    with Emulator(EmulatorConfig(generation_seconds=0.1)) as emu:
        os.environ["QWEN_BASE_URL"] = emu.base_url      # API at emu.api_base

Faults (``emu.inject(Fault(route, kind, ...))``), routes: submit, task, cancel,
list, policy, upload, download, pypi or "*":

- status: answer ``status`` with a DashScope JSON error (code defaults to
  Throttling for 429, InternalError for 5xx), without doing the action;
  ``retry_after`` adds a Retry-After header.
- drop: read the request, then close the connection without an answer.
- status/drop with ``after_accept=True``: do the action (e.g. create the task),
  then answer the error or drop: an "unknown outcome" for the client.
- delay: sleep ``delay`` seconds, then handle normally (delays add up).
- truncate: announce the full Content-Length, send half the body, close.
- fail_task / never_finish (route submit or "*"): the next created task(s) end
  FAILED with ``code``/``message``, or stay RUNNING forever (synchronous answers
  create no task and take neither).

``count`` is how many requests (tasks, for the last two) a fault affects; None = forever.

The service's limits (``EmulatorConfig(enforce_quotas=True)``, see ``quotas.py``): per account
(API key) and model, at most ``concurrency`` tasks run at once and the rest wait PENDING in
submit order; more than ``submits`` per second, or a full queue, answer 429
``Throttling.RateQuota`` with Retry-After; task query, list and cancel allow 20 per second
each. ``generation_model="realistic"`` draws each task's time from its model, duration and
size (``timing.py``; ``time_scale`` and ``seed``). ``emu.stats()`` reads the counters back.
"""

from .config import EmulatorConfig, Fault
from .quotas import ModelLimits
from .server import Emulator
from .service import ResultContext, ResultFile, ResultUnavailable, Service, SubmitContext, TaskPlan
from .stats import EmulatorStats
from .wire import Headers, Request

RecordedRequest = Request

__all__ = [
    "Emulator",
    "EmulatorConfig",
    "EmulatorStats",
    "Fault",
    "Headers",
    "ModelLimits",
    "RecordedRequest",
    "Request",
    "ResultContext",
    "ResultFile",
    "ResultUnavailable",
    "Service",
    "SubmitContext",
    "TaskPlan",
]
