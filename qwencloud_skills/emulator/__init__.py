"""A local, real-HTTP emulator of the DashScope video-generation service, for tests and demos.

It is independent of the client code on purpose: its model table and checks come
from the reference docs, so client and emulator can disagree and tests will notice.

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
  FAILED with ``code``/``message``, or stay RUNNING forever.

``count`` is how many requests (tasks, for the last two) a fault affects; None = forever.

wan2.7 / wan3.0 (``input.media``): input media are never downloaded. Their pixel size and
length come from ``EmulatorConfig.input_media`` (URL -> facts) or from probing objects
uploaded to the emulator; other input videos are taken to last
``assumed_input_video_seconds``. wan3.0 is served on the emulator's own host, although the
real service answers it only on workspace hosts.
"""

from .config import EmulatorConfig, Fault
from .models import ModelSpec
from .server import Emulator
from .wire import Headers, Request

RecordedRequest = Request

__all__ = ["Emulator", "EmulatorConfig", "Fault", "Headers", "ModelSpec", "RecordedRequest", "Request"]
