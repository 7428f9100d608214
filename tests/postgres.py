"""A fresh PostgreSQL schema per test, for every test module that needs one.

PostgreSQL is `BRAND_MATRIX_TEST_POSTGRES_URL` (default below). When it cannot be reached the
test FAILS, by design: CI runs these tests and a silent skip would hide a broken backend.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import Engine, make_url

DEFAULT_POSTGRES_URL = "postgresql://postgres@127.0.0.1:5432/test"


def postgres_url() -> str:
    return os.environ.get("BRAND_MATRIX_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL


@contextmanager
def fresh_schema(url: str, prefix: str = "bm_test") -> Iterator[str]:
    """`url` (any PostgreSQL driver) pointed at a new schema, dropped afterwards."""
    engine = _admin_engine(url)
    schema = f"{prefix}_{uuid.uuid4().hex[:12]}"
    with engine.begin() as connection:
        connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        scoped = make_url(url).update_query_dict({"options": f"-csearch_path={schema}"})
        yield scoped.render_as_string(hide_password=False)
    finally:
        with engine.begin() as connection:
            connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


def _admin_engine(url: str) -> Engine:
    admin = make_url(url).set(drivername="postgresql+psycopg")  # sync psycopg 3
    engine = create_engine(admin, poolclass=pool.NullPool, connect_args={"connect_timeout": 5})
    problem = None
    try:
        with engine.connect() as connection:
            connection.execute(text("select 1"))
    except Exception as error:
        engine.dispose()
        lines = str(error).strip().splitlines()
        problem = f"{type(error).__name__}: {lines[0] if lines else error}"
    if problem:
        pytest.fail(
            f"PostgreSQL is unreachable at {make_url(url)!r} ({problem}). Start PostgreSQL "
            "or point BRAND_MATRIX_TEST_POSTGRES_URL at one; these tests do not skip.",
            pytrace=False,
        )
    return engine
