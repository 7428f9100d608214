"""Group KPIs loyalty contributes to `GroupKpis` (owned by the order subgraph)."""

from __future__ import annotations

from datetime import datetime

import sqlalchemy as sa
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from .models import LedgerEntry
from .service import LoyaltyError, as_utc


def window(since: datetime, until: datetime) -> tuple[datetime, datetime]:
    since, until = as_utc(since), as_utc(until)
    if until < since:
        raise LoyaltyError("until must not be before since")
    return since, until


async def multi_brand_points_members(
    session: AsyncSession, since: datetime, until: datetime
) -> int:
    """Members with ledger entries (earned or redeemed) in two or more distinct brands within
    [since, until)."""
    since, until = window(since, until)
    members = (
        sa.select(LedgerEntry.member_id)
        .where(col(LedgerEntry.created_at) >= since, col(LedgerEntry.created_at) < until)
        .group_by(col(LedgerEntry.member_id))
        .having(sa.func.count(sa.distinct(LedgerEntry.brand)) >= 2)
        .subquery()
    )
    query = sa.select(sa.func.count()).select_from(members)
    return int((await session.exec(query)).scalar_one())  # type: ignore[call-overload]
