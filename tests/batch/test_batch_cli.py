"""`qwencloud-video batch FILE` through the installed CLI against the emulator.

Every line is checked before anything is sent (all invalid lines listed, exit 3), results are saved
under their ids with a complete manifest, a rerun submits and downloads nothing again, an edited
line is a new job, local files go up once each, and a dry run sends nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

from cli.conftest import all_output, media

from .conftest import FAST, lines_of, manifest_of, requests_on, submits, write_batch


def thirty_with_three_invalid(folder: Path) -> Path:
    items = lines_of(30)
    items[4] = {"id": "clip-05", "request": {"prompt": "too long", "duration": 99}}  # a field the mode refuses
    items[11] = {"id": "clip-12", "request": {"prompt": "x"}, "seconds": 5}  # not a field of a batch line
    items[26] = '{"id": "clip-27", "request": {"prompt": "unclosed"'  # not JSON
    return write_batch(folder / "shots.jsonl", items)


def test_thirty_lines_three_invalid_nothing_sent_then_skip_invalid_saves_the_rest(cli) -> None:
    batch = thirty_with_three_invalid(cli.cwd)
    refused = cli("batch", str(batch), *FAST)
    assert refused.returncode == 3, all_output(refused)
    text = refused.stderr
    assert "3 of 30 lines are invalid; nothing was sent" in text
    assert "line 5 (id clip-05):" in text and "duration" in text and "99" in text
    assert "line 12 (id clip-12):" in text and "seconds" in text and "not a field of a batch line" in text
    assert "line 27:" in text and "not valid JSON" in text
    assert "Traceback" not in all_output(refused)
    assert cli.emulator.requests == []  # nothing at all reached the service

    done = cli("batch", str(batch), "--skip-invalid", *FAST)
    assert done.returncode == 0, all_output(done)
    assert "3 of 30 lines are invalid and skipped" in done.stderr
    records = manifest_of(done)
    assert [record["line"] for record in records] == list(range(1, 31))  # one record per input line
    assert [r["line"] for r in records if r["status"] == "invalid"] == [5, 12, 27]
    assert all(r["error"] for r in records if r["status"] == "invalid")
    saved = [r for r in records if r["status"] == "done"]
    assert len(saved) == 27
    for record in saved:
        files = [Path(name) for name in record["files"]]
        assert [path.name for path in files] == [f"{record['id']}.mp4"] and files[0].is_file()
        assert record["task_id"]
    assert len(submits(cli.emulator)) == 27
    assert len({r["task_id"] for r in saved}) == 27


def test_a_rerun_submits_nothing_and_downloads_nothing(cli) -> None:
    batch = write_batch(cli.cwd / "b.jsonl", lines_of(6))
    first = cli("batch", str(batch), *FAST)
    assert first.returncode == 0, all_output(first)
    made, fetched = len(submits(cli.emulator)), len(requests_on(cli.emulator, "download"))
    assert made == 6 and fetched == 6
    again = cli("batch", str(batch), *FAST)
    assert again.returncode == 0, all_output(again)
    assert len(submits(cli.emulator)) == made and len(requests_on(cli.emulator, "download")) == fetched
    assert "0 submitted in this run" in again.stderr
    assert manifest_of(again) == manifest_of(first)  # same manifest file, same records
    resumed = cli("batch", "resume", str(batch))
    assert resumed.returncode == 0, all_output(resumed)
    assert len(submits(cli.emulator)) == made


def test_an_edited_line_is_a_new_job_and_the_others_are_kept(cli) -> None:
    items = lines_of(4)
    batch = write_batch(cli.cwd / "b.jsonl", items)
    first = cli("batch", str(batch), *FAST)
    assert first.returncode == 0, all_output(first)
    before = {r["id"]: r for r in manifest_of(first)}
    items[2]["request"]["prompt"] = "a lighthouse in the fog"
    write_batch(batch, items)
    second = cli("batch", str(batch), *FAST)
    assert second.returncode == 0, all_output(second)
    after = {r["id"]: r for r in manifest_of(second)}
    assert len(submits(cli.emulator)) == 5
    assert "changed since task" in second.stderr
    assert after["clip-03"]["task_id"] != before["clip-03"]["task_id"]
    assert [Path(f).name for f in after["clip-03"]["files"]] == ["clip-03_1.mp4"]  # the first one is not overwritten
    assert all(after[key]["task_id"] == before[key]["task_id"] for key in ("clip-01", "clip-02", "clip-04"))


def test_dry_run_prints_the_whole_plan_with_billed_totals_and_needs_no_key(cli) -> None:
    items = lines_of(3) + [{"prompt": "a line without id", "duration": 10}]
    batch = write_batch(cli.cwd / "plan.jsonl", items)
    shown = cli("batch", str(batch), "--dry-run", env={"DASHSCOPE_API_KEY": ""})
    assert shown.returncode == 0, all_output(shown)
    for name in ("clip-01", "clip-02", "clip-03"):
        assert name in shown.stdout
    assert "     4  4 " in shown.stdout  # a line without an id is named by its line number
    assert "Billed in all: 25 s of 720P video, in 4 jobs" in shown.stdout
    assert "5 running at once" in shown.stdout and "Dry run: nothing was sent." in shown.stderr
    as_json = json.loads(cli("batch", str(batch), "--dry-run", "--format", "json").stdout)
    assert as_json["billed"] == {"s of 720P video": 25.0} and [p["id"] for p in as_json["plan"]][-1] == "4"
    assert cli.emulator.requests == []


def test_local_files_are_uploaded_once_each_and_read_from_the_batch_files_folder(cli, tmp_path) -> None:
    folder = tmp_path / "inputs"
    folder.mkdir()
    media(folder, "a.png")
    media(folder, "b.png")
    items = [{"id": f"still-{n}", "request": {"prompt": f"take {n}", "img_url": "a.png" if n % 2 else "b.png"}}
             for n in range(1, 7)]
    batch = write_batch(folder / "stills.jsonl", items)  # paths relative to the file, run from elsewhere
    planned = cli("batch", str(batch), "--dry-run")
    assert "Local files: 2 distinct, 2 to upload (each once)" in planned.stdout, all_output(planned)
    done = cli("batch", str(batch), *FAST)
    assert done.returncode == 0, all_output(done)
    assert len(requests_on(cli.emulator, "upload")) == 2  # six lines, two files
    assert len(submits(cli.emulator)) == 6
    assert all(r["status"] == "done" for r in manifest_of(done))


def test_duplicate_and_unusable_ids_are_refused_with_their_lines(cli) -> None:
    batch = write_batch(cli.cwd / "ids.jsonl", [
        {"id": "same", "request": {"prompt": "a"}},
        {"id": "Same", "request": {"prompt": "b"}},
        {"id": "../up", "request": {"prompt": "c"}},
    ])
    result = cli("batch", str(batch))
    assert result.returncode == 3
    assert "line 2 (id Same)" in result.stderr and "already the id of line 1" in result.stderr
    assert "line 3" in result.stderr and "not usable as a file name" in result.stderr
    assert cli.emulator.requests == []


def test_resume_of_a_batch_never_run_says_how_to_start_it(cli) -> None:
    batch = write_batch(cli.cwd / "new.jsonl", lines_of(1))
    result = cli("batch", "resume", str(batch))
    assert result.returncode == 3 and "no recorded batch run" in result.stderr and "batch " in result.stderr


def test_a_failed_task_is_reported_and_only_retried_when_asked(cli) -> None:
    from qwencloud_skills.emulator import Fault

    cli.emulator.inject(Fault("submit", "fail_task", code="DataInspectionFailed", message="refused content",
                              count=1))
    batch = write_batch(cli.cwd / "f.jsonl", lines_of(3))
    first = cli("batch", str(batch), *FAST)
    assert first.returncode == 1, all_output(first)
    failed = [r for r in manifest_of(first) if r["status"] == "failed"]
    assert len(failed) == 1 and "DataInspectionFailed" in failed[0]["error"]
    assert "--retry-failed" in first.stderr
    again = cli("batch", str(batch), *FAST)
    assert again.returncode == 1 and len(submits(cli.emulator)) == 3  # not submitted again by itself
    retried = cli("batch", str(batch), "--retry-failed", *FAST)
    assert retried.returncode == 0, all_output(retried)
    assert len(submits(cli.emulator)) == 4 and all(r["status"] == "done" for r in manifest_of(retried))
