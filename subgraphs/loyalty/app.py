"""`create_app(database_url, *, settings=None, bus=None, key_ring=None)`: the loyalty subgraph
(central) as an ASGI app, with its outbox relay and its `loyalty` event consumer
(`app.state.events`, started and stopped with the app's lifespan).

`migrate(database_url)` brings its database to the latest loyalty revision (its own Alembic
version table, `alembic_version_loyalty`).
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
from .schema import LoyaltyContext, schema
from .settings import LoyaltySettings

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_loyalty"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the loyalty database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    database_url: str | None = None,
    *,
    settings: LoyaltySettings | None = None,
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
) -> Starlette:
    """Loyalty on `database_url` (default: `DATABASE_URL`, else SQLite) with `settings` (tiers,
    points validity, earning rates, coupon rules; `LoyaltySettings.from_mapping` builds them
    from configuration). `bus` carries its events (default: from the environment); `key_ring`
    verifies access tokens and signs coupon tokens (default: from the environment).
    `app.state.database` is its `Database`, disposed at shutdown; `app.state.events` its
    `EventRuntime`; `app.state.settings` and `app.state.key_ring` what it runs with."""
    settings = settings or LoyaltySettings()
    database = Database(database_url)
    return deployment_app(
        schema,
        database,
        events=EventRuntime(database, bus=bus, subscriptions=subscriptions(database, settings)),
        loaders=LOADERS,
        context_class=LoyaltyContext,
        context={"loyalty_settings": settings},
        key_ring=key_ring,
        state={"settings": settings},
    )
