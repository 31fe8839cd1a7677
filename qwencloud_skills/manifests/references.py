"""The references/ pages: request fields, models, examples and polling, rendered from the registry.

Agents load these on demand, so they carry the detail SKILL.md leaves out.
"""

from __future__ import annotations

from typing import Any, Dict, List, Tuple

from ..errors import EXIT_FAILED, EXIT_OK, EXIT_RUNNING
from ..registry import Mode
from .context import SkillContext
from .examples import CheckedExample
from .fields import field_rows
from .markdown import bash, code, join_blocks, table
from .wording import link_key, noun, path_key

# Options that only make sense when a job is submitted and polled: kept out of a synchronous skill's pages.
POLL_OPTIONS = ("--task-id", "--poll-once", "--submit-only", "--poll-interval", "--timeout")


def _mode_heading(mode: Mode) -> str:
    return f"## {mode.name}\n\n{mode.summary}"


def request_fields(ctx: SkillContext) -> str:
    blocks = [
        f"# Request fields of {ctx.title}",
        "Every field each mode accepts, read from the plugins' request models. Pass them as one JSON object "
        f"with `--request '{{...}}'` (or `--file request.json`), or as typed options of a mode command: "
        f"`{ctx.runner} MODE --help`. Media fields take an https URL, an `oss://` URL or a local path "
        "(uploaded for you). A field a mode does not list is refused before anything is sent.",
    ]
    for mode in ctx.by_priority:
        rows = [(code(row.name), row.type, "yes" if row.required else "no", row.description)
                for row in field_rows(mode.request_class)]
        facts = [f"Endpoint: `POST {mode.endpoint}`. Chosen when: {mode.detection.describe()}."]
        if mode.file_fields:
            media = ", ".join(code(name) for name in mode.file_fields)
            facts.append(f"Media fields (local files are uploaded): {media}.")
        notes = "\n".join(f"- {note}" for note in mode.notes)
        blocks += [_mode_heading(mode), " ".join(facts), table(("Field", "Type", "Required", "Description"), rows)]
        if notes:
            blocks.append(notes)
    blocks.append(ctx.extra_for("request-fields"))
    return join_blocks(*blocks)


def _limit_columns(mode: Mode) -> List[str]:
    columns: Dict[str, None] = {}
    for spec in mode.models:
        columns.update(dict.fromkeys(spec.describe()))
    return list(columns)


def models(ctx: SkillContext) -> str:
    blocks = [
        f"# Models of {ctx.title}",
        f"The catalog the CLI validates against (`{ctx.runner} models` prints the same). Without `--model` the "
        "mode's default is used. A model missing here is still sent, with only the mode's general checks; "
        "catalogs change, so when the service refuses a model, check the official model list.",
    ]
    for mode in ctx.by_priority:
        columns = _limit_columns(mode)
        rows = []
        for spec in mode.models:
            tags = [tag for tag, on in (("default", spec.id == mode.default_model), ("recommended", spec.recommended))
                    if on]
            name = code(spec.id) + (f" ({', '.join(tags)})" if tags else "")
            limits = spec.describe()
            rows.append([name, spec.summary or "—"] + [limits.get(column, "—") for column in columns])
        blocks += [_mode_heading(mode), f"Default model: `{mode.default_model}`.",
                   table(["Model", "Summary"] + [column.capitalize() for column in columns], rows)]
    blocks.append(ctx.extra_for("models"))
    return join_blocks(*blocks)


def examples(ctx: SkillContext, checked: List[CheckedExample]) -> str:
    blocks = [
        f"# Examples of {ctx.title}",
        "Each command below was validated against its mode when these manifests were built. Replace "
        f"`<skill-dir>` with the absolute path of this skill's folder; `{ctx.cli}` takes the same arguments.",
    ]
    for mode in ctx.by_priority:
        mine = [item for item in checked if item.mode is mode]
        if not mine:
            continue
        blocks.append(_mode_heading(mode))
        for item in mine:
            model = f" Model: `{item.example.model}`." if item.example.model else ""
            blocks += [f"### {item.example.title}", (item.example.description + model).strip(),
                       bash(" ".join([ctx.runner] + item.arguments()))]
    blocks.append(ctx.extra_for("examples"))
    return join_blocks(*blocks)


