"""The host serves any skill: no word of a product or of one of its modes in qwencloud_skills/.

Three kinds of lines may still say such a word, each for a reason written here:
file-format knowledge (a media file's container is "MP4" and its MIME type "video/mp4", whatever
skill sends it), the ledger's first schema and the migration that moves its single-result column
(shipped data must stay readable), and the default result finder, which knows the documented
answer keys (``output.video_url`` among them) so that a skill needs no finder of its own.
"""

from __future__ import annotations

import re
from pathlib import Path

import qwencloud_skills

HOST = Path(qwencloud_skills.__file__).parent
PRODUCT_WORDS = re.compile(r"video|t2v|i2v|kf2v|r2v|vace|videoedit|\bwan\d|wanx|mp4", re.IGNORECASE)
FORMAT_MODULES = {"mediatype.py", "mediaprobe.py", "pixelsize.py", "mediacheck.py"}
ALLOWED_LINES = {
    "ledger.py": ("video_url TEXT,", "without video_url/local_path/local_stat", "0, video_url, local_path",
                  "WHERE video_url IS NOT NULL"),
    "results.py": ('SINGLE_URL_KEYS = ("video_url"', 'ITEM_URL_KEYS = ("url", "video_url"'),
}


def offending_lines():
    for path in sorted(HOST.rglob("*.py")):
        relative = path.relative_to(HOST).as_posix()
        # mediaops/ runs ffmpeg on media files: naming containers and stream kinds is its job.
        if relative in FORMAT_MODULES or relative.startswith("mediaops/"):
            continue
        allowed = ALLOWED_LINES.get(relative, ())
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if PRODUCT_WORDS.search(line) and not any(piece in line for piece in allowed):
                yield f"{relative}:{number}: {line.strip()}"


def test_no_product_word_in_the_host() -> None:
    assert list(offending_lines()) == []


def test_the_check_would_catch_one() -> None:
    assert PRODUCT_WORDS.search('say(f"Video saved: {path}")') and PRODUCT_WORDS.search("mode == 'i2v'")
    assert not PRODUCT_WORDS.search("the image is saved")
