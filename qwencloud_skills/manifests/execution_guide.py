"""references/execution-guide.md: every mode by curl, for agents that cannot run Python or install packages.

Built from the checked examples with the same request preview as ``--dry-run --format curl``, so
the commands are always the ones the CLI would send; the key is read from ``$DASHSCOPE_API_KEY``.
"""

from __future__ import annotations

from typing import List

from ..dryrun import KEY_VARIABLE, RequestPreview
from ..settings import REGIONS
from .context import SkillContext
from .examples import CheckedExample
from .markdown import bash, join_blocks

DEFAULT_BASE = REGIONS["ap-southeast-1"]
AUTH = f'-H "Authorization: Bearer ${KEY_VARIABLE}"'


def _submit(item: CheckedExample, asynchronous: bool) -> str:
    from ..secrets import ApiKey
    from ..transport import build_headers, redacted_headers

    spec = item.mode.model(item.example.model or item.mode.default_model)
    endpoint = getattr(spec, "endpoint", "") or item.mode.endpoint
    headers = redacted_headers(build_headers(ApiKey("sk-example"), submit=True, body=item.payload,
                                             asynchronous=asynchronous))
    return RequestPreview("POST", DEFAULT_BASE + endpoint, headers, item.payload).curl(base=DEFAULT_BASE)


# The first result URL of a finished task, whatever the answer's shape (a single URL field, results[].url,
# choices[].message.content[].image...): status answers carry no other http(s) strings.
FIRST_URL = '[.output | .. | strings | select(startswith("http"))][0]'


def execution_guide(ctx: SkillContext, checked: List[CheckedExample]) -> str:
    asynchronous = ctx.asynchronous
    extension = ctx.outputs[0].extension if ctx.outputs else ".bin"
    blocks = [
        f"# Running {ctx.title} with curl",
        "Use this only where Python or the package cannot be installed: the CLI checks every request before "
        "it is paid, keeps a task ledger and never loses a result; curl does none of that. The commands are "
        "generated from the same requests as the CLI's `--dry-run --format curl`. The key is read from the "
        f"environment (`${KEY_VARIABLE}`): never paste it into a command.",
        "## Set-up",
        bash(f'BASE="{DEFAULT_BASE}"   # Beijing region: {REGIONS["cn-beijing"]}\n'
             f'[ -n "${KEY_VARIABLE}" ] && echo "key set" || echo "key not set"'),
    ]
    if asynchronous:
        blocks += [
            "## Poll and download",
            "A submit answers with `output.task_id`; poll it every 15-30 s until `output.task_status` is "
            "`SUCCEEDED` (or `FAILED`), then download the result at once (its URL expires after 24 h):",
            bash(f'TASK=...   # output.task_id of the submit\ncurl -sS "$BASE/tasks/$TASK" {AUTH}\n'
                 f'curl -sS -o result{extension} "$(curl -sS "$BASE/tasks/$TASK" {AUTH} | jq -r '
                 f"'{FIRST_URL}')\""),
            "Never submit again to retry a job that is still PENDING or RUNNING: poll it.",
        ]
    blocks += [
        "## Local files",
        "The service takes URLs only. To send a local file, ask for an upload policy (per model), post the file "
        "to the upload host it names, then put `oss://KEY` in the request and add the header "
        "`X-DashScope-OssResourceResolve: enable` to the submit (files are kept 48 h):",
        bash("\n".join([
            'MODEL=...; FILE=./picture.png',
            f'POLICY=$(curl -sS "$BASE/uploads?action=getPolicy&model=$MODEL" {AUTH})',
            'field() { echo "$POLICY" | jq -r ".data.$1"; }',
            'KEY="$(field upload_dir)/$(basename "$FILE")"',
            'curl -sS -X POST "$(field upload_host)" -F OSSAccessKeyId="$(field oss_access_key_id)" \\',
            '  -F Signature="$(field signature)" -F policy="$(field policy)" \\',
            '  -F x-oss-object-acl="$(field x_oss_object_acl)" \\',
            '  -F x-oss-forbid-overwrite="$(field x_oss_forbid_overwrite)" \\',
            '  -F key="$KEY" -F success_action_status=200 -F file=@"$FILE"',
            'echo "oss://$KEY"   # use this in the request',
        ])),
        "## Submit, mode by mode",
    ]
    for mode in ctx.by_priority:
        output = ctx.mode_outputs[ctx.modes.index(mode)] if ctx.mode_outputs else ctx.skill.output
        mine = [item for item in checked if item.mode is mode]
        if not mine:
            continue
        item = mine[0]
        model = item.example.model or mode.default_model
        answer = "" if output.asynchronous else " Answered at once: the result URLs are in the answer."
        blocks += [f"### {mode.name}", f"{mode.summary} Model `{model}`; all fields: "
                   f"[request-fields.md](request-fields.md).{answer}", bash(_submit(item, output.asynchronous))]
    blocks.append(ctx.extra_for("execution-guide"))
    return join_blocks(*blocks)
