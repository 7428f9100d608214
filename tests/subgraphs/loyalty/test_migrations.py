from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool

from subgraphs.common.database import sync_url
from subgraphs.common.events import OutboxEvent, ProcessedEvent
from subgraphs.common.migrations import current_revision, downgrade
from subgraphs.loyalty.app import MIGRATIONS_DIR, VERSION_TABLE, migrate
from subgraphs.loyalty.models import Account, Coupon, LedgerEntry, OrderEarning


def _columns(database_url: str) -> dict[str, set[str]]:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        inspector = inspect(engine)
        return {
            t: {c["name"] for c in inspector.get_columns(t)} for t in inspector.get_table_names()
        }
    finally:
        engine.dispose()


def test_migrations_create_the_models_tables_and_go_back_down(database_url):
    assert current_revision(database_url, version_table=VERSION_TABLE) is None
    migrate(database_url)
    migrate(database_url)  # at head already: nothing to do
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0002"
    columns = _columns(database_url)
    assert VERSION_TABLE in columns
    for model in (Account, LedgerEntry, OrderEarning, Coupon, OutboxEvent, ProcessedEvent):
        table = model.__table__  # type: ignore[attr-defined]
        assert columns[table.name] == {c.name for c in table.columns}, table.name
    downgrade(database_url, MIGRATIONS_DIR, "0001", version_table=VERSION_TABLE)
    assert set(_columns(database_url)) == {VERSION_TABLE, "loyalty_accounts", "loyalty_entries"}
    migrate(database_url)  # back up again from 0001
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0002"
    downgrade(database_url, MIGRATIONS_DIR, version_table=VERSION_TABLE)
    assert set(_columns(database_url)) <= {VERSION_TABLE}
