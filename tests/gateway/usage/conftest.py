"""Sinks for the usage tests: SQLite (a fresh file) and PostgreSQL (a fresh schema, dropped
afterwards; FAILS when PostgreSQL is unreachable, like tests/subgraphs/common/conftest.py),
and Redis (the machine's, or one started here) under a key prefix of its own."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from redis import Redis
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import Engine, make_url

from tests.gateway.persisted.test_redis_store import redis_url  # noqa: F401

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def _postgres_admin() -> tuple[str, Engine]:
    given = os.environ.get("BRAND_MATRIX_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL
    url = make_url(given).set(drivername="postgresql")  # the form a user writes in [usage]
    engine = create_engine(
        url.set(drivername="postgresql+psycopg"),
        poolclass=pool.NullPool,
        connect_args={"connect_timeout": 5},
    )
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:
        engine.dispose()
        pytest.fail(
            f"PostgreSQL is unreachable at {url!r} ({type(error).__name__}). Start PostgreSQL "
            "or point BRAND_MATRIX_TEST_POSTGRES_URL at one; these tests do not skip.",
            pytrace=False,
        )
    return url.render_as_string(hide_password=False), engine


@contextmanager
def _postgres_schema() -> Iterator[str]:
    base, engine = _postgres_admin()
    schema = f"bm_usage_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


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
        with _postgres_schema() as url:
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
