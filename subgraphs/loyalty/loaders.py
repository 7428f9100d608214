"""Per-request DataLoaders: one SELECT per table per batch, whatever the number of members."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.loaders import KeyedLoader, ModelListLoader, ModelLoader

from . import kpis
from .models import Account, Coupon, LedgerEntry


class EntriesByMember(ModelListLoader[str, LedgerEntry]):
    model = LedgerEntry
    column = "member_id"
    order_by = "id"


class AccountByMember(ModelLoader[str, Account]):
    model = Account
    column = "member_id"


class CouponsByMember(ModelListLoader[str, Coupon]):
    model = Coupon
    column = "member_id"
    order_by = "issued_at"


Window = tuple[datetime, datetime]


class MultiBrandPointsMembers(KeyedLoader[Window, int]):
    """The KPI per (since, until) window: one query per distinct window in the request."""

    async def fetch(self, session: AsyncSession, keys: Sequence[Window]) -> Mapping[Window, int]:
        return {
            key: await kpis.multi_brand_points_members(session, *key) for key in dict.fromkeys(keys)
        }


LOADERS = {
    "entries": EntriesByMember,
    "account": AccountByMember,
    "coupons": CouponsByMember,
    "multi_brand_points_members": MultiBrandPointsMembers,
}
