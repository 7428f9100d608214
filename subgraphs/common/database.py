"""Database engine and sessions.

Async throughout: SQLAlchemy's asyncio extension with SQLModel's `AsyncSession`. The subgraphs
resolve through aiodataloader (async batch functions) and run in one event loop with the
gateway in `brand-matrix dev`; a blocking driver call would stall every request in the
process. Drivers: aiosqlite for SQLite (the default) and psycopg 3 for PostgreSQL (the same
`postgresql+psycopg://` URL serves the async engine and, for Alembic, the sync one).

`DATABASE_URL` selects the database, e.g. `postgresql+psycopg://root@/test?host=/var/run/postgresql`
or `postgresql+psycopg://postgres@127.0.0.1:5432/test`; `postgresql://`, `postgres://` and
`sqlite://` URLs are accepted and given the drivers above.
"""

from __future__ import annotations

import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager

from sqlalchemy import event
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlalchemy.pool import StaticPool
from sqlmodel import SQLModel
from sqlmodel.ext.asyncio.session import AsyncSession

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///brand_matrix.db"
SQLITE_BUSY_TIMEOUT_SECONDS = 30.0

SessionFactory = Callable[[], AsyncSession]


def database_url(default: str = DEFAULT_DATABASE_URL, env_var: str = "DATABASE_URL") -> str:
    """The configured URL (from `env_var`, else `default`), normalised to an async driver."""
    return async_url(os.environ.get(env_var) or default)


def async_url(url: str) -> str:
    """`url` with the async driver this package uses (aiosqlite or psycopg)."""
    return _with_driver(url, sqlite="sqlite+aiosqlite")


def sync_url(url: str) -> str:
    """`url` with a sync driver (pysqlite or psycopg), for Alembic."""
    return _with_driver(url, sqlite="sqlite")


def _with_driver(url: str, *, sqlite: str) -> str:
    backend = make_url(url).get_backend_name()
    if backend == "sqlite":
        driver = sqlite
    elif backend in ("postgresql", "postgres"):
        driver = "postgresql+psycopg"
    else:
        raise ValueError(f"unsupported database URL {url!r}: use sqlite or postgresql")
    return driver + url[url.index("://") :]  # the rest exactly as given


def is_sqlite(url_or_engine: str | AsyncEngine) -> bool:
    if isinstance(url_or_engine, AsyncEngine):
        return url_or_engine.dialect.name == "sqlite"
    return make_url(url_or_engine).get_backend_name() == "sqlite"


def create_engine(url: str | None = None, **kwargs) -> AsyncEngine:
    """An async engine for `url` (default: `database_url()`).

    SQLite: foreign keys on, a busy timeout so concurrent writers wait instead of failing,
    WAL for files (readers do not block on the writer), one shared connection for `:memory:`.
    """
    url = async_url(url) if url else database_url()
    if not is_sqlite(url):
        kwargs.setdefault("pool_pre_ping", True)
        return create_async_engine(url, **kwargs)
    memory = make_url(url).database in (None, "", ":memory:")
    connect_args = {"timeout": SQLITE_BUSY_TIMEOUT_SECONDS, **kwargs.pop("connect_args", {})}
    if memory:
        kwargs.setdefault("poolclass", StaticPool)
        connect_args["check_same_thread"] = False
    engine = create_async_engine(url, connect_args=connect_args, **kwargs)

    @event.listens_for(engine.sync_engine, "connect")
    def _sqlite_pragmas(dbapi_connection, _record) -> None:
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys=ON")
        if not memory:
            cursor.execute("PRAGMA journal_mode=WAL")
        cursor.close()

    return engine


class Database:
    """An engine and its session factory. One session per request: `session_factory` is what
    `create_subgraph_app(get_session=...)` takes."""

    def __init__(self, url: str | None = None, *, engine: AsyncEngine | None = None) -> None:
        self.engine = engine if engine is not None else create_engine(url)
        self.session_factory: async_sessionmaker[AsyncSession] = async_sessionmaker(
            self.engine, class_=AsyncSession, expire_on_commit=False
        )

    @property
    def url(self) -> str:
        return self.engine.url.render_as_string(hide_password=False)

    @asynccontextmanager
    async def session(self) -> AsyncIterator[AsyncSession]:
        async with self.session_factory() as session:
            yield session

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A fresh session in a transaction: committed on success, rolled back on error."""
        async with self.session_factory() as session, transaction(session):
            yield session

    async def create_tables(self, *models: type[SQLModel]) -> None:
        """Create the tables of `models` (all SQLModel tables if none are given). For tests and
        the embedded dev mode; deployments run the subgraph's Alembic migrations."""
        tables = [m.__table__ for m in models] if models else None  # type: ignore[attr-defined]
        async with self.engine.begin() as conn:
            await conn.run_sync(SQLModel.metadata.create_all, tables=tables)

    async def dispose(self) -> None:
        await self.engine.dispose()


@asynccontextmanager
async def transaction(session: AsyncSession) -> AsyncIterator[AsyncSession]:
    """Commit `session` when the block succeeds; roll everything back when it raises (the
    transaction includes whatever the session did since its last commit)."""
    try:
        yield session
    except BaseException:
        await session.rollback()
        raise
    else:
        await session.commit()
