"""Own-bucket settings: read from the environment and .env, checked before any network call."""

from __future__ import annotations

import pickle
import sys
from pathlib import Path
from typing import Dict

import pytest

from qwencloud_skills.environment import Environment
from qwencloud_skills.errors import EXIT_CONFIG, ConfigError
from qwencloud_skills.ossbucket import DEFAULT_PREFIX, DEFAULT_URL_EXPIRES, OwnBucket, own_bucket_settings

from .conftest import BUCKET, CANARY_ID, CANARY_SECRET

BASE = {
    "QWEN_TMP_OSS_BUCKET": BUCKET,
    "QWEN_TMP_OSS_REGION": "cn-hangzhou",
    "QWEN_TMP_OSS_AK_ID": CANARY_ID,
    "QWEN_TMP_OSS_AK_SECRET": CANARY_SECRET,
}


def _settings(tmp_path: Path, **changes: str) -> OwnBucket:
    environ: Dict[str, str] = {**BASE, **changes}
    environ = {k: v for k, v in environ.items() if v != ""}
    found = own_bucket_settings(Environment(environ, cwd=tmp_path))
    assert found is not None
    return found


def _config_error(tmp_path: Path, **changes: str) -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        _settings(tmp_path, **changes)
    assert caught.value.exit_code == EXIT_CONFIG
    assert CANARY_ID not in str(caught.value) and CANARY_SECRET not in str(caught.value)
    return caught.value


def test_no_bucket_means_no_own_bucket(tmp_path: Path) -> None:
    assert own_bucket_settings(Environment({"QWEN_TMP_OSS_REGION": "cn-hangzhou"}, cwd=tmp_path)) is None


