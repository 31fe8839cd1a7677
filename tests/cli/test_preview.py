"""--preview: a contact sheet beside each moving result, so an agent that sees images can check a video."""

from __future__ import annotations

import json
from pathlib import Path

from qwencloud_skills.pixelsize import pixel_size

from .conftest import all_output


def test_a_video_gets_a_contact_sheet_beside_it(cli) -> None:
    result = cli("--request", '{"prompt": "a paper boat", "size": "832*480", "duration": 5}', "--model",
                 "wan2.2-t2v-plus", "--preview", "--print-response", "--poll-interval", "0.1")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    sheet = Path(shown["previews"][0])
    assert sheet.parent == Path(shown["local_path"]).parent and sheet.name == "video_sheet.png"
    with sheet.open("rb") as handle:
        width, height = pixel_size(handle)
    assert width > height > 0  # 4 columns x 3 rows of 16:9 thumbnails
    assert f"Preview (contact sheet): {sheet}" in result.stderr


def test_a_still_image_needs_no_sheet(cli) -> None:
    result = cli("--request", '{"prompt": "a kite", "n": 1}', "--preview", "--print-response",
                 "--poll-interval", "0.1", script="qwencloud-image")
    assert result.returncode == 0, all_output(result)
    shown = json.loads(result.stdout)
    assert shown["previews"] == [] and len(shown["files"]) == 1
