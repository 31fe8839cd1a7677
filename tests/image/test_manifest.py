"""The generated image skill folder: committed, small, and built from the image plugin's registry entries."""

from __future__ import annotations

from pathlib import Path

from qwencloud_skills.manifests.build import build_all, first_party_registry

from .util import DEFAULT_MODEL, SKILL

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "skills" / "image" / SKILL
MAX_SKILL_MD = 10 * 1024


def _built():
    return next(item for item in build_all(first_party_registry()) if item.skill.name == SKILL)


def test_the_committed_folder_is_what_the_build_makes():
    built = _built()
    committed = {path.relative_to(FOLDER).as_posix(): path.read_text(encoding="utf-8")
                 for path in FOLDER.rglob("*") if path.is_file()}
    assert committed == built.files
    assert set(built.files) >= {"SKILL.md", "scripts/image.py", "references/prompt-guide.md",
                                "references/models.md", "references/polling.md", "references/local-files.md"}


def test_skill_md_is_small_and_names_the_modes_with_their_defaults():
    text = (FOLDER / "SKILL.md").read_text(encoding="utf-8")
    assert len(text.encode("utf-8")) < MAX_SKILL_MD
    assert "name: qwencloud-image-generation" in text and "cli: qwencloud-image" in text
    for name, model in DEFAULT_MODEL.items():
        assert f"| **{name}** |" in text and f"`{model}`" in text
    assert "[prompt-guide.md](references/prompt-guide.md)" in text


def test_reference_pages_carry_the_plugin_guidance():
    models = (FOLDER / "references" / "models.md").read_text(encoding="utf-8")
    assert "## Choosing a model" in models and "`wan2.6-t2i` (default, recommended)" in models
    polling = (FOLDER / "references" / "polling.md").read_text(encoding="utf-8")
    assert "## Timing for image jobs" in polling
    local = (FOLDER / "references" / "local-files.md").read_text(encoding="utf-8")
    assert "`reference_images` | png, jpg, jpeg, bmp, webp | 10 MB | image: each side 384-5000 px" in local


def test_the_image_manifests_say_nothing_about_video() -> None:
    from pathlib import Path

    folder = Path(__file__).resolve().parents[2] / "skills" / "image" / "qwencloud-image-generation"
    texts = {path.name: path.read_text(encoding="utf-8").lower() for path in folder.rglob("*") if path.is_file()}
    assert "SKILL.md" in texts and "polling.md" in texts
    assert [name for name, text in texts.items() if "video" in text or "mp4" in text] == []
