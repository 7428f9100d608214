from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool

from subgraphs.catalogue.app import MIGRATIONS_DIR, VERSION_TABLE, migrate
from subgraphs.catalogue.models import Category, Product, Sku, StockShortfall
from subgraphs.common.database import sync_url
from subgraphs.common.events import OutboxEvent, ProcessedEvent
from subgraphs.common.migrations import current_revision, downgrade


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
    for model in (Category, Product, Sku, StockShortfall, OutboxEvent, ProcessedEvent):
        table = model.__table__  # type: ignore[attr-defined]
        assert columns[table.name] == {c.name for c in table.columns}, table.name
    downgrade(database_url, MIGRATIONS_DIR, version_table=VERSION_TABLE)
    assert set(_columns(database_url)) <= {VERSION_TABLE}


def test_upgrade_from_0001_keeps_rows_on_sale(database_url):
    """Rows written before the active flags existed are on sale after the upgrade."""
    from sqlalchemy import text

    migrate(database_url, "0001")
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        with engine.begin() as conn:
            conn.execute(text("INSERT INTO catalogue_categories (id, name) VALUES ('c', 'C')"))
            conn.execute(
                text(
                    "INSERT INTO catalogue_products (id, name, category_id) VALUES ('P', 'P', 'c')"
                )
            )
            conn.execute(
                text(
                    "INSERT INTO catalogue_skus (id, product_id, name, price_fen) "
                    "VALUES ('P-1', 'P', 'one', 100)"
                )
            )
        migrate(database_url)
        with engine.connect() as conn:
            assert conn.execute(text("SELECT active FROM catalogue_products")).scalar() in (1, True)
            assert conn.execute(text("SELECT active FROM catalogue_skus")).scalar() in (1, True)
    finally:
        engine.dispose()
    downgrade(database_url, MIGRATIONS_DIR, "0001", version_table=VERSION_TABLE)
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0001"
    assert "active" not in _columns(database_url)["catalogue_products"]
