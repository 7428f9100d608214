"""`create_app(brand, database_url, *, bus=None, key_ring=None)`: one brand's catalogue
deployment as an ASGI app, with its outbox relay and its `catalogue-<brand>` consumer of
`order.paid` (`app.state.events`, started with the app's lifespan).

`migrate(database_url)` brings that brand's database to the latest catalogue revision (its own
Alembic version table, `alembic_version_catalogue`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common import migrations
from subgraphs.common.app import deployment_app
from subgraphs.common.auth import KeyRing
from subgraphs.common.bus import EventBus
from subgraphs.common.database import Database
from subgraphs.common.event_runtime import EventRuntime

from .consumers import subscriptions
from .loaders import LOADERS
from .schema import CatalogueContext, schema
from .service import check_brand

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_catalogue"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the brand's database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    brand: str,
    database_url: str | None = None,
    *,
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
) -> Starlette:
    """The catalogue of `brand` on `database_url` (default: `DATABASE_URL`, else SQLite).
    `bus` carries its events (default: from the environment); `key_ring` verifies access
    tokens (default: from the environment). `app.state.database` is its `Database`, disposed
    at shutdown; `app.state.events` its `EventRuntime`."""
    check_brand(brand)
    database = Database(database_url)
    return deployment_app(
        schema,
        database,
        events=EventRuntime(database, bus=bus, subscriptions=subscriptions(brand, database)),
        loaders=LOADERS,
        context_class=CatalogueContext,
        context={"catalogue_brand": brand},
        key_ring=key_ring,
        state={"brand": brand},
    )
