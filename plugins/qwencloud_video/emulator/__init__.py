"""The video skill's emulator service: what the local emulator answers for Wan video generation.

Registered through ``register_emulator_services`` (entry point ``video_emulator``). It is
written from the reference docs and imports nothing from the client (requests, rules,
catalog, models), so client and emulator can disagree and tests will notice.

wan2.7 / wan3.0 (``input.media``): input media are never downloaded. Their pixel size and
length come from ``EmulatorConfig.input_media`` (URL -> facts) or from probing objects
uploaded to the emulator; other input videos are taken to last the option
``assumed_input_video_seconds``. wan3.0 is served on the emulator's own host, although the
real service answers it only on workspace hosts.
"""
