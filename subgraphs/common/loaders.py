"""DataLoader bases: one query per batch of keys, results in key order, None when missing.

    class ProductById(ModelLoader[int, Product]):
        model = Product          # looked up by `column` ("id" by default)

    ctx.loader("product", ProductById)   # or create_subgraph_app(loaders={"product": ...})
    product = await info.context.loader("product").load(product_id)

Subclass `KeyedLoader` and implement `fetch` for anything that is not a column lookup.
"""

from __future__ import annotations

from collections.abc import Hashable, Mapping, Sequence
from typing import Any, ClassVar, Generic, TypeVar

from aiodataloader import DataLoader
from sqlmodel import SQLModel, col, select
from sqlmodel.ext.asyncio.session import AsyncSession

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")
M = TypeVar("M", bound=SQLModel)


class KeyedLoader(DataLoader, Generic[K, V]):
    """Batches `load(key)` calls of one request into one `fetch(session, keys)`."""

    missing: Any = None  # what a key without a result resolves to

    def __init__(self, context: Any, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.context = context

    async def fetch(self, session: AsyncSession, keys: Sequence[K]) -> Mapping[K, V]:
        raise NotImplementedError

    async def batch_load_fn(self, keys: Sequence[K]) -> list[V | None]:
        keys = list(keys)
        async with self.context.db() as session:
            found = await self.fetch(session, keys)
        return [found[key] if key in found else self._missing() for key in keys]

    def _missing(self) -> Any:
        return self.missing


class ModelLoader(KeyedLoader[K, M]):
    """Rows of `model` whose `column` equals the key (one per key)."""

    model: ClassVar[type[SQLModel]]
    column: ClassVar[str] = "id"

    async def fetch(self, session: AsyncSession, keys: Sequence[K]) -> Mapping[K, M]:
        column = col(getattr(self.model, self.column))
        rows = (await session.exec(select(self.model).where(column.in_(keys)))).all()
        return {getattr(row, self.column): row for row in rows}


class ModelListLoader(KeyedLoader[K, list[M]]):
    """All rows of `model` whose `column` equals the key (a list per key; [] when none),
    ordered by `order_by` (a column name) when set."""

    model: ClassVar[type[SQLModel]]
    column: ClassVar[str]
    order_by: ClassVar[str | None] = None

    def _missing(self) -> list[M]:
        return []

    async def fetch(self, session: AsyncSession, keys: Sequence[K]) -> Mapping[K, list[M]]:
        column = col(getattr(self.model, self.column))
        query = select(self.model).where(column.in_(keys))
        if self.order_by:
            query = query.order_by(col(getattr(self.model, self.order_by)))
        grouped: dict[K, list[M]] = {}
        for row in (await session.exec(query)).all():
            grouped.setdefault(getattr(row, self.column), []).append(row)
        return grouped
