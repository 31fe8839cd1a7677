"""Phrases about a skill's results, made from its ``Output`` records, so the templates name no product.

Each function takes the distinct outputs of a skill's modes (``SkillContext.outputs``)
and says one thing: the noun, example file names, result keys, billing.
"""

from __future__ import annotations

from typing import List, Sequence

from ..registry import Output

RESULTS_KEY = "results"  # result JSON: the result URLs, in order
FILES_KEY = "files"  # result JSON: the saved files' paths, in order


def _shared(values: Sequence[str], fallback: str) -> str:
    distinct = list(dict.fromkeys(values))
    return distinct[0] if len(distinct) == 1 and distinct[0] else fallback


def noun(outputs: Sequence[Output]) -> str:
    """The one noun all outputs share, else the neutral "result"."""
    return _shared([item.noun for item in outputs], "result")


def nouns(outputs: Sequence[Output]) -> str:
    return _shared([item.nouns for item in outputs], "results")


def file_names(outputs: Sequence[Output]) -> str:
    """How saved files are numbered: "`a.png`, `a_1.png`, ..." per distinct stem and extension."""
    pairs = dict.fromkeys((item.file_stem, item.extension) for item in outputs)
    return "; ".join(f"`{stem}{ext}`, `{stem}_1{ext}`, ..." for stem, ext in pairs)


def result_keys(outputs: Sequence[Output]) -> str:
    """The keys of the printed result JSON: the general ones, then the skill's own (compatibility) keys."""
    general = f"`{RESULTS_KEY}` URLs, `{FILES_KEY}` paths"
    own = list(dict.fromkeys(key for item in outputs for key in (item.url_key, item.path_key) if key))
    return general + ("; also " + ", ".join(f"`{key}`" for key in own) if own else "")


def link_key(outputs: Sequence[Output]) -> str:
    """What to hand other skills: the skill's own URL key when all modes share one, else the URLs in `results`."""
    own = _shared([item.url_key for item in outputs], "")
    return f"`{own}`" if own else f"URLs in `{RESULTS_KEY}`"


def path_key(outputs: Sequence[Output]) -> str:
    """What to show the user: the skill's own path key when all modes share one, else the paths in `files`."""
    own = _shared([item.path_key for item in outputs], "")
    return f"`{own}`" if own else f"paths in `{FILES_KEY}`"


def billing(outputs: Sequence[Output]) -> str:
    """Every distinct billing sentence the outputs declare ('' when none does)."""
    sentences: List[str] = list(dict.fromkeys(item.billing.strip() for item in outputs if item.billing.strip()))
    return " ".join(sentences)
