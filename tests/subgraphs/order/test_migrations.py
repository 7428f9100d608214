from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool
from sqlmodel import SQLModel

from subgraphs.common.database import sync_url
from subgraphs.common.events import OutboxEvent, ProcessedEvent
from subgraphs.common.idempotency import IdempotencyKey
from subgraphs.common.migrations import current_revision, downgrade
from subgraphs.order import models
from subgraphs.order.app import MIGRATIONS_DIR, VERSION_TABLE, migrate

MODELS = [
    value
    for value in vars(models).values()
    if isinstance(value, type) and issubclass(value, SQLModel) and hasattr(value, "__table__")
]


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
    assert len(MODELS) == 10
    assert current_revision(database_url, version_table=VERSION_TABLE) is None
    migrate(database_url)
    migrate(database_url)  # at head already: nothing to do
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0001"
    columns = _columns(database_url)
    for model in (*MODELS, IdempotencyKey, OutboxEvent, ProcessedEvent):
        table = model.__table__  # type: ignore[attr-defined]
        assert columns[table.name] == {c.name for c in table.columns}, table.name
    downgrade(database_url, MIGRATIONS_DIR, version_table=VERSION_TABLE)
    assert set(_columns(database_url)) <= {VERSION_TABLE}
