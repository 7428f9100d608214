"""`create_app(brand, database_url)`: one brand's content deployment as an ASGI app.

`migrate(database_url)` brings that brand's database to the latest content revision (its own
Alembic version table, `alembic_version_content`).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common import migrations
from subgraphs.common.app import create_subgraph_app
from subgraphs.common.database import Database

from .loaders import LOADERS
from .schema import ContentContext, schema
from .service import check_brand

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_content"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the brand's database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    brand: str,
    database_url: str | None = None,
    *,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """The content of `brand` on `database_url` (default: `DATABASE_URL`, else SQLite).
    `clock` (aware datetimes; default the current UTC time) decides which banners and articles
    are live. `app.state.database` is its `Database`, disposed at shutdown."""
    check_brand(brand)
    database = Database(database_url)
    attributes: dict[str, object] = {"content_brand": brand}
    if clock is not None:
        attributes["now"] = staticmethod(clock)
    context_class = type("ContentContext", (ContentContext,), attributes)
    app = create_subgraph_app(
        schema,
        get_session=database.session_factory,
        loaders=LOADERS,
        context_class=context_class,
        on_shutdown=database.dispose,
    )
    app.state.database = database
    app.state.brand = brand
    return app
