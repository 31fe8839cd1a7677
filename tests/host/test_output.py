"""Output rules: numeric suffixes, atomic placement, refusal inside skills trees."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from qwencloud_skills.errors import OutputLocationError
from qwencloud_skills.output import check_output_dir, place_file, prepare_output_dir


def temp_file(directory: Path, content: bytes) -> Path:
    path = directory / f".tmp-{content.hex()[:8]}-{threading.get_ident()}"
    path.write_bytes(content)
    return path


def test_suffixes_never_overwrite(tmp_path: Path) -> None:
    names = []
    for index in range(4):
        placed = place_file(temp_file(tmp_path, bytes([index]) * 4), tmp_path, "video.mp4")
        names.append(placed.name)
    assert names == ["video.mp4", "video_1.mp4", "video_2.mp4", "video_3.mp4"]
    assert (tmp_path / "video.mp4").read_bytes() == b"\x00" * 4
    assert (tmp_path / "video_3.mp4").read_bytes() == b"\x03" * 4
    assert not list(tmp_path.glob(".tmp-*"))


def test_existing_user_file_is_kept(tmp_path: Path) -> None:
    (tmp_path / "video.mp4").write_bytes(b"mine")
    placed = place_file(temp_file(tmp_path, b"new"), tmp_path, "video.mp4")
    assert placed.name == "video_1.mp4"
    assert (tmp_path / "video.mp4").read_bytes() == b"mine"


def test_concurrent_placement_gets_distinct_names(tmp_path: Path) -> None:
    results = []
    sources = [temp_file(tmp_path, bytes([i]) * 8) for i in range(16)]
    threads = [threading.Thread(target=lambda s=s: results.append(place_file(s, tmp_path, "v.mp4"))) for s in sources]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len({p.name for p in results}) == 16
    assert sorted(p.read_bytes()[0] for p in results) == list(range(16))


@pytest.mark.parametrize(
    "relative",
    ["skills/video/out", "project/skills/qwencloud-video-generation", "skills"],
)
def test_refuses_skills_hierarchy(tmp_path: Path, relative: str) -> None:
    with pytest.raises(OutputLocationError, match="skills/ hierarchy"):
        check_output_dir(tmp_path / relative)


def test_refuses_installed_skill_directory(tmp_path: Path) -> None:
    skill = tmp_path / ".claude" / "my-skill"
    skill.mkdir(parents=True)
    (skill / "SKILL.md").write_text("---\nname: my-skill\n---\n")
    with pytest.raises(OutputLocationError, match="installed skill"):
        check_output_dir(skill / "out")


def test_default_style_output_dir_is_created(tmp_path: Path) -> None:
    out = prepare_output_dir(tmp_path / "output" / "qwencloud-video-generation")
    assert out.is_dir()
