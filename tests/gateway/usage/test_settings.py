"""`[usage]` in the gateway config: defaults, file, environment, one-line problems."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config import ConfigFileError, load_config
from gateway.config_print import describe
from gateway.usage.settings import UsageSettings, build_usage
from gateway.usage.sql_sink import SqlSink


def test_defaults_count_in_memory() -> None:
    usage = load_config(env={}).usage
    assert usage == UsageSettings()
    assert usage.enabled and usage.sink is None and not usage.endpoint
    assert (usage.flush_seconds, usage.retention_days) == (10.0, 30)
    flusher = build_usage(usage)
    assert flusher is not None and flusher.sink is None and flusher.interval == 10.0


def test_file_then_environment(tmp_path: Path) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text('[usage]\nsink = "sqlite:///usage.db"\nflush_seconds = 2.5\n')
    env = {"BRAND_MATRIX_USAGE_RETENTION_DAYS": "90", "BRAND_MATRIX_USAGE_ENDPOINT": "true"}
    config = load_config(path, env=env)
    assert config.usage == UsageSettings(True, "sqlite:///usage.db", 2.5, 90, True)
    assert config.origins["usage.retention_days"] == "environment BRAND_MATRIX_USAGE_RETENTION_DAYS"
    flusher = build_usage(config.usage)
    assert flusher is not None and isinstance(flusher.sink, SqlSink)
    assert flusher.recorder.retention_days == 90
    assert "[usage]" in describe(config) and 'sink = "sqlite:///usage.db"' in describe(config)


def test_disabled_builds_nothing() -> None:
    assert build_usage(load_config(env={"BRAND_MATRIX_USAGE_ENABLED": "false"}).usage) is None


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        ('sink = "mysql://db/x"', "usage.sink must be a redis://, rediss://, postgresql://"),
        ("flush_seconds = 0", "usage.flush_seconds must be greater than 0"),
        ("retention_days = 0", "usage.retention_days"),
        ('enabled = "yes"', "usage.enabled"),
        ("sample = 1", "unknown key usage.sample"),
    ],
)
def test_problems_are_one_line_naming_key_and_origin(
    tmp_path: Path, toml: str, expected: str
) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text(f"[usage]\n{toml}\n")
    with pytest.raises(ConfigFileError) as raised:
        load_config(path, env={})
    (problem,) = raised.value.problems
    assert problem.startswith(str(path)) and expected in problem and "\n" not in problem


def test_an_environment_problem_names_the_variable() -> None:
    with pytest.raises(ConfigFileError) as raised:
        load_config(env={"BRAND_MATRIX_USAGE_FLUSH_SECONDS": "soon"})
    (problem,) = raised.value.problems
    assert problem.startswith("environment BRAND_MATRIX_USAGE_FLUSH_SECONDS: usage.flush_seconds")
