"""The image skill's emulator service: what the local emulator answers for Wan and Qwen image generation.

Registered through ``register_emulator_services`` (entry point ``image_emulator``). Written
from the service's image API reference; it imports nothing from the image client (catalog,
models, rules, requests, payload, media) nor the host's validation, so client and emulator
can disagree and tests will notice.

Endpoints (under /api/v1/services/aigc/): ``image-generation/generation``,
``text2image/image-synthesis`` and ``image2image/image-synthesis`` answer with a task id
(X-DashScope-Async: enable); ``multimodal-generation/generation`` answers at once and refuses
the async header. Results are real PNGs of the planned size, ``n`` of them (the documented
default when ``n`` is omitted: 4 on several models). Tiers and omitted sizes with input
images follow the last input's shape when its pixel size is known (uploaded objects,
``data:`` URLs, ``EmulatorConfig.input_media``); otherwise the input counts as square.

Failing some results: ``EmulatorConfig.options["image_failed_results"] = [0]`` (or
``--image-failed-results 0`` on the command line) makes result 0 of every image request fail
with DataInspectionFailed. text2image / image2image tasks then list
``{"code", "message"}`` at that index of ``output.results`` (URLs for the others);
messages answers leave the failed image out. When every result fails, the task ends FAILED
(a synchronous call answers 400 DataInspectionFailed). ``usage.image_count`` counts made images only.
"""
