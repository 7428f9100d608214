"""The loyalty Strawberry federation schema (central: one deployment for every brand).

`Member @key(fields: "id")` (owned by the member subgraph) gains `points` (spendable now),
`lifetimePoints`, `tier` (group-wide: the same whichever brand asks), `pointsHistory` and
`coupons(status)`. Any member ID resolves: one without ledger entries has 0 points and the
lowest tier. `earnPoints` / `redeemPoints` take an idempotency key (per member) and record the
brand of the `x-brand` header. Points are `Int`, money integer fen.
`GroupKpis @key(fields: "since until")` (owned by the order subgraph) gains
`multiBrandPointsMembers`.

Authorization (access token claims, `subgraphs.common.auth` guards):
- `earnPoints`: a service token with scope `loyalty:earn`, a group operator, or staff of the
  `x-brand` brand; never a member.
- `redeemPoints`, `reserveCoupon`: the member themself.
- Member `points`, `lifetimePoints`, `tier`, `pointsHistory`, `coupons`: the member themself or
  a group operator.
- `GroupKpis`: group operators only. `loyaltyTiers` is public.
"""

from __future__ import annotations

from datetime import datetime
from enum import Enum

import strawberry

from subgraphs.common import access, auth
from subgraphs.common.context import SubgraphContext

from . import coupons, kpis, service
from .models import Coupon as CouponRow
from .models import LedgerEntry, utcnow


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


@strawberry.enum(description="A coupon's status now (a lapsed reservation is AVAILABLE again).")
class CouponStatus(Enum):
    AVAILABLE = "AVAILABLE"
    RESERVED = "RESERVED"
    REDEEMED = "REDEEMED"
    EXPIRED = "EXPIRED"


assert tuple(s.value for s in CouponStatus) == coupons.STATUSES


@strawberry.type(description="A cross-brand coupon: earned in one brand, spent in another.")
class Coupon:
    id: strawberry.ID
    rule_id: str = strawberry.field(description="The coupon rule that issued it.")
    issued_brand: str = strawberry.field(description="The brand whose spend earned it.")
    redeemable_brand: str = strawberry.field(description="The brand where it can be spent.")
    value_fen: int = strawberry.field(description="Discount, integer fen.")
    min_spend_fen: int = strawberry.field(description="Minimum order amount, integer fen.")
    status: CouponStatus
    issued_at: datetime
    expires_at: datetime
    reserved_until: datetime | None = strawberry.field(
        description="While RESERVED: when the reservation lapses."
    )
    order_id: strawberry.ID | None = strawberry.field(description="The order that redeemed it.")

    @classmethod
    def of(cls, row: CouponRow, now: datetime | None = None) -> Coupon:
        status = coupons.status_of(row, now)
        reserved = row.reserved_until if status == coupons.RESERVED else None
        return cls(
            id=strawberry.ID(row.id),
            rule_id=row.rule_id,
            issued_brand=row.issued_brand,
            redeemable_brand=row.redeemable_brand,
            value_fen=row.value_fen,
            min_spend_fen=row.min_spend_fen,
            status=CouponStatus(status),
            issued_at=service.as_utc(row.issued_at),
            expires_at=service.as_utc(row.expires_at),
            reserved_until=None if reserved is None else service.as_utc(reserved),
            order_id=None if row.order_id is None else strawberry.ID(row.order_id),
        )


# The gateway refuses everyone else before fetching; `_self_or_operator` still decides whose.
OWN = {"authenticated": True, "requires_scopes": access.MEMBER_OR_OPERATOR}


def _self_or_operator(info: Info, member_id: str) -> None:
    claims = auth.require_claims(info.context.claims)
    if claims.kind != "operator":
        auth.require_self(claims, member_id)


@strawberry.federation.type(keys=["id"], description="A group member (owned by member).")
class Member:
    id: strawberry.ID

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Member:
        return cls(id=strawberry.ID(str(kwargs.get("id", ""))))

    @strawberry.federation.field(
        description="Points spendable now, group-wide (expired points excluded).", **OWN
    )
    async def points(self, info: Info) -> int:
        _self_or_operator(info, self.id)
        return service.balance(await info.context.loader("entries").load(self.id))

    @strawberry.federation.field(description="All points ever earned (the tier's basis).", **OWN)
    async def lifetime_points(self, info: Info) -> int:
        _self_or_operator(info, self.id)
        account = await info.context.loader("account").load(self.id)
        return 0 if account is None else account.lifetime_earned

    @strawberry.federation.field(description="Group-wide tier: the same in every brand.", **OWN)
    async def tier(self, info: Info) -> Tier:
        _self_or_operator(info, self.id)
        account = await info.context.loader("account").load(self.id)
        lifetime = 0 if account is None else account.lifetime_earned
        return Tier(service.tier_for(lifetime, info.context.loyalty_settings.tiers))

    @strawberry.federation.field(
        description="Ledger entries, newest first (`first` at most 100).",
        directives=[access.sliced(service.MAX_HISTORY)],
        **OWN,
    )
    async def points_history(
        self, info: Info, first: int | None = service.DEFAULT_HISTORY
    ) -> list[PointsEntry]:
        _self_or_operator(info, self.id)
        service.history_size(first)  # refuse a negative `first` before loading
        rows = await info.context.loader("entries").load(self.id)
        return [PointsEntry.of(row) for row in service.history(rows, first)]

    @strawberry.federation.field(
        description="The member's coupons, newest first; all when status is null.",
        directives=[access.assumed(50)],  # a few per brand pair and month at most
        **OWN,
    )
    async def coupons(self, info: Info, status: CouponStatus | None = None) -> list[Coupon]:
        _self_or_operator(info, self.id)
        rows = await info.context.loader("coupons").load(self.id)
        now = utcnow()
        wanted = None if status is None else status.value
        return [Coupon.of(row, now) for row in coupons.with_status(rows, wanted, now)]