def local_files(ctx: SkillContext) -> str:
    """Local media: what is checked, where it goes, and the production set-up (own bucket)."""
    run = ctx.runner
    return join_blocks(*[
        f"# Local files in {ctx.title}",
        "Any media field of a request may name a local file: `~` and relative paths work, relative to the "
        "working directory. Before anything is sent, each file must exist, be of a type its field takes and "
        "fit the field's limits below (size, pixels, playing time); otherwise the command exits 3 naming the "
        "field and the fix. The type is "
        "read from the file's content, not its name: a text file or web page saved as `.png` is refused, saying "
        "what it really is. Give a path itself, not a `file://` URL; inline `data:` URLs (base64) are taken "
        "only by the fields whose help says so.",
        *_file_limit_tables(ctx),
        "## Default: temporary storage",
        "Files are uploaded to DashScope's temporary storage and sent as `oss://` URLs. They are kept 48 hours "
        "and uploads are limited to about 100 per second: fine for trying things out, not for production, "
        "high concurrency or load tests. An upload is remembered and reused while it is fresh, so "
        "re-running the same request does not upload again; "
        f"`{run} --request '{{...}}' --dry-run` shows what would be uploaded or reused.",
        "## Production: your own OSS bucket",
        "Install the extra and set the bucket in `.env` (or the environment); files then go to your bucket and "
        "are sent as presigned https URLs:",
        bash("pip install 'qwencloud-skills[oss]'\n"
             "# .env\nQWEN_TMP_OSS_BUCKET=my-bucket\nQWEN_TMP_OSS_REGION=cn-hangzhou\n"
             "QWEN_TMP_OSS_AK_ID=...        # or OSS_ACCESS_KEY_ID\n"
             "QWEN_TMP_OSS_AK_SECRET=...    # or OSS_ACCESS_KEY_SECRET"),
        "Optional: `QWEN_TMP_OSS_ENDPOINT`, `QWEN_TMP_OSS_PREFIX` (folder in the bucket), "
        "`QWEN_TMP_OSS_URL_EXPIRES` (seconds the presigned URLs stay valid). Use a RAM user allowed only "
        "`oss:PutObject` and `oss:GetObject` on that bucket. The same secrecy rules as for the API key apply: "
        f"never print these values; `{run} doctor` shows the bucket settings without them.",
        "## Chaining skills",
        "A URL from another skill (`https://`, `oss://`) is passed through untouched: do not download it to "
        f"re-upload. Give other skills this skill's {link_key(ctx.outputs)}; show the user the "
        f"{path_key(ctx.outputs)}.",
        ctx.extra_for("local-files"),
    ])


def _file_limit_tables(ctx: SkillContext) -> List[str]:
    """One table per mode with file fields: what each field takes, as the checks before upload read it."""
    blocks = ["## Limits by field"]
    for mode in ctx.modes:
        rows = [_file_limit_row(mode, name) for name in mode.file_fields]
        if rows:
            blocks += [f"### {mode.name}", table(["field", "types", "size", "pixels", "playing time"], rows)]
    return blocks if len(blocks) > 1 else []


def _file_limit_row(mode: Mode, name: str) -> List[str]:
    kinds = ", ".join(kind.lstrip(".") for kind in mode.file_types.get(name, ())) or "any media"
    limit = mode.file_max_mb.get(name)
    pixels = "; ".join(f"{kind}: {bounds.describe()}" for kind, bounds in (mode.file_pixels.get(name) or {}).items())
    shortest, longest = mode.file_seconds.get(name) or (None, None)
    seconds = (f"{shortest:g}-{longest:g} s" if shortest is not None and longest is not None
               else f"at most {longest:g} s" if longest is not None
               else f"at least {shortest:g} s" if shortest is not None else "-")
    return [f"`{name}`", kinds, f"{limit:g} MB" if limit else "-", pixels or "-", seconds]


