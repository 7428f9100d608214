"""Deterministic demo ledger (tests now; the demo seed command later).

Three members earning and redeeming across brands, relative to `now` (so the demo's points do
not expire as the calendar moves): M-1001 is GOLD with points earned in two brands and spent
in a third, M-1002 is SILVER with some points already expired, M-1003 has just joined.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from . import service
from .models import utcnow

DAY = timedelta(days=1)
# member, brand, delta (+earn / -redeem), key, days before now, validity in days (earn)
LEDGER = [
    ("M-1001", "lumen", 3000, "demo-1", 60, 365),
    ("M-1001", "aurora", 2500, "demo-2", 30, 365),
    ("M-1001", "verde", -800, "demo-3", 10, None),
    ("M-1002", "aurora", 400, "demo-4", 400, 365),  # expired 35 days ago
    ("M-1002", "lumen", 1200, "demo-5", 20, 365),
    ("M-1002", "lumen", -200, "demo-6", 5, None),
    ("M-1003", "verde", 100, "demo-7", 1, 365),
]  # fmt: skip


async def seed_demo(session: AsyncSession, now: datetime | None = None) -> list[service.Posting]:
    """Post the demo ledger (idempotent: seeding twice changes nothing)."""
    now = service.as_utc(now or utcnow())
    postings = []
    for member, brand, delta, key, days_ago, validity in LEDGER:
        at = now - days_ago * DAY
        if delta > 0:
            posting = await service.earn(
                session, member, brand, delta, key,
                expires_at=at + validity * DAY, reason="demo order", now=at,
            )  # fmt: skip
        else:
            posting = await service.redeem(
                session, member, brand, -delta, key, reason="demo reward", now=at
            )
        postings.append(posting)
    return postings
