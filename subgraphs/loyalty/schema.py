"""The loyalty Strawberry federation schema (central: one deployment for every brand).

`Member @key(fields: "id")` (owned by the member subgraph) gains `points` (spendable now),
`lifetimePoints`, `tier` (group-wide: the same whichever brand asks) and `pointsHistory`.
Any member ID resolves: one without ledger entries has 0 points and the lowest tier.
`earnPoints` / `redeemPoints` take an idempotency key (per member) and record the brand of
the `x-brand` header. Points are `Int`. Authorization comes with issue 8.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from subgraphs.common.context import SubgraphContext

from . import service
from .models import LedgerEntry


class LoyaltyContext(SubgraphContext):
    """The request context (`create_app` sets the settings)."""

    loyalty_settings: service.LoyaltySettings = service.LoyaltySettings()


Info = strawberry.Info[LoyaltyContext, None]


@strawberry.enum(description="Group-wide tier, from lifetime earned points.")
class Tier(Enum):
    MEMBER = "MEMBER"
    SILVER = "SILVER"
    GOLD = "GOLD"
    PLATINUM = "PLATINUM"


assert tuple(t.value for t in Tier) == service.TIER_NAMES


@strawberry.type(description="One ledger entry: points earned (positive) or redeemed.")
class PointsEntry:
    id: strawberry.ID
    brand: str = strawberry.field(description="The brand where the points were earned/spent.")
    delta: int = strawberry.field(description="Points: positive earned, negative redeemed.")
    reason: str
    created_at: datetime
    expires_at: datetime | None = strawberry.field(
        description="When earned points stop being spendable; null: never (or a redemption)."
    )

    @classmethod
    def of(cls, row: LedgerEntry) -> PointsEntry:
        return cls(
            id=strawberry.ID(str(row.id)),
            brand=row.brand,
            delta=row.delta,
            reason=row.reason,
            created_at=service.as_utc(row.created_at),
            expires_at=None if row.expires_at is None else service.as_utc(row.expires_at),
        )


@strawberry.type(description="A tier and the lifetime earned points from which it applies.")
class TierLevel:
    tier: Tier
    threshold: int


@strawberry.federation.type(keys=["id"], description="A group member (owned by member).")
class Member:
    id: strawberry.ID

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Member:
        return cls(id=strawberry.ID(str(kwargs.get("id", ""))))

    @strawberry.field(description="Points spendable now, group-wide (expired points excluded).")
    async def points(self, info: Info) -> int:
        return service.balance(await info.context.loader("entries").load(self.id))

    @strawberry.field(description="All points ever earned (the tier's basis).")
    async def lifetime_points(self, info: Info) -> int:
        account = await info.context.loader("account").load(self.id)
        return 0 if account is None else account.lifetime_earned

    @strawberry.field(description="Group-wide tier: the same in every brand.")
    async def tier(self, info: Info) -> Tier:
        account = await info.context.loader("account").load(self.id)
        lifetime = 0 if account is None else account.lifetime_earned
        return Tier(service.tier_for(lifetime, info.context.loyalty_settings.tiers))

    @strawberry.field(description="Ledger entries, newest first (`first` at most 100).")
    async def points_history(
        self, info: Info, first: int | None = service.DEFAULT_HISTORY
    ) -> list[PointsEntry]:
        service.history_size(first)  # refuse a negative `first` before loading
        rows = await info.context.loader("entries").load(self.id)
        return [PointsEntry.of(row) for row in service.history(rows, first)]


@strawberry.type(description="The outcome of earnPoints / redeemPoints.")
class PointsPosting:
    entry: PointsEntry
    member: Member
    replayed: bool = strawberry.field(
        description="True when the key was used before: the first request's entry, no change."
    )

    @classmethod
    def of(cls, posting: service.Posting) -> PointsPosting:
        return cls(
            entry=PointsEntry.of(posting.entry),
            member=Member(id=strawberry.ID(posting.entry.member_id)),
            replayed=posting.replayed,
        )


def _brand(info: Info) -> str:
    brand = info.context.brand
    if not brand:
        raise service.LoyaltyError("the x-brand header is required")
    return brand


@strawberry.type
class Query:
    @strawberry.field(description="The tiers and their thresholds, lowest first.")
    def loyalty_tiers(self, info: Info) -> list[TierLevel]:
        return [
            TierLevel(tier=Tier(name), threshold=threshold)
            for name, threshold in info.context.loyalty_settings.tiers
        ]


@strawberry.type
class Mutation:
    @strawberry.mutation(
        description="Credit points earned in the x-brand brand; idempotent by key per member. "
        "expiresAt defaults to the configured validity."
    )
    async def earn_points(
        self,
        info: Info,
        member_id: strawberry.ID,
        points: int,
        idempotency_key: str,
        reason: str = "earn",
        expires_at: datetime | None = None,
    ) -> PointsPosting:
        brand = _brand(info)
        async with info.context.db() as session:
            posting = await service.earn(
                session, str(member_id), brand, points, idempotency_key,
                expires_at=expires_at, reason=reason, settings=info.context.loyalty_settings,
            )  # fmt: skip
        return PointsPosting.of(posting)

    @strawberry.mutation(
        description="Spend points in the x-brand brand; idempotent by key per member; refused "
        "(nothing written) beyond the spendable balance."
    )
    async def redeem_points(
        self,
        info: Info,
        member_id: strawberry.ID,
        points: int,
        idempotency_key: str,
        reason: str = "redeem",
    ) -> PointsPosting:
        brand = _brand(info)
        async with info.context.db() as session:
            posting = await service.redeem(
                session, str(member_id), brand, points, idempotency_key, reason=reason
            )
        return PointsPosting.of(posting)


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[Member], federation_version="2.9"
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/loyalty.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
