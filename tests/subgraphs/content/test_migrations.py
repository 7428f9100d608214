from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool

from subgraphs.common.database import sync_url
from subgraphs.common.events import OutboxEvent, ProcessedEvent
from subgraphs.common.migrations import current_revision, downgrade
from subgraphs.content.app import MIGRATIONS_DIR, VERSION_TABLE, migrate
from subgraphs.content.models import (
    Article,
    Banner,
    CrossBrandPlacement,
    Impression,
    Page,
)


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
    for model in (Banner, Article, Page, CrossBrandPlacement, Impression, OutboxEvent,
                  ProcessedEvent):  # fmt: skip
        table = model.__table__  # type: ignore[attr-defined]
        assert columns[table.name] == {c.name for c in table.columns}, table.name
    downgrade(database_url, MIGRATIONS_DIR, version_table=VERSION_TABLE)
    assert set(_columns(database_url)) <= {VERSION_TABLE}


def test_content_and_catalogue_tables_do_not_clash(database_url):
    """Their own tables and version tables have distinct names. (From revision 0002 each
    deployment also holds the foundation's outbox tables, one set per database, so each
    deployment needs a database of its own, as it has in production.)"""
    from subgraphs.catalogue.app import VERSION_TABLE as CATALOGUE_VERSIONS
    from subgraphs.catalogue.app import migrate as migrate_catalogue

    migrate_catalogue(database_url, "0001")
    migrate(database_url, "0001")
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0001"
    assert current_revision(database_url, version_table=CATALOGUE_VERSIONS) == "0001"


def test_downgrade_to_0001_removes_the_cross_brand_tables(database_url):
    migrate(database_url)
    downgrade(database_url, MIGRATIONS_DIR, "0001", version_table=VERSION_TABLE)
    tables = set(_columns(database_url))
    assert {"content_banners", "content_articles", "content_pages"} <= tables
    assert not tables & {"content_cross_brand_placements", "content_impressions", "outbox_events"}
