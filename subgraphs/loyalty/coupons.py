"""Cross-brand coupons: issued by coupon rules, reserved by their member, redeemed by orders.

Lifecycle. A rule (`settings.CouponRule`) issues one coupon per member once the member's paid,
not refunded spend in the rule's brand reaches its threshold (`issue_by_rules`, run by the
`order.paid` consumer). The member reserves it (`reserve`) and gets a coupon token signed with
the key ring (audience "coupon", 15 minutes), which the order subgraph verifies and puts on
the order; `order.paid` marks it REDEEMED (`redeem_for_order`), `order.cancelled` makes it
AVAILABLE again (`release_for_order`). A reservation that lapsed without either counts as
AVAILABLE (and can be reserved again); a coupon past `expires_at` counts as EXPIRED and can no
longer be reserved; both are derived on read (`status_of`), so no sweeper job is needed.

Writes are single conditional UPDATEs (`... WHERE status IN (...)`), so a reservation racing
the order that redeems the coupon can never turn a REDEEMED coupon back into RESERVED.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.auth import ISSUER, KeyRing
from subgraphs.common.database import transaction

from .models import Coupon, OrderEarning, utcnow
from .service import LoyaltyError, NotFound, as_utc
from .settings import CouponRule, LoyaltySettings

log = logging.getLogger("brand_matrix.loyalty")

AVAILABLE, RESERVED, REDEEMED, EXPIRED = "AVAILABLE", "RESERVED", "REDEEMED", "EXPIRED"
STATUSES = (AVAILABLE, RESERVED, REDEEMED, EXPIRED)
STORED_STATUSES = (AVAILABLE, RESERVED, REDEEMED)
TOKEN_AUDIENCE = "coupon"


def new_coupon_id() -> str:
    return f"cpn_{uuid.uuid4().hex[:24]}"


def status_of(coupon: Coupon, now: datetime | None = None) -> str:
    """The status as the member sees it at `now`: a lapsed reservation is AVAILABLE again; an
    unredeemed coupon past its expiry is EXPIRED."""
    now = as_utc(now or utcnow())
    if coupon.status == REDEEMED:
        return REDEEMED
    if as_utc(coupon.expires_at) <= now:
        return EXPIRED
    if coupon.status == RESERVED and (
        coupon.reserved_until is None or as_utc(coupon.reserved_until) <= now
    ):
        return AVAILABLE
    return coupon.status


def with_status(
    coupons: Iterable[Coupon], status: str | None, now: datetime | None = None
) -> list[Coupon]:
    """The coupons (newest first) whose `status_of` is `status` (all when None)."""
    if status is not None and status not in STATUSES:
        raise LoyaltyError(f"unknown coupon status {status!r}")
    ordered = sorted(coupons, key=lambda c: (as_utc(c.issued_at), c.id), reverse=True)
    return [c for c in ordered if status is None or status_of(c, now) == status]


# --- issuing ---------------------------------------------------------------------------------


async def paid_spend(session: AsyncSession, member_id: str, brand: str) -> int:
    """The member's paid spend in `brand`, refunded orders excluded (fen)."""
    query = select(sa.func.coalesce(sa.func.sum(OrderEarning.amount_fen), 0)).where(
        OrderEarning.member_id == member_id,
        OrderEarning.brand == brand,
        col(OrderEarning.refunded_at).is_(None),
    )
    return int((await session.exec(query)).one())


async def issue_by_rules(
    session: AsyncSession,
    member_id: str,
    brands: Iterable[str],
    settings: LoyaltySettings,
    *,
    now: datetime | None = None,
) -> list[Coupon]:
    """Inside the caller's transaction: issue the coupons of every rule on one of `brands`
    whose threshold the member's spend reached, unless the member has that rule's coupon."""
    now = as_utc(now or utcnow())
    touched = set(brands)
    rules = [rule for rule in settings.coupon_rules if rule.spend_brand in touched]
    if not rules:
        return []
    held = set(
        (
            await session.exec(
                select(Coupon.rule_id).where(
                    Coupon.member_id == member_id,
                    col(Coupon.rule_id).in_([rule.id for rule in rules]),
                )
            )
        ).all()
    )
    issued = []
    for rule in rules:
        if rule.id in held:
            continue
        if await paid_spend(session, member_id, rule.spend_brand) >= rule.spend_fen:
            coupon = coupon_for(rule, member_id, now)
            session.add(coupon)
            issued.append(coupon)
    await session.flush()
    return issued


def coupon_for(rule: CouponRule, member_id: str, issued_at: datetime) -> Coupon:
    issued_at = as_utc(issued_at)
    return Coupon(
        id=new_coupon_id(),
        member_id=member_id,
        rule_id=rule.id,
        issued_brand=rule.spend_brand,
        redeemable_brand=rule.coupon_brand,
        value_fen=rule.value_fen,
        min_spend_fen=rule.min_spend_fen,
        status=AVAILABLE,
        issued_at=issued_at,
        expires_at=issued_at + rule.validity,
    )


