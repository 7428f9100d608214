"""Sinks for the usage tests: SQLite (a fresh file) and PostgreSQL (a fresh schema, dropped
afterwards; FAILS when PostgreSQL is unreachable: tests/postgres.py),
and Redis (the machine's, or one started here) under a key prefix of its own."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy.engine import make_url

from tests.gateway.persisted.test_redis_store import redis_url  # noqa: F401
from tests.postgres import fresh_schema, postgres_url


@contextmanager
def _redis_prefix(base: str) -> Iterator[str]:
    prefix = f"brand-matrix-test:usage:{uuid.uuid4().hex}:"
    yield f"{base}?prefix={prefix}"
    client = Redis.from_url(base)
    keys = list(client.scan_iter(match=prefix + "*"))
    if keys:
        client.delete(*keys)
    client.close()


def _sink(kind: str, request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if kind == "sqlite":
        yield f"sqlite:///{tmp_path / 'usage.db'}"
    elif kind == "postgresql":
        # the form a user writes in [usage]: postgresql://
        plain = make_url(postgres_url()).set(drivername="postgresql")
        with fresh_schema(plain.render_as_string(hide_password=False), "bm_usage") as url:
            yield url
    else:
        with _redis_prefix(request.getfixturevalue("redis_url")) as url:
            yield url


@pytest.fixture(params=["sqlite", "postgresql", "redis"])
def sink_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _sink(request.param, request, tmp_path)


@pytest.fixture(params=["sqlite", "postgresql"])
def sql_sink_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _sink(request.param, request, tmp_path)


@pytest.fixture
def redis_sink_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    yield from _sink("redis", request, tmp_path)
