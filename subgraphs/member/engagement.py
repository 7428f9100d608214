"""Engagement: what the member bought, kept from `order.paid` (consumer "member").

`apply_paid_order` runs inside `events.handle_once`'s transaction (it never commits): one more
order, the latest payment time, and the union of the brands and categories bought. Orders of
an unknown or erased member change nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from .models import Engagement, utcnow
from .service import as_utc, get_member

ORDER_PAID = "order.paid"
log = logging.getLogger("brand_matrix.member")


def _parse_time(value: Any) -> datetime | None:
    if not isinstance(value, str):
        return None
    try:
        return as_utc(datetime.fromisoformat(value.replace("Z", "+00:00")))
    except ValueError:
        return None


def _strings(values: Any) -> set[str]:
    return {v for v in values if isinstance(v, str) and v} if isinstance(values, list) else set()


async def lock_engagement(session: AsyncSession, member_id: str) -> Engagement:
    """The member's engagement row, created when missing and locked until the transaction ends
    (INSERT ... ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE)."""
    dialect = session.bind.dialect.name  # type: ignore[union-attr]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.exec(
        insert(Engagement)  # type: ignore[call-overload]
        .values(
            member_id=member_id,
            orders_count=0,
            brands_purchased=[],
            categories_purchased=[],
            updated_at=utcnow(),
        )
        .on_conflict_do_nothing(index_elements=["member_id"])
    )
    query = (
        select(Engagement)
        .where(Engagement.member_id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).one()


async def apply_paid_order(session: AsyncSession, payload: Mapping[str, Any]) -> bool:
    """Count a paid order; False when ignored (malformed, unknown or erased member)."""
    member_id = payload.get("memberId")
    paid_at = _parse_time(payload.get("paidAt"))
    lines = payload.get("lines") if isinstance(payload.get("lines"), list) else []
    if not isinstance(member_id, str) or not member_id:
        log.warning("order.paid without a memberId ignored: %r", payload.get("orderId"))
        return False
    member = await get_member(session, member_id)
    if member is None or member.erased_at is not None:
        return False
    row = await lock_engagement(session, member_id)
    brands = _strings([line.get("brand") for line in lines if isinstance(line, dict)])
    categories = _strings([line.get("categoryId") for line in lines if isinstance(line, dict)])
    row.orders_count += 1
    if paid_at is not None and (row.last_order_at is None or paid_at > as_utc(row.last_order_at)):
        row.last_order_at = paid_at
    # New lists (not in-place changes): the JSON columns only notice reassignment.
    row.brands_purchased = sorted(set(row.brands_purchased) | brands)
    row.categories_purchased = sorted(set(row.categories_purchased) | categories)
    row.updated_at = utcnow()
    await session.flush()
    return True
