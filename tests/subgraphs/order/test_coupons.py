"""Coupon tokens at placement: applied to their brand's lines, refused for another member,
another brand, below the minimum, expired, or when another live order holds the coupon."""

from __future__ import annotations

import time

from subgraphs.common.auth import ISSUER
from subgraphs.order.models import Order

from .conftest import ALICE, BOB, RING, add, count, error_code, outbox, place, placed

CANCEL = "mutation($o: ID!) { cancelOrder(orderId: $o) { status } }"


def coupon(member=ALICE, cid="cpn_1", brand="lumen", value=3_000, minimum=10_000, ttl=900):
    now = int(time.time())
    claims = {"iss": ISSUER, "aud": "coupon", "sub": member, "cid": cid, "brand": brand,
              "value": value, "min": minimum, "iat": now, "exp": now + ttl}  # fmt: skip
    return RING.sign(claims)


async def test_a_coupon_discounts_its_brands_lines(seeded):
    await add(seeded, "lumen:SKU-1", 1)  # 12_000
    await add(seeded, "lumen:SKU-2", 1)  # 5_000
    await add(seeded, "vitalis:SKU-1", 1)  # 8_000, not discounted
    order = await placed(seeded, coupon=coupon(value=1_000))
    assert (order["subtotalFen"], order["discountFen"], order["totalFen"]) == (
        25_000,
        1_000,
        24_000,
    )
    assert order["couponId"] == "cpn_1" and order["status"] == "PAID"
    shares = [(ln["skuId"], ln["discountFen"], ln["amountFen"]) for ln in order["lines"]]
    assert shares == [
        ("lumen:SKU-1", 706, 11_294),  # 1000 * 12000 // 17000 = 705, +1 of the rest
        ("lumen:SKU-2", 294, 4_706),
        ("vitalis:SKU-1", 0, 8_000),
    ]
    (paid,) = await outbox(seeded, "order.paid")
    assert paid[2]["couponId"] == "cpn_1" and paid[2]["totalFen"] == 24_000
    assert sum(line["amountFen"] for line in paid[2]["lines"]) == 24_000


async def test_the_discount_never_exceeds_the_brand_lines(seeded):
    await add(seeded, "lumen:SKU-2", 1)  # 5_000
    await add(seeded, "vitalis:SKU-1", 1)
    order = await placed(seeded, coupon=coupon(value=9_000, minimum=0))
    assert (order["discountFen"], order["totalFen"]) == (5_000, 8_000)


async def test_refused_coupons(seeded):
    await add(seeded, "lumen:SKU-2", 1)  # 5_000 of lumen
    for token, code in [
        (coupon(member=BOB), "INVALID_COUPON"),
        (coupon(brand="vitalis", minimum=0), "COUPON_NOT_APPLICABLE"),
        (coupon(minimum=5_001), "COUPON_NOT_APPLICABLE"),
        (coupon(ttl=-60), "INVALID_COUPON"),
        (coupon()[:-4] + "AAAA", "INVALID_COUPON"),
    ]:
        body = await place(seeded, coupon=token, key=f"k{code}{len(token)}")
        assert body["data"] is None and error_code(body) == code, body
    assert await count(seeded, Order) == 0


async def test_a_coupon_backs_one_live_order(seeded):
    await add(seeded, "lumen:SKU-1")
    first = await placed(seeded, coupon=coupon(minimum=0), key="a", method="pm_decline")
    await add(seeded, "lumen:SKU-1")
    body = await place(seeded, coupon=coupon(minimum=0), key="b")
    assert error_code(body) == "COUPON_ALREADY_USED"
    # cancelling the unpaid order frees the coupon
    from .conftest import as_member, data

    await data(seeded, CANCEL, {"o": first["id"]}, token=as_member(ALICE))
    assert (await placed(seeded, coupon=coupon(minimum=0), key="c"))["discountFen"] == 3_000
    cancelled = await outbox(seeded, "order.cancelled")
    assert [e[2] for e in cancelled] == [
        {"orderId": first["id"], "memberId": ALICE, "couponId": "cpn_1"}
    ]
