"""Group KPIs of cross-brand traffic over a window [since, until).

- Cross-traffic cart adds: adds (`order_cart_adds`, kept whatever happened to the cart later)
  made in the window whose source was shown in another brand than the product's
  (`source_brand <> sku_brand`). A conversion is such an add whose line went into an order
  that reached PAID or later (a later refund does not undo the conversion: it converted).
  The rate is conversions / adds (0 when there were no adds).
- Attributed revenue: the paid amounts (after coupon) of lines of orders paid in the window
  and not refunded; cross-brand when the line's source brand differs from the line's brand,
  single-brand when it is the same; lines without a source count in neither. The ratio is
  cross / single (null when single is 0).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from .errors import OrderError, as_utc
from .models import DELIVERED, PAID, PAID_OR_LATER, SHIPPED, CartAdd, Order, OrderLine

Window = tuple[datetime, datetime]
LIVE_PAID = (PAID, SHIPPED, DELIVERED)  # paid and not refunded


@dataclass(frozen=True)
class Kpis:
    cross_traffic_cart_adds: int
    cross_traffic_conversions: int
    cross_brand_revenue_fen: int
    single_brand_revenue_fen: int
    paid_orders: int
    revenue_fen: int

    @property
    def conversion_rate(self) -> float:
        if not self.cross_traffic_cart_adds:
            return 0.0
        return self.cross_traffic_conversions / self.cross_traffic_cart_adds

    @property
    def cross_to_single_ratio(self) -> float | None:
        if not self.single_brand_revenue_fen:
            return None
        return self.cross_brand_revenue_fen / self.single_brand_revenue_fen


def window(since: datetime, until: datetime) -> Window:
    since, until = as_utc(since), as_utc(until)
    if until < since:
        raise OrderError("until must not be before since")
    return since, until


async def compute(session: AsyncSession, since: datetime, until: datetime) -> Kpis:
    since, until = window(since, until)
    cross_add = sa.and_(
        col(CartAdd.added_at) >= since,
        col(CartAdd.added_at) < until,
        col(CartAdd.source_brand).is_not(None),
        col(CartAdd.source_brand) != col(CartAdd.sku_brand),
    )
    converted = sa.case((col(Order.status).in_(PAID_OR_LATER), 1), else_=0)
    adds_query = (
        sa.select(sa.func.count(col(CartAdd.id)), sa.func.coalesce(sa.func.sum(converted), 0))
        .select_from(CartAdd)
        .outerjoin(Order, col(Order.id) == col(CartAdd.order_id))
        .where(cross_add)
    )
    adds, conversions = (await session.exec(adds_query)).one()  # type: ignore[call-overload]

    paid = sa.and_(
        col(Order.paid_at) >= since,
        col(Order.paid_at) < until,
        col(Order.status).in_(LIVE_PAID),
    )
    sourced = col(OrderLine.source_brand).is_not(None)
    cross = sa.case((sa.and_(sourced, col(OrderLine.source_brand) != col(OrderLine.brand)),
                     col(OrderLine.amount_fen)), else_=0)  # fmt: skip
    single = sa.case((sa.and_(sourced, col(OrderLine.source_brand) == col(OrderLine.brand)),
                      col(OrderLine.amount_fen)), else_=0)  # fmt: skip
    revenue_query = (
        sa.select(sa.func.coalesce(sa.func.sum(cross), 0), sa.func.coalesce(sa.func.sum(single), 0))
        .select_from(OrderLine)
        .join(Order, col(Order.id) == col(OrderLine.order_id))
        .where(paid)
    )
    cross_fen, single_fen = (await session.exec(revenue_query)).one()  # type: ignore[call-overload]
    orders_query = sa.select(
        sa.func.count(col(Order.id)), sa.func.coalesce(sa.func.sum(col(Order.total_fen)), 0)
    ).where(paid)
    orders, revenue = (await session.exec(orders_query)).one()  # type: ignore[call-overload]
    return Kpis(
        cross_traffic_cart_adds=int(adds),
        cross_traffic_conversions=int(conversions),
        cross_brand_revenue_fen=int(cross_fen),
        single_brand_revenue_fen=int(single_fen),
        paid_orders=int(orders),
        revenue_fen=int(revenue),
    )
