from __future__ import annotations

from sqlalchemy import create_engine, inspect, pool

from subgraphs.common.database import sync_url
from subgraphs.common.events import OutboxEvent, ProcessedEvent
from subgraphs.common.idempotency import IdempotencyKey
from subgraphs.common.migrations import current_revision, downgrade
from subgraphs.member import models
from subgraphs.member.app import MIGRATIONS_DIR, VERSION_TABLE, migrate

MODELS = (
    models.Member,
    models.BrandAccount,
    models.Address,
    models.PaymentMethod,
    models.ConsentRecord,
    models.Engagement,
    models.RefreshToken,
    models.ErasureRequest,
    models.ErasureParticipant,
    OutboxEvent,
    ProcessedEvent,
    IdempotencyKey,
)


def _inspect(database_url: str) -> tuple[dict[str, set[str]], dict[str, set[tuple[str, ...]]]]:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        inspector = inspect(engine)
        tables = inspector.get_table_names()
        columns = {t: {c["name"] for c in inspector.get_columns(t)} for t in tables}
        unique = {
            t: {tuple(u["column_names"]) for u in inspector.get_unique_constraints(t)}
            | {tuple(i["column_names"]) for i in inspector.get_indexes(t) if i["unique"]}
            for t in tables
        }
        return columns, unique
    finally:
        engine.dispose()


def test_migrations_create_the_models_tables_and_go_back_down(database_url):
    assert current_revision(database_url, version_table=VERSION_TABLE) is None
    migrate(database_url)
    migrate(database_url)  # at head already: nothing to do
    assert current_revision(database_url, version_table=VERSION_TABLE) == "0001"
    columns, unique = _inspect(database_url)
    assert VERSION_TABLE in columns
    for model in MODELS:
        table = model.__table__  # type: ignore[attr-defined]
        assert columns[table.name] == {c.name for c in table.columns}, table.name
    assert ("union_id",) in unique["members"]
    assert ("brand", "open_id") in unique["member_brand_accounts"]
    assert ("member_id",) in unique["member_erasure_requests"]
    downgrade(database_url, MIGRATIONS_DIR, version_table=VERSION_TABLE)
    assert set(_inspect(database_url)[0]) <= {VERSION_TABLE}
