"""A third-party plugin's workflow for the engine tests: two clips made at once, then joined.

Installed like any plugin (an entry point in a fake distribution); it uses the video skill's
t2v mode and one operation of its own, to show both kinds of local step.
"""

PLUGIN_SOURCE = '''
from typing import Optional

from pydantic import BaseModel, Field

from qwencloud_skills.hookspecs import hookimpl
from qwencloud_skills.workflows.spec import JobStep, LocalStep, Plan, Ref, Workflow, WorkflowExample


class PairOptions(BaseModel):
    model_config = {"extra": "forbid"}
    prompt: str = Field(..., description="What both clips show.")
    seconds: int = Field(2, ge=2, le=5, description="Length of each clip.")
    crossfade: Optional[float] = Field(None, description="Seconds of crossfade between the clips.")


def plan(options):
    jobs = tuple(
        JobStep(name, "t2v", {"prompt": f"{options.prompt}, shot {index}", "duration": options.seconds,
                              "size": "1280*720"}, model="wan2.6-t2v", title=f"clip {index}")
        for index, name in enumerate(("clip-a", "clip-b"), 1)
    )
    join = LocalStep("join", "concat", {"files": [Ref("clip-a"), Ref("clip-b")], "crossfade": options.crossfade})
    stamp = LocalStep("stamp", "stamp", {"file": Ref("join")})
    return Plan(jobs + (join, stamp), final="stamp", notes=("two clips, made at the same time",))


def stamp(args, ctx):
    import shutil

    target = ctx.new_path(".mp4")
    shutil.copyfile(args["file"], target)
    return {"file": str(target)}


@hookimpl
def register_workflows(register):
    register(Workflow(
        name="pair", skill="qwencloud-video-generation", summary="Two clips side by side in time.",
        options_model=PairOptions, planner=plan, operations={"stamp": stamp},
        examples=(WorkflowExample("Two shots", {"prompt": "a lighthouse"}),),
    ))
'''
