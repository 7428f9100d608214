"""Per-request DataLoaders: one SELECT per table per batch, whatever the number of members."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.loaders import KeyedLoader, ModelListLoader, ModelLoader

from .models import Address, BrandAccount, ConsentRecord, Engagement, Member, PaymentMethod
from .service import latest


class MemberById(ModelLoader[str, Member]):
    model = Member


class AccountsByMember(ModelListLoader[str, BrandAccount]):
    model = BrandAccount
    column = "member_id"
    order_by = "id"  # the brand app where the member joined comes first


class AddressesByMember(ModelListLoader[str, Address]):
    model = Address
    column = "member_id"
    order_by = "created_at"


class AddressById(ModelLoader[str, Address]):
    model = Address


class PaymentMethodsByMember(ModelListLoader[str, PaymentMethod]):
    model = PaymentMethod
    column = "member_id"
    order_by = "created_at"


class PaymentMethodById(ModelLoader[str, PaymentMethod]):
    model = PaymentMethod


class EngagementByMember(ModelLoader[str, Engagement]):
    model = Engagement
    column = "member_id"


class ConsentByMember(KeyedLoader[str, ConsentRecord]):
    """The current (latest) consent record of each member."""

    async def fetch(
        self, session: AsyncSession, keys: Sequence[str]
    ) -> Mapping[str, ConsentRecord]:
        query = select(ConsentRecord).where(col(ConsentRecord.member_id).in_(keys))
        grouped: dict[str, list[ConsentRecord]] = {}
        for row in (await session.exec(query)).all():
            grouped.setdefault(row.member_id, []).append(row)
        return {key: record for key, rows in grouped.items() if (record := latest(rows))}


LOADERS = {
    "member": MemberById,
    "accounts": AccountsByMember,
    "addresses": AddressesByMember,
    "address": AddressById,
    "payment_methods": PaymentMethodsByMember,
    "payment_method": PaymentMethodById,
    "engagement": EngagementByMember,
    "consent": ConsentByMember,
}