async def import_coupons(session: AsyncSession, coupons: Iterable[Coupon]) -> int:
    """Bulk-insert coupons in one transaction (commits), e.g. the demo seed's, built with
    `coupon_for(rule, member_id, issued_at)` (then set `status`/`order_id` for redeemed
    ones). A coupon whose id, or (member, rule), exists is skipped: importing twice changes
    nothing. Returns the number written."""
    coupons = list(coupons)
    written = 0
    async with transaction(session):
        members = sorted({c.member_id for c in coupons})
        existing = (
            (await session.exec(select(Coupon).where(col(Coupon.member_id).in_(members)))).all()
            if members
            else []
        )
        ids = {c.id for c in existing}
        pairs = {(c.member_id, c.rule_id) for c in existing}
        for coupon in coupons:
            if coupon.status not in STORED_STATUSES:
                raise LoyaltyError(f"a stored coupon status is one of {STORED_STATUSES}")
            if coupon.id in ids or (coupon.member_id, coupon.rule_id) in pairs:
                continue
            ids.add(coupon.id)
            pairs.add((coupon.member_id, coupon.rule_id))
            session.add(coupon)
            written += 1
        await session.flush()
    return written


# --- reserving -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Reservation:
    coupon: Coupon
    token: str
    expires_at: datetime


def reservation_token(ring: KeyRing, coupon: Coupon, now: datetime, ttl: timedelta) -> str:
    """The coupon token the order subgraph verifies with `ring.decode(token,
    audience="coupon")`."""
    issued = int(as_utc(now).timestamp())
    return ring.sign(
        {
            "iss": ISSUER,
            "aud": TOKEN_AUDIENCE,
            "sub": coupon.member_id,
            "cid": coupon.id,
            "brand": coupon.redeemable_brand,
            "value": coupon.value_fen,
            "min": coupon.min_spend_fen,
            "iat": issued,
            "exp": issued + int(ttl.total_seconds()),
        }
    )


async def reserve(
    session: AsyncSession,
    member_id: str,
    coupon_id: str,
    ring: KeyRing,
    *,
    settings: LoyaltySettings | None = None,
    now: datetime | None = None,
) -> Reservation:
    """Reserve the member's coupon (AVAILABLE, or RESERVED: a new reservation replaces the
    old) for the configured time; refused when it is someone else's or unknown (NOT_FOUND),
    expired or redeemed. Commits."""
    settings = settings or LoyaltySettings()
    now = as_utc(now or utcnow())
    ttl = settings.coupon_reservation
    # seconds precision: the token's exp and the stored reserved_until say the same
    now = now.replace(microsecond=0)
    until = now + ttl
    async with transaction(session):
        result = await session.exec(  # type: ignore[call-overload]
            sa.update(Coupon)
            .where(
                col(Coupon.id) == coupon_id,
                col(Coupon.member_id) == member_id,
                col(Coupon.status).in_([AVAILABLE, RESERVED]),
                col(Coupon.expires_at) > now,
            )
            .values(status=RESERVED, reserved_until=until)
        )
        coupon = await _get(session, coupon_id)
        if not result.rowcount:
            if coupon is None or coupon.member_id != member_id:
                raise NotFound(f"no coupon {coupon_id!r} for this member")
            state = status_of(coupon, now)
            raise LoyaltyError(
                f"coupon {coupon_id!r} is {state.lower()} and cannot be reserved",
                "COUPON_" + state,
            )
    assert coupon is not None
    return Reservation(coupon, reservation_token(ring, coupon, now, ttl), until)


async def _get(session: AsyncSession, coupon_id: str) -> Coupon | None:
    query = select(Coupon).where(Coupon.id == coupon_id).execution_options(populate_existing=True)
    return (await session.exec(query)).first()


# --- order effects (inside the consumer's transaction) ---------------------------------------


async def redeem_for_order(
    session: AsyncSession, member_id: str, coupon_id: str, order_id: str
) -> bool:
    """Mark the coupon REDEEMED by `order_id` (the payment happened: whatever the reservation's
    state now, the order verified the token when it was placed). False, logged, when the
    coupon is not the member's or another order redeemed it."""
    result = await session.exec(  # type: ignore[call-overload]
        sa.update(Coupon)
        .where(
            col(Coupon.id) == coupon_id,
            col(Coupon.member_id) == member_id,
            col(Coupon.status).in_([AVAILABLE, RESERVED]),
        )
        .values(status=REDEEMED, order_id=order_id, reserved_until=None)
    )
    if result.rowcount:
        return True
    coupon = await _get(session, coupon_id)
    if coupon is None or coupon.member_id != member_id or coupon.order_id != order_id:
        log.warning(
            "order %s paid with coupon %s, which member %s cannot redeem (%s)",
            order_id, coupon_id, member_id,
            "unknown" if coupon is None else f"{coupon.status} by {coupon.order_id}",
        )  # fmt: skip
    return False


async def release_for_order(session: AsyncSession, member_id: str, coupon_id: str) -> bool:
    """Make a reserved coupon AVAILABLE again (its order was cancelled before payment)."""
    result = await session.exec(  # type: ignore[call-overload]
        sa.update(Coupon)
        .where(
            col(Coupon.id) == coupon_id,
            col(Coupon.member_id) == member_id,
            col(Coupon.status) == RESERVED,
        )
        .values(status=AVAILABLE, reserved_until=None)
    )
    return bool(result.rowcount)


async def erase_coupons(session: AsyncSession, member_id: str) -> int:
    result = await session.exec(  # type: ignore[call-overload]
        sa.delete(Coupon).where(col(Coupon.member_id) == member_id)
    )
    return result.rowcount or 0


async def coupons_of(session: AsyncSession, member_id: str) -> Sequence[Coupon]:
    return (await session.exec(select(Coupon).where(Coupon.member_id == member_id))).all()
