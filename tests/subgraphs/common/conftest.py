"""Backends for the foundation's tests: every test taking `database_url` or `db` runs on SQLite
(a fresh file) and on PostgreSQL (a fresh schema, dropped afterwards).

PostgreSQL is `BRAND_MATRIX_TEST_POSTGRES_URL` (default below). When it cannot be reached the
PostgreSQL cases FAIL, by design: CI runs them and a silent skip would hide a broken backend.
"""

from __future__ import annotations

import os
import uuid

import pytest
from sqlalchemy import create_engine, pool, text
from sqlalchemy.engine import make_url

from subgraphs.common.database import Database, async_url, sync_url

from .models import Part, Widget

DEFAULT_POSTGRES_URL = "postgresql+psycopg://postgres@127.0.0.1:5432/test"
BACKENDS = ["sqlite", "postgresql"]


def postgres_base_url() -> str:
    return async_url(os.environ.get("BRAND_MATRIX_TEST_POSTGRES_URL") or DEFAULT_POSTGRES_URL)


def _admin_engine(url: str):
    engine = create_engine(
        sync_url(url), poolclass=pool.NullPool, connect_args={"connect_timeout": 5}
    )
    problem = None
    try:
        with engine.connect() as conn:
            conn.execute(text("select 1"))
    except Exception as error:
        engine.dispose()
        lines = str(error).strip().splitlines()
        problem = f"{type(error).__name__}: {lines[0] if lines else error}"
    if problem:
        pytest.fail(
            f"PostgreSQL is unreachable at {make_url(url)!r} ({problem}). "
            "Start PostgreSQL or point BRAND_MATRIX_TEST_POSTGRES_URL at one; "
            "these tests do not skip.",
            pytrace=False,
        )
    return engine


@pytest.fixture(params=BACKENDS)
def database_url(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'test.db'}"
        return
    base = postgres_base_url()
    engine = _admin_engine(base)
    schema = f"bm_test_{uuid.uuid4().hex[:12]}"
    with engine.begin() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    try:
        url = make_url(base).update_query_dict({"options": f"-csearch_path={schema}"})
        yield url.render_as_string(hide_password=False)
    finally:
        with engine.begin() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        engine.dispose()


@pytest.fixture
async def db(database_url):
    from subgraphs.common.idempotency import IdempotencyKey

    database = Database(database_url)
    await database.create_tables(Widget, Part, IdempotencyKey)
    try:
        yield database
    finally:
        await database.dispose()
