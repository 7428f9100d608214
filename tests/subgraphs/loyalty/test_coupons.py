"""Cross-brand coupons through GraphQL: listing, reserving (signed token), lapsing, expiry,
redemption on order.paid and release on order.cancelled."""

from __future__ import annotations

import time
from datetime import datetime, timedelta

import pytest

from subgraphs.common.auth import AUDIENCE, AuthError
from subgraphs.loyalty import coupons
from subgraphs.loyalty.settings import DEFAULT_COUPON_RULES

from .conftest import RING, as_member, as_operator, data, error_code, gql
from .events import DAY, NOW, cancelled, deliver, line, paid

RESERVE = (
    "mutation($c: ID!) { reserveCoupon(couponId: $c) { couponToken expiresAt "
    "coupon { id status redeemableBrand valueFen minSpendFen reservedUntil } } }"
)
COUPONS = (
    "query($m: _Any!, $s: CouponStatus) { _entities(representations: [$m]) "
    "{ ... on Member { coupons(status: $s) { id status orderId } } } }"
)


async def listed(app, member: str, status: str | None = None) -> list[dict]:
    rep = {"__typename": "Member", "id": member}
    got = await data(app, COUPONS, {"m": rep, "s": status}, token=as_member(member))
    return got["_entities"][0]["coupons"]


async def issued_coupon(app, member: str = "M-1") -> str:
    await deliver(app, paid(f"O-{member}", member, [line("lumen", 50_000)]))
    (coupon,) = await listed(app, member)
    return coupon["id"]


async def test_reservation_token_is_signed_for_the_coupon_audience(app):
    coupon_id = await issued_coupon(app)
    before = int(time.time())
    got = (await data(app, RESERVE, {"c": coupon_id}, token=as_member("M-1")))["reserveCoupon"]
    assert got["coupon"] == {
        "id": coupon_id,
        "status": "RESERVED",
        "redeemableBrand": "vitalis",
        "valueFen": 3_000,
        "minSpendFen": 10_000,
        "reservedUntil": got["expiresAt"],
    }
    claims = RING.decode(got["couponToken"], audience="coupon")
    assert before <= claims["iat"] <= int(time.time())
    assert claims == {
        "iss": "brand-matrix",
        "aud": "coupon",
        "sub": "M-1",
        "cid": coupon_id,
        "brand": "vitalis",
        "value": 3_000,
        "min": 10_000,
        "iat": claims["iat"],
        "exp": claims["iat"] + 900,
    }
    assert datetime.fromisoformat(got["expiresAt"]).timestamp() == claims["exp"]
    with pytest.raises(AuthError):
        RING.decode(got["couponToken"], audience=AUDIENCE)  # not an access token
    with pytest.raises(AuthError):
        RING.decode(got["couponToken"], audience="order")
    assert [c["status"] for c in await listed(app, "M-1", "RESERVED")] == ["RESERVED"]
    assert await listed(app, "M-1", "AVAILABLE") == []


async def test_only_the_owner_reserves_and_unknown_coupons_are_not_found(app):
    coupon_id = await issued_coupon(app)
    body = await gql(app, RESERVE, {"c": coupon_id}, token=as_member("M-2"))
    assert error_code(body) == "NOT_FOUND" and body["data"] is None
    body = await gql(app, RESERVE, {"c": "cpn_nope"}, token=as_member("M-1"))
    assert error_code(body) == "NOT_FOUND"
    body = await gql(app, RESERVE, {"c": coupon_id}, token=as_operator())
    assert error_code(body) == "FORBIDDEN"
    body = await gql(app, RESERVE, {"c": coupon_id})
    assert error_code(body) == "UNAUTHENTICATED"
    assert [c["status"] for c in await listed(app, "M-1")] == ["AVAILABLE"]


async def test_a_lapsed_reservation_is_available_again(app):
    coupon_id = await issued_coupon(app)
    async with app.state.database.session() as s:
        await coupons.reserve(s, "M-1", coupon_id, RING, now=NOW - timedelta(minutes=16))
    assert [c["status"] for c in await listed(app, "M-1", "AVAILABLE")] == ["AVAILABLE"]
    assert await listed(app, "M-1", "RESERVED") == []
    got = await data(app, RESERVE, {"c": coupon_id}, token=as_member("M-1"))
    assert got["reserveCoupon"]["coupon"]["status"] == "RESERVED"


async def test_an_expired_coupon_cannot_be_reserved(app):
    rule = DEFAULT_COUPON_RULES[0]
    old = coupons.coupon_for(rule, "M-1", NOW - 31 * DAY)
    async with app.state.database.session() as s:
        assert await coupons.import_coupons(s, [old]) == 1
        assert await coupons.import_coupons(s, [old]) == 0  # importing twice: no change
    assert [c["status"] for c in await listed(app, "M-1", "EXPIRED")] == ["EXPIRED"]
    body = await gql(app, RESERVE, {"c": old.id}, token=as_member("M-1"))
    assert error_code(body) == "COUPON_EXPIRED"
    assert body["errors"][0]["message"] == f"coupon {old.id!r} is expired and cannot be reserved"
    # and the rule does not issue a second one to the member
    await deliver(app, paid("O-1", "M-1", [line("lumen", 60_000)]))
    assert len(await listed(app, "M-1")) == 1


async def test_order_paid_redeems_the_coupon(app):
    coupon_id = await issued_coupon(app)
    await data(app, RESERVE, {"c": coupon_id}, token=as_member("M-1"))
    order = paid("O-9", "M-1", [line("vitalis", 12_000)], coupon_id=coupon_id, paid_at=NOW)
    await deliver(app, order, order)
    assert await listed(app, "M-1") == [{"id": coupon_id, "status": "REDEEMED", "orderId": "O-9"}]
    body = await gql(app, RESERVE, {"c": coupon_id}, token=as_member("M-1"))
    assert error_code(body) == "COUPON_REDEEMED"
    # another order naming the redeemed coupon does not take it over
    await deliver(app, paid("O-10", "M-1", [line("vitalis", 12_000)], coupon_id=coupon_id))
    assert (await listed(app, "M-1"))[0]["orderId"] == "O-9"


async def test_order_cancelled_releases_the_reservation(app):
    coupon_id = await issued_coupon(app)
    await data(app, RESERVE, {"c": coupon_id}, token=as_member("M-1"))
    await deliver(app, cancelled("O-7", "M-2", coupon_id))  # not M-2's coupon: no change
    assert [c["status"] for c in await listed(app, "M-1")] == ["RESERVED"]
    await deliver(app, cancelled("O-9", "M-1", coupon_id), cancelled("O-8", "M-1", None))
    assert [c["status"] for c in await listed(app, "M-1")] == ["AVAILABLE"]
    async with app.state.database.session() as s:
        (row,) = await coupons.coupons_of(s, "M-1")
        assert row.status == "AVAILABLE" and row.reserved_until is None


async def test_unknown_status_filter_is_refused(app):
    rep = {"__typename": "Member", "id": "M-1"}
    body = await gql(app, COUPONS, {"m": rep, "s": "LOST"}, token=as_member("M-1"))
    assert "errors" in body
