"""Field usage in PostgreSQL or SQLite through SQLAlchemy Core: one table, upserted.

    field_usage(day DATE, coordinate TEXT, count BIGINT, PRIMARY KEY (day, coordinate))

Each flush is one INSERT ... ON CONFLICT DO UPDATE SET count = count + excluded.count, so
replicas flushing at the same time add up instead of overwriting each other. A process's first
write also adds 0 to the row (today, "#recording"), so the earliest day of the table says since
when usage is recorded there, even for days without traffic.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import (
    BigInteger,
    Column,
    Date,
    MetaData,
    Table,
    Text,
    create_engine,
    func,
    inspect,
    select,
)
from sqlalchemy.engine import Engine, make_url

from gateway.usage.recorder import DayCounts, today

TABLE = "field_usage"
RECORDING = "#recording"  # not a schema coordinate: marks the days a gateway recorded
METADATA = MetaData()
FIELD_USAGE = Table(
    TABLE,
    METADATA,
    Column("day", Date, primary_key=True),
    Column("coordinate", Text, primary_key=True),  # no length: a long one must not jam flushes
    Column("count", BigInteger, nullable=False),
)


def engine_url(url: str) -> str:
    """`postgresql://` -> the psycopg (v3) driver we ship; other URLs as given."""
    parsed = make_url(url)
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    return parsed.render_as_string(hide_password=False)


class SqlSink:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._created = False

    @classmethod
    def from_url(cls, url: str) -> SqlSink:
        target = engine_url(url)
        args: dict[str, Any] = {}
        if target.startswith("postgresql"):
            args["connect_args"] = {"connect_timeout": 3}
        return cls(create_engine(target, pool_pre_ping=True, **args))

    def write(self, counts: DayCounts) -> None:
        if not self._created:
            METADATA.create_all(self._engine, checkfirst=True)
            counts = {**counts, (today(), RECORDING): 0}
            self._created = True
        if not counts:
            return
        rows = [{"day": d, "coordinate": c, "count": n} for (d, c), n in counts.items()]
        with self._engine.begin() as connection:
            connection.execute(self._upsert(), rows)

    def read(self, first: date, last: date) -> dict[str, int]:
        with self._engine.connect() as connection:
            if not inspect(connection).has_table(TABLE):
                raise LookupError(f"no {TABLE} table: no gateway has recorded usage there")
            query = (
                select(FIELD_USAGE.c.coordinate, func.sum(FIELD_USAGE.c.count))
                .where(FIELD_USAGE.c.day >= first, FIELD_USAGE.c.day <= last)
                .where(FIELD_USAGE.c.coordinate != RECORDING)
                .group_by(FIELD_USAGE.c.coordinate)
            )
            return {coordinate: int(total) for coordinate, total in connection.execute(query)}

    def recorded_since(self) -> date | None:
        with self._engine.connect() as connection:
            if not inspect(connection).has_table(TABLE):
                return None
            return connection.execute(select(func.min(FIELD_USAGE.c.day))).scalar()

    def close(self) -> None:
        self._engine.dispose()

    def _upsert(self) -> Any:
        name = self._engine.dialect.name
        if name == "postgresql":
            from sqlalchemy.dialects.postgresql import insert
        elif name == "sqlite":
            from sqlalchemy.dialects.sqlite import insert
        else:  # pragma: no cover - sink_problem() admits only these two
            raise ValueError(f"usage sink: unsupported database {name}")
        statement = insert(FIELD_USAGE)
        return statement.on_conflict_do_update(
            index_elements=[FIELD_USAGE.c.day, FIELD_USAGE.c.coordinate],
            set_={"count": FIELD_USAGE.c.count + statement.excluded["count"]},
        )
