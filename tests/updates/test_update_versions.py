"""Which release is offered to whom: packaging's ordering plus our pre-release and yank rules."""

from __future__ import annotations

from typing import Dict, List, Optional

import pytest

from qwencloud_skills.updates.versions import choose, index_url, is_newer, newest, offer


def payload(*versions: str, yanked: tuple = (), info: Optional[str] = None) -> Dict[str, object]:
    releases: Dict[str, List[dict]] = {v: [{"filename": f"x-{v}.tar.gz", "yanked": v in yanked}] for v in versions}
    return {"info": {"version": info or (versions[-1] if versions else "")}, "releases": releases}


@pytest.mark.parametrize(
    "installed, published, expected",
    [
        ("1.0.0", ["1.0.0", "1.0.1"], "1.0.1"),
        ("1.0.1", ["1.0.0", "1.0.1"], None),
        ("2.0.0", ["1.0.0", "1.5.0"], None),  # running something newer than the index
        ("1.0.0", ["1.0.0", "1.0.10", "1.0.9"], "1.0.10"),  # numeric, not string, order
        ("0.9", ["0.9", "1.0.0rc1"], None),  # no pre-release for final-release users
        ("0.9", ["0.9", "2.0.0.dev1"], None),  # nor a dev release
        ("0.9", ["0.9", "1.0.0a1", "0.9.1"], "0.9.1"),  # they get the newest final instead
        ("1.0.0rc1", ["1.0.0rc1", "1.0.0rc2"], "1.0.0rc2"),  # pre-release users see pre-releases
        ("1.0.0rc1", ["1.0.0rc1", "1.0.0rc2", "1.0.0"], "1.0.0"),
        ("1.0.0", ["1.0.0", "1.0.0.post1"], "1.0.0.post1"),  # post-releases are newer
        ("1.0.0.post1", ["1.0.0", "1.0.0.post1"], None),
        ("1.0.0+local.7", ["1.0.0"], None),  # a local build of 1.0.0 is not behind 1.0.0
        ("1.0.0+local.7", ["1.0.0", "1.0.1"], "1.0.1"),
        ("1.0.0", ["1.0.0", "1.0.1+cpu"], None),  # local versions on an index are ignored
        ("1.0.0", ["1.0.0", "not-a-version", "1.0.2", "2.0.0-what?"], "1.0.2"),  # invalid ones ignored
        ("garbage", ["1.0.0", "2.0.0"], None),  # an invalid installed version offers nothing
        ("1.0", ["1.0.0"], None),  # 1.0 == 1.0.0
    ],
)
def test_offer(installed: str, published: List[str], expected: Optional[str]) -> None:
    assert offer(installed, payload(*published)) == expected


def test_yanked_releases_are_not_offered() -> None:
    assert offer("1.0.0", payload("1.0.0", "1.1.0", yanked=("1.1.0",), info="1.0.0")) is None
    info_yanked = {"info": {"version": "1.1.0", "yanked": True}, "releases": {}}
    assert offer("1.0.0", info_yanked) is None


def test_a_release_with_some_files_yanked_still_counts() -> None:
    data = {"info": {"version": "1.1.0"}, "releases": {"1.1.0": [{"yanked": True}, {"yanked": False}]}}
    assert offer("1.0.0", data) == "1.1.0"


def test_info_version_alone_is_enough() -> None:
    assert offer("1.0.0", {"info": {"version": "1.3.0"}}) == "1.3.0"


@pytest.mark.parametrize("junk", [None, [], "text", {"info": "x", "releases": ["1.0"]}, {"releases": {"1": 5}}])
def test_malformed_payloads_offer_nothing(junk: object) -> None:
    assert offer("0.1", junk) is None


def test_newest_with_and_without_prereleases() -> None:
    data = payload("1.0.0", "1.1.0b2", "1.0.1.dev3")
    assert str(newest(data)) == "1.0.0"
    assert str(newest(data, include_prereleases=True)) == "1.1.0b2"


def test_choose_uses_the_prerelease_column_only_for_prerelease_users() -> None:
    assert choose("1.0.0", "1.0.0", "1.1.0rc1") is None
    assert choose("1.1.0a1", "1.0.0", "1.1.0rc1") == "1.1.0rc1"
    assert choose("1.0.0", None, None) is None
    assert not is_newer("1.0.0", "bogus")


def test_index_url_normalises_the_name_and_honours_the_base() -> None:
    assert index_url(None, "Acme_Video.Plugin") == "https://pypi.org/pypi/acme-video-plugin/json"
    assert index_url("http://127.0.0.1:9/", "qwencloud-skills") == "http://127.0.0.1:9/pypi/qwencloud-skills/json"
