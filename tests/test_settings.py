from __future__ import annotations

import re
from pathlib import Path

import pytest

from tidings.errors import ConfigError
from tidings.settings import SETTINGS, Settings, load_settings, settings_markdown

README = Path(__file__).resolve().parents[1] / "README.md"


def test_layers_apply_in_order(tmp_path: Path) -> None:
    config = tmp_path / "tidings.toml"
    config.write_text("host_delay = 3.0\nmax_retries = 7\nconcurrency = 4\n")
    env = {"TIDINGS_MAX_RETRIES": "5", "TIDINGS_CONCURRENCY": "6", "TIDINGS_DATA": str(tmp_path)}
    settings = load_settings({"concurrency": 8, "max_bytes": None}, env=env)
    assert settings.host_delay == 3.0  # the config file, found in the data directory
    assert settings.max_retries == 5  # the environment beats the file
    assert settings.concurrency == 8  # a flag beats the environment
    assert settings.max_bytes == Settings().max_bytes  # an unset flag changes nothing


def test_explicit_config_file_and_list_values(tmp_path: Path) -> None:
    config = tmp_path / "other.toml"
    config.write_text('allow_hosts = ["127.0.0.1"]\n')
    settings = load_settings(config=config, env={"TIDINGS_USER_AGENT": "Probe/1"})
    assert settings.allow_hosts == ("127.0.0.1",)
    assert settings.user_agent == "Probe/1"
    from_env = load_settings(env={"TIDINGS_ALLOW_HOSTS": "a.test, b.test"})
    assert from_env.allow_hosts == ("a.test", "b.test")


def test_database_url_defaults_to_sqlite_in_data_dir(tmp_path: Path) -> None:
    assert load_settings({"data": tmp_path}, env={}).database_url == (
        f"sqlite:///{tmp_path / 'tidings.db'}"
    )
    assert load_settings({"db": "postgresql+psycopg://h/d"}, env={}).database_url.startswith(
        "postgresql"
    )


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("max_bytes = -1\n", "max_bytes"),
        ("nonsense = 1\n", "nonsense"),
        ("x = [", "not valid TOML"),
    ],
)
def test_bad_settings_say_what_is_wrong(tmp_path: Path, text: str, message: str) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(text)
    with pytest.raises(ConfigError, match=re.escape(message)):
        load_settings(config=config, env={})


def test_missing_config_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="cannot read config file"):
        load_settings(config=tmp_path / "absent.toml", env={})


def test_every_setting_is_documented_in_the_readme() -> None:
    readme = README.read_text()
    section = readme.split("<!-- settings -->\n", 1)[1].split("\n<!-- /settings -->", 1)[0]
    assert section == settings_markdown()
    for setting in SETTINGS:
        assert setting.help, f"setting {setting.name} has no help text"
        assert f"`{setting.name}`" in section


def test_the_pipeline_windows_are_the_ones_the_clusterer_was_measured_with() -> None:
    from tidings.clustering import EVENT_WINDOW_DAYS, STORYLINE_WINDOW_DAYS

    settings = Settings()
    assert settings.event_window_days == EVENT_WINDOW_DAYS
    assert settings.storyline_window_days == STORYLINE_WINDOW_DAYS > EVENT_WINDOW_DAYS
