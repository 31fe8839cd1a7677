"""The cheap sys.path scan for plugin distributions agrees with importlib.metadata's view."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from qwencloud_skills import plugins
from qwencloud_skills.updates import installed


def as_set(found):
    return {(name.lower(), version) for name, version in found}


def host_view():
    """What the plugin host would load (importlib.metadata), as distributions."""
    import os

    allowed = plugins._allowed(os.environ.get(plugins.RESTRICT_ENV))
    found = plugins._entry_points()
    return {(dist, version) for ep, dist, version in found if plugins._selected(allowed, ep.name, dist)}


def test_the_scan_finds_what_the_plugin_host_finds(install_plugin, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin("acme_one", "X = 1\n", dist="acme-video", version="0.3.0")
    install_plugin("acme_two", "Y = 2\n", dist="acme-video", version="0.3.0")
    install_plugin("other_mod", "Z = 3\n", dist="Other.Plugin", version="2.0")
    found = installed.plugin_distributions()
    assert ("acme-video", "0.3.0") in found and ("Other.Plugin", "2.0") in found
    assert as_set(found) == as_set(host_view())
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "acme_two")  # restricting by entry-point name ...
    assert as_set(installed.plugin_distributions()) == as_set(host_view()) == {
        ("acme-video", "0.3.0")}
    monkeypatch.setenv("QWEN_SKILLS_PLUGINS", "other.plugin")  # ... or by distribution name
    assert as_set(installed.plugin_distributions()) == {("other.plugin", "2.0")}


def test_distributions_without_our_entry_points_are_ignored(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    site = tmp_path / "site"
    other = site / "requests-2.0.dist-info"
    other.mkdir(parents=True)
    (other / "METADATA").write_text("Name: requests\nVersion: 2.0\n", encoding="utf-8")
    (other / "entry_points.txt").write_text("[console_scripts]\nqwencloud_skills = x:y\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(site))
    assert "requests" not in {name for name, _ in installed.plugin_distributions()}


def test_the_first_copy_on_sys_path_wins_and_egg_info_counts(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    for site, version in ((first, "1.1"), (second, "1.0")):
        info = site / f"acme_video-{version}.dist-info"
        info.mkdir(parents=True)
        (info / "METADATA").write_text(f"Metadata-Version: 2.1\nName: acme-video\nVersion: {version}\n\n"
                                       "Version: 9.9 (the description, not a header)\n", encoding="utf-8")
        (info / "entry_points.txt").write_text("[qwencloud_skills]\nacme = acme\n", encoding="utf-8")
    legacy = second / "legacy_plugin.egg-info"
    legacy.mkdir()
    (legacy / "PKG-INFO").write_text("Metadata-Version: 1.0\nName: legacy-plugin\nVersion: 0.1\n", encoding="utf-8")
    (legacy / "entry_points.txt").write_text("[other]\na = b\n\n[qwencloud_skills]\nlegacy = legacy\n",
                                             encoding="utf-8")
    monkeypatch.setattr(sys, "path", [str(first), str(second), str(tmp_path / "missing"), *sys.path])
    found = installed.plugin_distributions()
    assert ("acme-video", "1.1") in found and ("acme-video", "1.0") not in found
    assert ("legacy-plugin", "0.1") in found


def test_entry_point_and_header_parsing() -> None:
    text = ("[console_scripts]\nx = y\n\n[qwencloud_skills]\n# a comment\nvideo = pkg.mod\n t2v=pkg.t2v \n"
            "[other]\nz = 1\n")
    assert installed.entry_names(text) == ["video", "t2v"]
    assert installed.headers("Name: acme\nVersion: 1.0\nSummary: x\n\nName: not-me\n") == ("acme", "1.0")
    assert installed.headers("Summary: no name\n") == ("", "")
