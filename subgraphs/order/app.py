"""`create_app(database_url, *, bus=None, key_ring=None, payments=None, settings=None)`: the
order subgraph (central) as an ASGI app, with its outbox relay and its `order` event consumer
(`app.state.events`, started and stopped with the app's lifespan).

`migrate(database_url)` brings its database to the latest order revision (its own Alembic
version table, `alembic_version_order`).
"""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path
from typing import Any

from starlette.applications import Starlette

from subgraphs.common import migrations
from subgraphs.common.app import deployment_app
from subgraphs.common.auth import KeyRing
from subgraphs.common.bus import EventBus
from subgraphs.common.database import Database
from subgraphs.common.event_runtime import EventRuntime

from .consumers import subscriptions
from .loaders import LOADERS
from .payments import PaymentProvider, SandboxPaymentProvider
from .schema import OrderContext, schema

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_order"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the order database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    database_url: str | None = None,
    *,
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
    payments: PaymentProvider | None = None,
    settings: Mapping[str, Any] | None = None,
) -> Starlette:
    """Order on `database_url` (default: `DATABASE_URL`, else SQLite). `bus` carries its
    events (default: from the environment); `key_ring` verifies access and coupon tokens
    (default: from the environment); `payments` charges orders (default: the sandbox provider
    on this database). `settings` is accepted for symmetry with the other subgraphs; the
    order subgraph has none yet (a non-empty mapping is refused).
    `app.state.database` is its `Database`, disposed at shutdown; `app.state.events` its
    `EventRuntime`; `app.state.payments` and `app.state.key_ring` what it runs with."""
    if settings:
        raise ValueError(f"unknown order settings: {sorted(settings)}")
    database = Database(database_url)
    payments = payments if payments is not None else SandboxPaymentProvider(database)
    return deployment_app(
        schema,
        database,
        events=EventRuntime(database, bus=bus, subscriptions=subscriptions(database)),
        loaders=LOADERS,
        context_class=OrderContext,
        context={"payments": payments},
        key_ring=key_ring,
        state={"payments": payments},
    )