def test_defaults(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    assert (settings.bucket, settings.region, settings.endpoint) == (BUCKET, "cn-hangzhou", None)
    assert settings.prefix == DEFAULT_PREFIX == "qwencloud-skills/"
    assert settings.url_expires == DEFAULT_URL_EXPIRES == 86400
    assert settings.access_key_id.reveal() == CANARY_ID
    assert settings.access_key_secret.reveal() == CANARY_SECRET
    assert settings.access_key_id.source == "QWEN_TMP_OSS_AK_ID from environment"


def test_optional_settings_are_normalised(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path,
        QWEN_TMP_OSS_REGION="oss-ap-southeast-1",
        QWEN_TMP_OSS_ENDPOINT="oss-ap-southeast-1-internal.aliyuncs.com/",
        QWEN_TMP_OSS_PREFIX="/media/inputs",
        QWEN_TMP_OSS_URL_EXPIRES="3600",
    )
    assert settings.region == "ap-southeast-1"
    assert settings.endpoint == "https://oss-ap-southeast-1-internal.aliyuncs.com"
    assert settings.prefix == "media/inputs/"
    assert settings.url_expires == 3600


def test_missing_region_names_the_variable(tmp_path: Path) -> None:
    error = _config_error(tmp_path, QWEN_TMP_OSS_REGION="")
    assert "QWEN_TMP_OSS_REGION" in str(error) and "cn-hangzhou" in str(error)


def test_missing_credentials_name_both_pairs(tmp_path: Path) -> None:
    error = _config_error(tmp_path, QWEN_TMP_OSS_AK_ID="", QWEN_TMP_OSS_AK_SECRET="")
    for name in ("QWEN_TMP_OSS_AK_ID", "QWEN_TMP_OSS_AK_SECRET", "OSS_ACCESS_KEY_ID", "OSS_ACCESS_KEY_SECRET"):
        assert name in str(error)


@pytest.mark.parametrize(
    "changes, missing",
    [
        ({"QWEN_TMP_OSS_AK_SECRET": ""}, "QWEN_TMP_OSS_AK_SECRET"),
        ({"QWEN_TMP_OSS_AK_ID": ""}, "QWEN_TMP_OSS_AK_ID"),
        (
            {"QWEN_TMP_OSS_AK_ID": "", "QWEN_TMP_OSS_AK_SECRET": "", "OSS_ACCESS_KEY_SECRET": CANARY_SECRET},
            "OSS_ACCESS_KEY_ID",
        ),
    ],
)
def test_half_a_key_pair_names_the_other_half(tmp_path: Path, changes: Dict[str, str], missing: str) -> None:
    error = _config_error(tmp_path, **changes)
    assert f"but {missing} is not" in str(error)


def test_standard_oss_variables_are_the_fallback(tmp_path: Path) -> None:
    settings = _settings(
        tmp_path, QWEN_TMP_OSS_AK_ID="", QWEN_TMP_OSS_AK_SECRET="",
        OSS_ACCESS_KEY_ID="LTAIstandard", OSS_ACCESS_KEY_SECRET="standard-secret",
    )
    assert settings.access_key_id.reveal() == "LTAIstandard"
    assert settings.access_key_secret.source == "OSS_ACCESS_KEY_SECRET from environment"


def test_own_pair_in_dotenv_beats_standard_pair_in_shell(tmp_path: Path) -> None:
    (tmp_path / ".env").write_text(
        f"QWEN_TMP_OSS_BUCKET={BUCKET}\nQWEN_TMP_OSS_REGION=cn-beijing\n"
        f"QWEN_TMP_OSS_AK_ID={CANARY_ID}\nQWEN_TMP_OSS_AK_SECRET='{CANARY_SECRET}'\n"
    )
    env = Environment({"OSS_ACCESS_KEY_ID": "LTAIshell", "OSS_ACCESS_KEY_SECRET": "shell-secret"}, cwd=tmp_path)
    settings = own_bucket_settings(env)
    assert settings is not None and settings.region == "cn-beijing"
    assert settings.access_key_id.reveal() == CANARY_ID
    assert settings.access_key_secret.reveal() == CANARY_SECRET
    assert settings.access_key_id.source == f"QWEN_TMP_OSS_AK_ID from {tmp_path / '.env'}"


@pytest.mark.parametrize("value", ["abc", "1.5", "0", "59", "604801", "-5"])
def test_bad_url_expires_names_value_and_range(tmp_path: Path, value: str) -> None:
    error = _config_error(tmp_path, QWEN_TMP_OSS_URL_EXPIRES=value)
    text = str(error)
    assert f"QWEN_TMP_OSS_URL_EXPIRES={value!r}" in text
    assert "60" in text and "604800" in text


@pytest.mark.parametrize(
    "changes, variable",
    [
        ({"QWEN_TMP_OSS_BUCKET": "oss://My_Bucket"}, "QWEN_TMP_OSS_BUCKET"),
        ({"QWEN_TMP_OSS_REGION": "cn hangzhou"}, "QWEN_TMP_OSS_REGION"),
        ({"QWEN_TMP_OSS_ENDPOINT": "ftp://oss.example.com"}, "QWEN_TMP_OSS_ENDPOINT"),
        ({"QWEN_TMP_OSS_ENDPOINT": "https://oss.example.com/some/path"}, "QWEN_TMP_OSS_ENDPOINT"),
        ({"QWEN_TMP_OSS_PREFIX": "\\windows\\style"}, "QWEN_TMP_OSS_PREFIX"),
    ],
)
def test_malformed_settings_name_the_variable(tmp_path: Path, changes: Dict[str, str], variable: str) -> None:
    assert variable in str(_config_error(tmp_path, **changes))


def test_secrets_never_show(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    for text in (repr(settings), str(settings), f"{settings}", str(settings.status())):
        assert CANARY_ID not in text and CANARY_SECRET not in text
    with pytest.raises(TypeError):
        pickle.dumps(settings)
    assert settings.scrub(f"id={CANARY_ID} secret={CANARY_SECRET} q=canarySecret%2F%2B9x2Q7wZk4") == (
        "id=******** secret=******** q=********"
    )


def test_plain_string_credentials_are_wrapped() -> None:
    settings = OwnBucket(bucket=BUCKET, region="cn-hangzhou", access_key_id=CANARY_ID, access_key_secret=CANARY_SECRET)
    assert CANARY_ID not in repr(settings) and CANARY_SECRET not in repr(settings)
    assert settings.access_key_secret.reveal() == CANARY_SECRET


def test_object_key_depends_on_content_only(tmp_path: Path) -> None:
    settings = _settings(tmp_path)
    digest = "AB" * 32
    assert settings.object_key(tmp_path / "a b.mp4", digest) == f"qwencloud-skills/{'ab' * 8}/a b.mp4"
    with pytest.raises(ValueError):
        settings.object_key(tmp_path / "x.png", "not-a-hash")


def test_missing_sdk_gives_the_install_command(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "alibabacloud_oss_v2", None)
    error = _config_error(tmp_path)
    assert "pip install 'qwencloud-skills[oss]'" in str(error)
    assert "pip install alibabacloud-oss-v2" in str(error)


def test_missing_sdk_at_upload_time(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    settings = _settings(tmp_path)
    monkeypatch.setitem(sys.modules, "alibabacloud_oss_v2", None)
    path = tmp_path / "a.png"
    path.write_bytes(b"x")
    with pytest.raises(ConfigError, match=r"pip install 'qwencloud-skills\[oss\]'"):
        settings.upload(path, "0" * 64)
