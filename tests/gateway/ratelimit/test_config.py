"""`[rate_limits]` in the config, the environment and `serve`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.config import ConfigFileError, load_config
from gateway.config_features import build_rate_limiter
from gateway.ratelimit import MemoryLimiter, RateLimiter, RedisLimiter
from tests.gateway.http.asgi_client import request
from tests.gateway.limits.federation import supergraph_sdl

IN_PROCESS = "tests.gateway.limits.federation:in_process_apps"


def test_the_defaults_are_off() -> None:
    settings = load_config(None, env={}).rate_limits
    assert not settings.enabled and build_rate_limiter(settings) is None
    assert (settings.per_member, settings.per_brand, settings.per_ip) == (600, 20_000, 1200)
    assert settings.window_seconds == 60 and settings.redis_url is None
    assert not settings.trust_forwarded_for


async def test_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "gw.toml"
    path.write_text(
        '[rate_limits]\nenabled = true\nper_ip = 10\nredis_url = "redis://127.0.0.1:6379/0"\n'
    )
    env = {"BRAND_MATRIX_RATE_LIMITS_PER_IP": "5", "BRAND_MATRIX_RATE_LIMITS_PER_BRAND": "0"}
    config = load_config(path, env=env)
    assert config.origins["rate_limits.per_ip"] == "environment BRAND_MATRIX_RATE_LIMITS_PER_IP"
    limiter = build_rate_limiter(config.rate_limits)
    assert isinstance(limiter, RateLimiter) and isinstance(limiter.counter, RedisLimiter)
    assert limiter.limits == {"member": 600, "brand": 0, "ip": 5}
    await limiter.aclose()


def test_memory_when_no_redis() -> None:
    config = load_config(None, env={"BRAND_MATRIX_RATE_LIMITS_ENABLED": "true"})
    limiter = build_rate_limiter(config.rate_limits)
    assert isinstance(limiter, RateLimiter) and isinstance(limiter.counter, MemoryLimiter)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BRAND_MATRIX_RATE_LIMITS_PER_IP": "lots"}, "rate_limits.per_ip must be an integer"),
        ({"BRAND_MATRIX_RATE_LIMITS_PER_IP": "-1"}, "rate_limits.per_ip must be 0 or more"),
        ({"BRAND_MATRIX_RATE_LIMITS_WINDOW_SECONDS": "0"}, "rate_limits.window_seconds must be"),
        ({"BRAND_MATRIX_RATE_LIMITS_REDIS_URL": "http://x"}, "rate_limits.redis_url must be a"),
        ({"BRAND_MATRIX_RATE_LIMITS_PER_MINUTE": "3"}, "unknown key rate_limits.per_minute"),
    ],
)
def test_bad_values(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigFileError) as raised:
        load_config(None, env=env)
    [problem] = raised.value.problems
    assert "\n" not in problem
    assert problem.startswith(f"environment {next(iter(env))}: ")
    assert expected in problem


async def test_serve_wires_the_rate_limits(tmp_path: Path) -> None:
    from gateway.serve import build_app

    (tmp_path / "supergraph.graphql").write_text(supergraph_sdl())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\n'
        '[supergraph]\nsource = "supergraph.graphql"\n'
        "[telemetry]\njson_logs = false\naccess_log = false\nmetrics = false\n"
        "[auth]\nenabled = false\n"
        "[rate_limits]\nenabled = true\n",
        encoding="utf-8",
    )
    app = await asyncio.to_thread(
        build_app, load_config(path, env={"BRAND_MATRIX_RATE_LIMITS_PER_IP": "2"})
    )
    statuses = []
    for _ in range(3):
        reply = await request(app, "POST", json={"query": "{ hello }"})
        statuses.append(reply.status)
    assert statuses == [200, 200, 429]
    assert reply.json()["errors"][0]["extensions"]["code"] == "RATE_LIMITED"
    assert "retry-after" in reply.headers