def polling(ctx: SkillContext) -> str:
    run = ctx.runner
    what = noun(ctx.async_outputs)
    blocks = [
        f"# Waiting for results: polling, resuming and the task ledger of {ctx.title}",
        "Jobs are asynchronous: a submit returns a task id at once and the service works on it in the background. "
        "Every task id is committed to a local ledger before anything else, so a crash, a kill or a timeout "
        "never loses a paid task.",
        "## Options that control waiting",
        table(("Option", "Effect"), [
            (code("--poll-interval N"), "seconds between status checks (default 15)"),
            (code("--timeout N"), f"give up waiting after N seconds (default 600); exit {EXIT_RUNNING}, the task keeps "
                            "running"),
            (code("--submit-only"), "submit, print the task id on stdout, exit"),
            (code("--task-id ID"), "work on an existing task instead of submitting"),
            (code("--poll-once"), f"with --task-id: one status check; exit {EXIT_RUNNING} while it is still running"),
            (code("-q, --quiet"), "no progress lines on stderr (errors still shown)"),
        ]),
        "## 1. Submit and wait in one call",
        f"The default: progress goes to stderr, the {what} is downloaded when the task succeeds.",
        bash(f"{run} --request '{{...}}' --poll-interval 15 --timeout 600 --print-response"),
        "## 2. Step by step (best for agents)",
        "Each call does one thing and returns at once, so you can keep the user informed in between.",
        bash(f"{run} --request '{{...}}' --submit-only"),
        "stdout is the task id; stderr names the mode and the model. Tell the user the job is billed and "
        "roughly how long it takes, then check it:",
        bash(f"{run} --task-id TASK_ID --poll-once --print-response"),
        f"- exit {EXIT_RUNNING}: still running; wait 15-30 seconds and check again;\n"
        f"- exit {EXIT_OK}: finished; the {what} and `response.json` are saved and the result JSON is printed;\n"
        f"- exit {EXIT_FAILED}: failed; stderr carries the service's code and message.",
        "## 3. Finish a task started earlier",
        bash(f"{run} --task-id TASK_ID --print-response\n{run} tasks resume TASK_ID"),
        "The second form also remembers the output folder chosen at submit time. Task ids and result URLs "
        "are valid for 24 hours.",
        "## The task ledger",
        table(("Command", "Shows or does"), [
            (code(f"{run} tasks list"), "recent tasks with status, mode, model and saved file"),
            (code(f"{run} tasks list --status SUBMIT_UNKNOWN"), "submits whose outcome is unknown (exit 5)"),
            (code(f"{run} tasks show TASK_ID"), "everything recorded about one task"),
            (code(f"{run} tasks resume TASK_ID"), "poll and download a task from any earlier run"),
            (code(f"{run} tasks cancel TASK_ID"), "cancel a task that is still PENDING"),
            (code(f"{run} tasks remote"), "the service's own task list"),
        ]),
        "After exit 5 (submit outcome unknown) do not submit again: the service may have created a billed "
        "task. Look for it with `tasks remote`, then resume it by id.",
        "## While the user waits",
        "Say how long the job usually takes before submitting, relay status changes, and on a timeout give the "
        "user the task id and the resume command. On failure report the service's message and suggest a fix.",
    ]
    blocks.append(ctx.extra_for("polling"))
    return join_blocks(*blocks)


def _help_rows(command: Any, asynchronous: bool = True) -> List[Tuple[str, str]]:
    """The command's options as (flag, help); without the polling ones for a synchronous skill."""
    import click

    context = click.Context(command)
    rows = []
    for param in command.params:
        record = param.get_help_record(context)
        if record and (asynchronous or not set(getattr(param, "opts", ())) & set(POLL_OPTIONS)):
            rows.append((code(record[0]), record[1].replace("  [", " [")))
    return rows


def cli(ctx: SkillContext) -> str:
    """Every option of the skill's command, read from the generated click command itself."""
    from ..cli.generated import skill_group

    group = skill_group(ctx.skill.name, ctx.skill.cli_name, ctx.skill.domain)
    run = ctx.runner
    modes = [(code(f"{run} {mode.name} [OPTIONS]"), mode.summary) for mode in ctx.by_priority]
    blocks = [
        f"# Command line of {ctx.title}",
        f"`{run}` and `{ctx.cli}` are the same command with the same arguments.",
        "## Options",
        f"Used as `{run} --request '{{...}}' [OPTIONS]`"
        + (", or with `--task-id ID` to work on an existing task." if ctx.asynchronous else "."),
        table(("Option", "Meaning"), _help_rows(group, ctx.asynchronous)),
        "## Commands",
        table(("Command", "Does"), modes + [
            (code(f"{run} models"), "every mode with its endpoint, default model and model limits"),
            (code(f"{run} tasks ..."), "the local task ledger: list, show, resume, cancel, resolve, remote"),
            (code(f"{run} doctor"), "set-up check: key set or not (never its value), base URL, state, ffmpeg"),
            (code(f"{run} update-check ..."), "answer the update-check signals: --enable, --dismiss, --never"),
        ]),
        "A mode command takes the same run options plus one typed option per request field: the field name "
        "with dashes (`--negative-prompt`), `--x/--no-x` for booleans, repeated or comma-separated for lists, "
        "JSON for objects. "
        f"`{run} MODE --help` lists them; [request-fields.md](request-fields.md) explains each field.",
    ]
    blocks.append(ctx.extra_for("cli"))
    return join_blocks(*blocks)
