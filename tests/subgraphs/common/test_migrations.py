from __future__ import annotations

from pathlib import Path

from sqlalchemy import create_engine, inspect, pool

from subgraphs.common.database import Database, sync_url
from subgraphs.common.idempotency import run_once
from subgraphs.common.migrations import current_revision, downgrade, upgrade

MIGRATIONS = Path(__file__).parent / "example_migrations"


def _tables(database_url: str) -> dict[str, set[str]]:
    engine = create_engine(sync_url(database_url), poolclass=pool.NullPool)
    try:
        inspector = inspect(engine)
        names = inspector.get_table_names()
        return {t: {c["name"] for c in inspector.get_columns(t)} for t in names}
    finally:
        engine.dispose()


async def test_upgrade_downgrade_and_use_the_migrated_tables(database_url):
    assert current_revision(database_url) is None
    upgrade(database_url, MIGRATIONS, "0001")
    assert current_revision(database_url) == "0001"
    upgrade(database_url, MIGRATIONS)
    upgrade(database_url, MIGRATIONS)  # at head already: nothing to do
    assert current_revision(database_url) == "0002"
    tables = _tables(database_url)
    assert tables["example_widgets"] == {"id", "name", "colour"}
    assert {"scope", "key", "request_hash", "result", "created_at"} <= tables["idempotency_keys"]

    # the migrated idempotency table serves run_once
    db = Database(database_url)
    try:
        async with db.session() as session:

            async def operation(_session):
                return {"ok": True}

            first = await run_once(session, scope="m", key="1", operation=operation)
            again = await run_once(session, scope="m", key="1", operation=operation)
        assert (first.replayed, again.replayed, again.result) == (False, True, {"ok": True})
    finally:
        await db.dispose()

    downgrade(database_url, MIGRATIONS, "0001")
    assert _tables(database_url)["example_widgets"] == {"id", "name"}
    downgrade(database_url, MIGRATIONS)
    assert set(_tables(database_url)) <= {"alembic_version"}


def test_subgraphs_keep_separate_version_tables(database_url):
    upgrade(database_url, MIGRATIONS, "0001", version_table="alembic_version_member")
    assert current_revision(database_url, version_table="alembic_version_member") == "0001"
    assert current_revision(database_url) is None
