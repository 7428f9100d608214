"""Alembic, driven programmatically: each subgraph keeps its own migrations folder.

A subgraph's `migrations/` holds `env.py` (two lines, below), `script.py.mako` (copy
`tests/subgraphs/common/example_migrations/script.py.mako`) and `versions/`:

    # migrations/env.py
    from subgraphs.common.migrations import run_env
    run_env()

Then `upgrade(database_url, migrations_dir)` brings a database to head (sync; from async code
run it with `asyncio.to_thread`). The URL may name the async driver; Alembic uses the sync one.
"""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from sqlalchemy import MetaData, create_engine, pool

from .database import is_sqlite, sync_url

DEFAULT_VERSION_TABLE = "alembic_version"


def alembic_config(
    database_url: str,
    migrations_dir: str | Path,
    *,
    version_table: str = DEFAULT_VERSION_TABLE,
    target_metadata: MetaData | None = None,
) -> Config:
    config = Config()
    config.set_main_option("script_location", str(Path(migrations_dir).resolve()))
    # Passed as attributes, not options: ConfigParser would interpolate '%' in URLs.
    config.attributes["database_url"] = sync_url(database_url)
    config.attributes["version_table"] = version_table
    config.attributes["target_metadata"] = target_metadata
    return config


def upgrade(
    database_url: str,
    migrations_dir: str | Path,
    revision: str = "head",
    *,
    version_table: str = DEFAULT_VERSION_TABLE,
) -> None:
    command.upgrade(
        alembic_config(database_url, migrations_dir, version_table=version_table), revision
    )


def downgrade(
    database_url: str,
    migrations_dir: str | Path,
    revision: str = "base",
    *,
    version_table: str = DEFAULT_VERSION_TABLE,
) -> None:
    command.downgrade(
        alembic_config(database_url, migrations_dir, version_table=version_table), revision
    )


def current_revision(
    database_url: str, *, version_table: str = DEFAULT_VERSION_TABLE
) -> str | None:
    """The revision a database is at (None before the first migration)."""
    from alembic.runtime.migration import MigrationContext

    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={"version_table": version_table})
            return context.get_current_revision()
    finally:
        engine.dispose()


def run_env() -> None:
    """The body of a subgraph's `migrations/env.py`."""
    from alembic import context

    config = context.config
    url = config.attributes.get("database_url") or config.get_main_option("sqlalchemy.url")
    if not url:
        raise RuntimeError("no database URL: run migrations through subgraphs.common.migrations")
    url = sync_url(url)
    options = {
        "target_metadata": config.attributes.get("target_metadata"),
        "version_table": config.attributes.get("version_table", DEFAULT_VERSION_TABLE),
        "render_as_batch": is_sqlite(url),  # SQLite's ALTER TABLE needs batch mode
    }
    if context.is_offline_mode():
        context.configure(url=url, literal_binds=True, **options)
        with context.begin_transaction():
            context.run_migrations()
        return
    engine = create_engine(url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            context.configure(connection=connection, **options)
            with context.begin_transaction():
                context.run_migrations()
    finally:
        engine.dispose()
