"""The manifests speak of each skill's own results (its Output records); skill docs extend or replace host pages."""

from __future__ import annotations

import dataclasses
import re

from qwencloud_skills.manifests.build import build_all, build_skill, first_party_registry
from qwencloud_skills.manifests.docs import REPLACE_MARKER
from qwencloud_skills.manifests.validate import validate_tree
from qwencloud_skills.plugins import get_registry
from qwencloud_skills.registry import Output

from .plugins import IMAGE_SKILL, UPSCALE_MODE
from .util import ROOT, SKILL, skills_cli

IMAGE = "acme-image-studio"
PRODUCT_WORDS = re.compile(r"video|mp4|t2v|i2v|kf2v|r2v|vace", re.IGNORECASE)
POLL_WORDS = ("polling.md", "--poll-once", "--submit-only", "--task-id", "--poll-interval", "--timeout")


def _files(name: str) -> dict:
    return next(item for item in build_all(get_registry()) if item.skill.name == name).files


def _host_written(path: str, text: str) -> str:
    """The text minus cli.md's option rows, which are the CLI's own --help texts (cli/generated.py)."""
    if path != "references/cli.md":
        return text
    return "\n".join(line for line in text.splitlines() if not line.startswith("| `-"))


def test_host_manifest_sources_name_no_product():
    for source in sorted((ROOT / "qwencloud_skills" / "manifests").glob("*.py")):
        found = PRODUCT_WORDS.findall(source.read_text(encoding="utf-8"))
        assert not found, f"{source.name} names {sorted(set(found))}: take the words from the skill's Output"


def test_a_synchronous_image_skill_speaks_of_its_images_and_never_of_polling(install_plugin, tmp_path):
    install_plugin("acme_image", IMAGE_SKILL, dist="acme-image")
    files = _files(IMAGE)
    assert "references/polling.md" not in files
    for path, text in files.items():
        assert not PRODUCT_WORDS.search(_host_written(path, text)), path
        for word in POLL_WORDS:
            assert word not in text, (path, word)
    skill_md = files["SKILL.md"]
    assert "## Results and exit codes" in skill_md and "carries the images, and saves them" in skill_md
    assert "(`picture.png`, `picture_1.png`, ...)" in skill_md
    assert "the result JSON (`results` URLs, `files` paths)" in skill_md
    assert "hand other skills the URLs in `results`, show the user the paths in `files`" in skill_md
    assert "Each painted image is billed once. Never state" in skill_md
    assert "| 2 |" not in skill_md, "exit 2 (still running) cannot happen without polling"
    assert "URLs in `results`; show the user the paths in `files`" in files["references/local-files.md"]
    assert "Used as `python3 <skill-dir>/scripts/acme_image.py --request '{...}' [OPTIONS]`." in files[
        "references/cli.md"]

    out = tmp_path / "skills"
    assert skills_cli("build", "--all-plugins", "--out", str(out)).exit_code == 0
    assert all(not problems for problems in validate_tree(out).values())


def test_one_asynchronous_mode_brings_polling_to_the_skill(install_plugin):
    install_plugin("acme_image", IMAGE_SKILL, dist="acme-image")
    install_plugin("acme_upscale", UPSCALE_MODE, dist="acme-upscale")
    files = _files(IMAGE)
    skill_md = files["SKILL.md"]
    for word in ("[polling.md](references/polling.md)", "--poll-once", "--submit-only", "--task-id ID", "| 2 |"):
        assert word in skill_md, word
    assert "## Waiting, results and exit codes" in skill_md and "downloads the image." in skill_md
    assert "Each painted image is billed once. Upscaling is billed per output megapixel." in skill_md
    polling = files["references/polling.md"]
    assert "the image is downloaded when the task succeeds" in polling and "--poll-interval N" in polling
    assert "| `--poll-once` |" in files["references/cli.md"]
    for path, text in files.items():
        assert not PRODUCT_WORDS.search(_host_written(path, text)), path


def test_skill_docs_extend_or_replace_host_pages(install_plugin):
    install_plugin("acme_image", IMAGE_SKILL, dist="acme-image")
    files = _files(IMAGE)
    models = files["references/models.md"]
    assert models.startswith("# Models of Acme image studio") and "| `acme-paint-1` (default) |" in models
    assert models.endswith("## Picking a painter\n\nAcme-paint-1 suits posters; ask the user about the style first.\n")
    assert files["references/examples.md"] == (
        "# Acme painting recipes\n\nHand-written recipes instead of the host's list.\n")
    assert "| [examples.md](references/examples.md) | Hand-written recipes instead of the host's list. |" in files[
        "SKILL.md"]
    assert files["references/styles.md"].startswith("# Styles the painter knows")
    assert "[styles.md](references/styles.md)" in files["SKILL.md"]
    assert not any(REPLACE_MARKER in text for text in files.values())


def test_the_video_skill_takes_its_result_words_from_its_output():
    registry = first_party_registry()
    skill = registry.skill(SKILL)
    skill_md = build_skill(registry, skill).files["SKILL.md"]
    output = skill.output
    assert output.billing and output.billing + " Never state" in skill_md
    assert f"(`{output.file_stem}{output.extension}`, `{output.file_stem}_1{output.extension}`, ...)" in skill_md
    assert f"also `{output.url_key}`, `{output.path_key}`" in skill_md
    assert f"hand other skills the `{output.url_key}`, show the user the `{output.path_key}`" in skill_md

    registry.skills[SKILL] = dataclasses.replace(skill, output=Output(noun="clip", extension=".webm"))
    files = build_skill(registry, registry.skill(SKILL)).files
    assert "(`clip.webm`, `clip_1.webm`, ...)" in files["SKILL.md"] and "downloads the clip." in files["SKILL.md"]
    assert "## Cost\n\nNever state" in files["SKILL.md"], "no billing sentence when the Output gives none"
    assert output.billing not in files["SKILL.md"]
    assert "hand other skills the URLs in `results`, show the user the paths in `files`" in files["SKILL.md"]
    assert f"also `{output.url_key}`" not in files["SKILL.md"]
    assert f"`{output.url_key}`; show" not in files["references/local-files.md"]
    assert "the clip and `response.json` are saved" in files["references/polling.md"]


def test_a_synchronous_skill_may_still_ship_a_polling_page_of_its_own(install_plugin):
    install_plugin("acme_image", IMAGE_SKILL, dist="acme-image")
    registry = get_registry()
    skill = registry.skill(IMAGE)
    docs = {**skill.docs, "polling": "# Waiting for a painter\n\nPainters answer at once; nothing to poll."}
    files = build_skill(registry, dataclasses.replace(skill, docs=docs)).files
    assert files["references/polling.md"] == "# Waiting for a painter\n\nPainters answer at once; nothing to poll.\n"
    assert "| [polling.md](references/polling.md) | Painters answer at once; nothing to poll. |" in files["SKILL.md"]
    assert "--poll-once" not in files["SKILL.md"]