@strawberry.type(description="A reserved coupon and the token an order presents for it.")
class CouponReservation:
    coupon_token: str = strawberry.field(
        description="Signed coupon token (audience 'coupon'); give it to the order."
    )
    expires_at: datetime = strawberry.field(description="When the reservation lapses.")
    coupon: Coupon


def _parse_moment(value: object, name: str) -> datetime:
    if isinstance(value, datetime):
        return service.as_utc(value)
    try:
        return service.as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise service.LoyaltyError(f"{name} must be an ISO 8601 date-time") from None


@strawberry.federation.type(
    keys=["since until"],
    authenticated=True,
    requires_scopes=access.OPERATOR,
    tags=[access.OPERATOR_TAG],
)
class GroupKpis:
    """Group KPIs over [since, until) (owned by the order subgraph; described there)."""

    since: datetime
    until: datetime

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> GroupKpis:
        auth.require_operator(info.context.claims)
        since = _parse_moment(kwargs.get("since"), "since")
        until = _parse_moment(kwargs.get("until"), "until")
        return cls(since=since, until=until)

    @strawberry.federation.field(
        description="Members with points earned or redeemed in two or more distinct brands "
        "within [since, until). Operators only.",
        authenticated=True,
        requires_scopes=access.OPERATOR,
        tags=[access.OPERATOR_TAG],
        directives=[access.cost(access.AGGREGATE_COST)],
    )
    async def multi_brand_points_members(self, info: Info) -> int:
        auth.require_operator(info.context.claims)
        key = kpis.window(self.since, self.until)
        return await info.context.loader("multi_brand_points_members").load(key)


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


EARN_SCOPE = "loyalty:earn"


def _brand(info: Info) -> str:
    brand = info.context.brand
    if not brand:
        raise service.LoyaltyError("the x-brand header is required")
    return brand


@strawberry.type
class Query:
    @strawberry.federation.field(
        description="The tiers and their thresholds, lowest first.",
        directives=[access.assumed(len(Tier))],
    )
    def loyalty_tiers(self, info: Info) -> list[TierLevel]:
        return [
            TierLevel(tier=Tier(name), threshold=threshold)
            for name, threshold in info.context.loyalty_settings.tiers
        ]


@strawberry.type
class Mutation:
    @strawberry.federation.mutation(
        description="Credit points earned in the x-brand brand; idempotent by key per member. "
        "expiresAt defaults to the configured validity.",
        authenticated=True,
        requires_scopes=[[EARN_SCOPE], *access.STAFF],
        tags=[access.SERVICE_TAG, access.STAFF_TAG],
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
        claims = auth.require_claims(info.context.claims)
        brand = _brand(info)
        if claims.kind == "service":
            auth.require_service(claims, EARN_SCOPE)
        else:
            auth.require_staff(claims, brand)  # operators pass; members never do
        async with info.context.db() as session:
            posting = await service.earn(
                session, str(member_id), brand, points, idempotency_key,
                expires_at=expires_at, reason=reason, settings=info.context.loyalty_settings,
            )  # fmt: skip
        return PointsPosting.of(posting)

    @strawberry.federation.mutation(
        description="Spend points in the x-brand brand; idempotent by key per member; refused "
        "(nothing written) beyond the spendable balance.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def redeem_points(
        self,
        info: Info,
        member_id: strawberry.ID,
        points: int,
        idempotency_key: str,
        reason: str = "redeem",
    ) -> PointsPosting:
        auth.require_self(info.context.claims, str(member_id))
        brand = _brand(info)
        async with info.context.db() as session:
            posting = await service.redeem(
                session, str(member_id), brand, points, idempotency_key, reason=reason
            )
        return PointsPosting.of(posting)

    @strawberry.federation.mutation(
        description="Reserve one of your coupons for an order: a signed coupon token valid "
        "15 minutes; the coupon is RESERVED until then (AVAILABLE again if no order uses it).",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def reserve_coupon(self, info: Info, coupon_id: strawberry.ID) -> CouponReservation:
        claims = auth.require_member(info.context.claims)
        ring = info.context.key_ring or auth.KeyRing.from_env()
        async with info.context.db() as session:
            reservation = await coupons.reserve(
                session, claims.subject, str(coupon_id), ring,
                settings=info.context.loyalty_settings,
            )  # fmt: skip
        return CouponReservation(
            coupon_token=reservation.token,
            expires_at=reservation.expires_at,
            coupon=Coupon.of(reservation.coupon),
        )


schema = strawberry.federation.Schema(
    query=Query, mutation=Mutation, types=[Member, GroupKpis], federation_version="2.9"
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/loyalty.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
