"""`create_app(database_url)`: the loyalty subgraph (central) as an ASGI app.

`migrate(database_url)` brings its database to the latest loyalty revision (its own Alembic
version table, `alembic_version_loyalty`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common import migrations
from subgraphs.common.app import create_subgraph_app
from subgraphs.common.database import Database

from .loaders import LOADERS
from .schema import LoyaltyContext, schema
from .service import LoyaltySettings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_loyalty"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the loyalty database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    database_url: str | None = None, *, settings: LoyaltySettings | None = None
) -> Starlette:
    """Loyalty on `database_url` (default: `DATABASE_URL`, else SQLite) with `settings` (tier
    thresholds, default points validity). `app.state.database` is its `Database`, disposed at
    shutdown."""
    settings = settings or LoyaltySettings()
    database = Database(database_url)
    context_class = type("LoyaltyContext", (LoyaltyContext,), {"loyalty_settings": settings})
    app = create_subgraph_app(
        schema,
        get_session=database.session_factory,
        loaders=LOADERS,
        context_class=context_class,
        on_shutdown=database.dispose,
    )
    app.state.database = database
    app.state.settings = settings
    return app
