"""`create_app(database_url, *, bus=None, key_ring=None, settings=None)`: the member subgraph
(central) as an ASGI app, with its outbox relay, its consumer "member" (`order.paid`,
`erasure.completed`) and the periodic erasure retry (`app.state.events`, a
`MemberEventRuntime`, started with the app's lifespan). It signs the access tokens, so it
publishes the public keys of its key ring at `GET /.well-known/jwks.json` (empty with shared
HS256 secrets only), for the gateway's `[auth] jwks_url` and `BRAND_MATRIX_JWT_JWKS_URL`.

`migrate(database_url)` brings its database to the latest member revision (its own Alembic
version table, `alembic_version_member`).
"""

from __future__ import annotations

from pathlib import Path

from starlette.applications import Starlette

from subgraphs.common import migrations
from subgraphs.common.app import deployment_app
from subgraphs.common.auth import KeyRing
from subgraphs.common.bus import EventBus
from subgraphs.common.database import Database

from .loaders import LOADERS
from .runtime import MemberEventRuntime
from .schema import MemberContext, schema
from .settings import MemberSettings

__all__ = ["MIGRATIONS_DIR", "VERSION_TABLE", "MemberSettings", "create_app", "migrate"]

MIGRATIONS_DIR = Path(__file__).parent / "migrations"
VERSION_TABLE = "alembic_version_member"


def migrate(database_url: str, revision: str = "head") -> None:
    """Upgrade the member database (sync: from async code use `asyncio.to_thread`)."""
    migrations.upgrade(database_url, MIGRATIONS_DIR, revision, version_table=VERSION_TABLE)


def create_app(
    database_url: str | None = None,
    *,
    bus: EventBus | None = None,
    key_ring: KeyRing | None = None,
    settings: MemberSettings | None = None,
) -> Starlette:
    """The member subgraph on `database_url` (default: `DATABASE_URL`, else SQLite). `bus`
    carries its events (default: from the environment); `key_ring` signs the access tokens it
    issues and verifies the ones it is sent (default: from the environment); `settings`: brands,
    identity provider, token lifetimes, erasure participants. `app.state.database` is its
    `Database` (disposed at shutdown), `app.state.events` its `MemberEventRuntime`."""
    settings = settings or MemberSettings()
    database = Database(database_url)
    return deployment_app(
        schema,
        database,
        events=MemberEventRuntime(database, settings, bus=bus),
        loaders=LOADERS,
        context_class=MemberContext,
        context={"member_settings": settings},
        key_ring=key_ring,
        state={"settings": settings},
        publish_jwks=True,  # the issuer: other services verify its tokens with these keys
    )


def use_settings(app: Starlette, settings: MemberSettings) -> None:
    """Switch a running member app to new settings (a brand added while it runs: sign-in
    through it is accepted and its content joins the erasure participants)."""
    app.state.context_class.member_settings = settings
    app.state.events.settings = settings
    app.state.settings = settings
