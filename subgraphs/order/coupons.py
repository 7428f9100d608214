"""Coupon tokens (issued by loyalty's `reserveCoupon`) and the discount they give.

A token is a JWT signed with the shared key ring, audience "coupon", claims
{sub: member id, cid: coupon id, brand: the brand it is redeemable in, value: discount fen,
min: minimum spend fen, exp}. It applies to that brand's lines only, when their subtotal is at
least `min`; the discount never exceeds that subtotal (an order never goes below 0) and is
spread over those lines in proportion to their amounts (integer fen, the rest to the first
lines with room), so each line's paid amount stays exact.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from subgraphs.common.auth import AuthError, KeyRing

from .errors import CouponRefused
from .models import BRAND_LENGTH, ID_LENGTH, OrderLine

AUDIENCE = "coupon"
MAX_TOKEN_LENGTH = 4096
INVALID_COUPON = "INVALID_COUPON"


@dataclass(frozen=True)
class CouponClaim:
    coupon_id: str
    brand: str
    value_fen: int
    min_spend_fen: int


def _count(value: object, minimum: int) -> int | None:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        return None
    return value


def verify(ring: KeyRing, token: str, member_id: str) -> CouponClaim:
    """The token's claims, checked: signature, audience, expiry, that it is this member's."""
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise CouponRefused("the coupon token is malformed", INVALID_COUPON)
    try:
        claims = ring.decode(token, audience=AUDIENCE)
    except AuthError as error:
        raise CouponRefused(
            f"the coupon token is not valid: {error.message}", INVALID_COUPON
        ) from None
    if claims.get("sub") != member_id:
        raise CouponRefused("the coupon belongs to another member", INVALID_COUPON)
    coupon_id, brand = claims.get("cid"), claims.get("brand")
    value, minimum = _count(claims.get("value"), 1), _count(claims.get("min"), 0)
    if (
        not isinstance(coupon_id, str)
        or not 0 < len(coupon_id) <= ID_LENGTH
        or not isinstance(brand, str)
        or not 0 < len(brand) <= BRAND_LENGTH
        or value is None
        or minimum is None
    ):
        raise CouponRefused("the coupon token lacks valid coupon claims", INVALID_COUPON)
    return CouponClaim(coupon_id, brand, value, minimum)


def apply(claim: CouponClaim, lines: Sequence[OrderLine]) -> int:
    """Set `discount_fen` / `amount_fen` on the coupon brand's lines; the discount given.
    Refused when the order has none of the brand's products or spends less than `min` there."""
    eligible = [line for line in lines if line.brand == claim.brand]
    base = sum(line.subtotal_fen for line in eligible)
    if not eligible:
        raise CouponRefused(f"the coupon is for {claim.brand} products; the order has none")
    if base < claim.min_spend_fen:
        raise CouponRefused(
            f"the coupon needs at least {claim.min_spend_fen} fen of {claim.brand} products "
            f"(the order has {base})"
        )
    discount = min(claim.value_fen, base)
    shares = [discount * line.subtotal_fen // base for line in eligible] if base else []
    rest = discount - sum(shares)
    for i, line in enumerate(eligible):
        extra = min(rest, line.subtotal_fen - shares[i])
        shares[i] += extra
        rest -= extra
    for line, share in zip(eligible, shares, strict=True):
        line.discount_fen = share
        line.amount_fen = line.subtotal_fen - share
    return discount
