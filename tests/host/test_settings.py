"""Region table, QWEN_BASE_URL override rules, QWEN_REGION=none, state dir."""

from __future__ import annotations

from pathlib import Path

import pytest

from qwencloud_skills.environment import Environment
from qwencloud_skills.errors import ConfigError
from qwencloud_skills.settings import REGIONS, resolve_base_url, state_dir


def env(tmp_path: Path, **environ: str) -> Environment:
    return Environment(environ=environ, cwd=tmp_path)


def test_default_region_is_singapore(tmp_path: Path) -> None:
    endpoint = resolve_base_url(env(tmp_path))
    assert endpoint.base_url == "https://dashscope-intl.aliyuncs.com/api/v1"
    assert endpoint.region == "ap-southeast-1"


@pytest.mark.parametrize("region", sorted(REGIONS))
def test_each_region_maps_to_its_url(tmp_path: Path, region: str) -> None:
    assert resolve_base_url(env(tmp_path, QWEN_REGION=region)).base_url == REGIONS[region]


def test_unknown_region_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="mars-1.*allowed: ap-southeast-1"):
        resolve_base_url(env(tmp_path, QWEN_REGION="mars-1"))


@pytest.mark.parametrize(
    "override, expected",
    [
        ("http://127.0.0.1:8080", "http://127.0.0.1:8080/api/v1"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080/api/v1"),
        ("https://proxy.example.com/compatible-mode/v1", "https://proxy.example.com/api/v1"),
    ],
)
def test_base_url_override_keeps_scheme_and_host(tmp_path: Path, override: str, expected: str) -> None:
    assert resolve_base_url(env(tmp_path, QWEN_BASE_URL=override)).base_url == expected


def test_region_none_uses_base_url_verbatim(tmp_path: Path) -> None:
    url = "https://gateway.example.com/custom/prefix/v1"
    assert resolve_base_url(env(tmp_path, QWEN_REGION="none", QWEN_BASE_URL=url)).base_url == url


def test_region_none_without_base_url_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="QWEN_BASE_URL is not set"):
        resolve_base_url(env(tmp_path, QWEN_REGION="none"))


def test_bad_base_url_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="not an http"):
        resolve_base_url(env(tmp_path, QWEN_BASE_URL="ftp://x"))


def test_settings_also_come_from_dotenv(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text("QWEN_REGION=cn-beijing\n")
    assert resolve_base_url(env(tmp_path)).base_url == REGIONS["cn-beijing"]


def test_state_dir_override(tmp_path: Path) -> None:
    home = tmp_path / "state"
    assert state_dir(env(tmp_path, QWEN_SKILLS_HOME=str(home))) == home
    assert home.is_dir()


def test_state_dir_default_is_platformdirs(tmp_path: Path) -> None:
    import platformdirs

    expected = Path(platformdirs.user_state_dir("qwencloud-skills", appauthor=False))
    assert state_dir(env(tmp_path), create=False) == expected
