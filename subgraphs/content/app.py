"""`create_app(brand, database_url, *, bus=None, key_ring=None, settings=None, clock=None)`: one
brand's content deployment as an ASGI app, with its outbox relay and its `content-<brand>`
consumer of `member.erased` (`app.state.events`, started with the app's lifespan).

`migrate(database_url)` brings that brand's database to the latest content revision (its own
Alembic version table, `alembic_version_content`).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime
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
from .recommendations import RecommendationSettings
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
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
    settings: RecommendationSettings | Mapping[str, Any] | None = None,
    clock: Callable[[], datetime] | None = None,
) -> Starlette:
    """The content of `brand` on `database_url` (default: `DATABASE_URL`, else SQLite).
    `bus` carries its events and `key_ring` verifies access tokens (defaults: from the
    environment). `settings` are the recommendation rules' (`RecommendationSettings` or its
    mapping format; default the documented defaults). `clock` (aware datetimes; default the
    current UTC time) decides which banners, articles and placements are live.
    `app.state.database` is its `Database`, disposed at shutdown; `app.state.events` its
    `EventRuntime`; `app.state.settings` the settings."""
    check_brand(brand)
    if not isinstance(settings, RecommendationSettings):
        settings = RecommendationSettings.from_mapping(settings)
    database = Database(database_url)
    attributes: dict[str, object] = {
        "content_brand": brand,
        "recommendation_settings": settings,
    }
    if clock is not None:
        attributes["now"] = staticmethod(clock)
    return deployment_app(
        schema,
        database,
        events=EventRuntime(database, bus=bus, subscriptions=subscriptions(brand, database)),
        loaders=LOADERS,
        context_class=ContentContext,
        context=attributes,
        key_ring=key_ring,
        state={"settings": settings, "brand": brand},
    )
