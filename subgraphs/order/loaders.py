"""Per-request DataLoaders: one SELECT per table per batch, whatever the number of orders or
members in the request."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.loaders import KeyedLoader, ModelListLoader, ModelLoader

from . import kpis
from .models import CartLine, Order, OrderLine, ReplicaSku, StatusChange


class OrderById(ModelLoader[str, Order]):
    model = Order


class LinesByOrder(ModelListLoader[str, OrderLine]):
    model = OrderLine
    column = "order_id"
    order_by = "position"


class HistoryByOrder(ModelListLoader[str, StatusChange]):
    model = StatusChange
    column = "order_id"
    order_by = "id"


class CartLinesByMember(ModelListLoader[str, CartLine]):
    model = CartLine
    column = "member_id"
    order_by = "id"


class SkuById(ModelLoader[str, ReplicaSku]):
    model = ReplicaSku
    column = "sku_id"


OrdersKey = tuple[str, int, str | None]  # member id, first, brand


class OrdersByMember(KeyedLoader[OrdersKey, list[Order]]):
    """A member's newest `first` orders (those with a line of `brand`, when given): one query
    per distinct (first, brand) in the request, numbering each member's orders in SQL."""

    def _missing(self) -> list[Order]:
        return []

    async def fetch(
        self, session: AsyncSession, keys: Sequence[OrdersKey]
    ) -> Mapping[OrdersKey, list[Order]]:
        groups: dict[tuple[int, str | None], list[str]] = {}
        for member_id, first, brand in dict.fromkeys(keys):
            groups.setdefault((first, brand), []).append(member_id)
        found: dict[OrdersKey, list[Order]] = {}
        for (first, brand), members in groups.items():
            if first == 0:
                continue
            conditions = [col(Order.member_id).in_(members)]
            if brand is not None:
                has_brand = (
                    select(OrderLine.id)
                    .where(col(OrderLine.order_id) == col(Order.id), OrderLine.brand == brand)
                    .exists()
                )
                conditions.append(has_brand)
            rank = (
                sa.func.row_number()
                .over(
                    partition_by=col(Order.member_id),
                    order_by=(col(Order.placed_at).desc(), col(Order.id).desc()),
                )
                .label("rank")
            )
            ranked = select(col(Order.id), rank).where(*conditions).subquery()
            query = (
                select(Order)
                .join(ranked, ranked.c.id == col(Order.id))
                .where(ranked.c.rank <= first)
                .order_by(col(Order.placed_at).desc(), col(Order.id).desc())
            )
            for order in (await session.exec(query)).all():
                found.setdefault((order.member_id, first, brand), []).append(order)
        return found


class KpisByWindow(KeyedLoader[kpis.Window, kpis.Kpis]):
    async def fetch(
        self, session: AsyncSession, keys: Sequence[kpis.Window]
    ) -> Mapping[kpis.Window, kpis.Kpis]:
        return {key: await kpis.compute(session, *key) for key in dict.fromkeys(keys)}


LOADERS = {
    "order": OrderById,
    "order_lines": LinesByOrder,
    "order_history": HistoryByOrder,
    "cart_lines": CartLinesByMember,
    "sku": SkuById,
    "member_orders": OrdersByMember,
    "kpis": KpisByWindow,
}
