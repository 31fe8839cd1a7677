"""The video models' rate limits and typical generation times, as the emulator enforces and draws them.

Limits follow the service's published quota table (submits per second, tasks running at once, tasks
waiting); the models not listed share the common row (5 submits/s, 5 running, 500 waiting), which the
emulator core applies by default. The generation times are plausible means, not published figures:
they only give the realistic timing mode (EmulatorConfig.generation_model) a shape per model.
"""

from __future__ import annotations

from typing import Dict

from qwencloud_skills.emulator import ModelLimits

SLOW_QUOTA = ModelLimits(submits=2, period=1.0, concurrency=2, queue=500)
SLOW_QUOTA_MODELS = (
    "wan2.2-t2v-plus", "wan2.2-i2v-plus", "wan2.2-i2v-flash", "wan2.2-kf2v-flash",
    "wanx2.1-t2v-plus", "wanx2.1-t2v-turbo", "wanx2.1-i2v-plus", "wanx2.1-kf2v-plus", "wanx2.1-vace-plus",
    "wan2.1-vace-plus",
)
MODEL_LIMITS: Dict[str, ModelLimits] = {model: SLOW_QUOTA for model in SLOW_QUOTA_MODELS}

# Mean seconds for a 5 s 720P job (the core scales them by length and picture size).
MEAN_SECONDS: Dict[str, float] = {"*": 45.0}
MEAN_SECONDS.update({model: 28.0 for model in ("wan2.6-i2v-flash", "wan2.6-r2v-flash", "wan2.2-i2v-flash",
                                               "wan2.2-kf2v-flash")})
