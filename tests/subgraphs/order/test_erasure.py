"""member.erased: replicas and cart deleted, order personal data wiped, amounts kept,
erasure.completed recorded once."""

from __future__ import annotations

from sqlmodel import select

from subgraphs.order.models import (
    CartLine,
    Order,
    PaymentAttempt,
    ReplicaAddress,
    ReplicaPaymentMethod,
)

from .conftest import ALICE, BOB, add, as_member, count, data, deliver, event, outbox, placed

ORDER = "query($id: ID!) { order(id: $id) { totalFen status shippingAddress { city } } }"


async def test_erasure_wipes_personal_data_once(seeded):
    await add(seeded, "lumen:SKU-1")
    order = await placed(seeded)
    await add(seeded, "lumen:SKU-2")
    await add(seeded, "lumen:SKU-2", member=BOB)
    erased = event("member.erased", {"memberId": ALICE, "requestId": "req-7"}, "member:erase:1")
    await deliver(seeded, erased)
    await deliver(seeded, erased)  # redelivered: nothing twice
    assert await count(seeded, ReplicaAddress, ReplicaAddress.member_id == ALICE) == 0
    assert await count(seeded, ReplicaPaymentMethod, ReplicaPaymentMethod.member_id == ALICE) == 0
    assert await count(seeded, CartLine, CartLine.member_id == ALICE) == 0
    assert await count(seeded, CartLine, CartLine.member_id == BOB) == 1  # others untouched
    assert await count(seeded, ReplicaAddress) == 1
    async with seeded.state.database.session() as session:
        row = (await session.exec(select(Order))).one()
        attempt = (await session.exec(select(PaymentAttempt))).one()
    assert row.member_id == ALICE and row.total_fen == 12_000  # kept for accounting
    assert (row.ship_recipient, row.ship_phone, row.ship_line1, row.ship_city) == (None,) * 4
    assert row.erased_at is not None and attempt.token is None
    got = await data(seeded, "query($id: ID!) { order(id: $id) { totalFen shippingAddress "
                     "{ city } } }", {"id": order["id"]}, token=as_member(ALICE))  # fmt: skip
    assert got["order"] == {"totalFen": 12_000, "shippingAddress": None}
    completed = await outbox(seeded, "erasure.completed")
    assert [(e[0], e[2]) for e in completed] == [
        ("erasure:req-7:order", {"memberId": ALICE, "requestId": "req-7", "participant": "order"})
    ]
