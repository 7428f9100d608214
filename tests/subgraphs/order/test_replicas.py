"""The `order` consumer keeps the replicas: each event applied once per id, removals, SKU
changes, malformed events skipped."""

from __future__ import annotations

from subgraphs.order.models import ReplicaAddress, ReplicaPaymentMethod, ReplicaSku

from .conftest import ALICE, BOB, REPLICAS, address, count, deliver, event, sku


async def replica(app, model, key):
    async with app.state.database.session() as session:
        return await session.get(model, key)


async def test_events_delivered_twice_apply_once(app):
    await deliver(app, *REPLICAS)
    await deliver(app, *REPLICAS)  # redelivery: the same event ids
    assert await count(app, ReplicaAddress) == 2
    assert await count(app, ReplicaPaymentMethod) == 4
    assert await count(app, ReplicaSku) == 4
    row = await replica(app, ReplicaSku, "lumen:SKU-1")
    assert (row.brand, row.product_id, row.price_fen, row.active) == (
        "lumen", "lumen:P-SKU-1", 12_000, True,
    )  # fmt: skip
    method = await replica(app, ReplicaPaymentMethod, "pm_ok")
    assert (method.member_id, method.token) == (ALICE, "tok_sandbox_alice")


async def test_saves_update_and_removals_delete(seeded):
    await deliver(seeded, address(ALICE, "adr_a1", city="Hangzhou"))
    assert (await replica(seeded, ReplicaAddress, "adr_a1")).city == "Hangzhou"
    await deliver(seeded, sku("lumen", "SKU-1", 9_900, active=False))
    row = await replica(seeded, ReplicaSku, "lumen:SKU-1")
    assert (row.price_fen, row.active) == (9_900, False)
    await deliver(
        seeded,
        event("member.address.removed", {"memberId": ALICE, "addressId": "adr_a1"}),
        event("member.payment_method.removed", {"memberId": ALICE, "paymentMethodId": "pm_ok"}),
        # another member's id: not theirs, nothing removed
        event("member.address.removed", {"memberId": ALICE, "addressId": "adr_b1"}),
    )
    assert await replica(seeded, ReplicaAddress, "adr_a1") is None
    assert await replica(seeded, ReplicaPaymentMethod, "pm_ok") is None
    assert (await replica(seeded, ReplicaAddress, "adr_b1")).member_id == BOB


async def test_malformed_events_are_skipped(app):
    await deliver(
        app,
        event("catalogue.sku.changed", {"brand": "lumen", "skuId": "x", "priceFen": -1}),
        event("member.address.saved", {"memberId": ALICE, "address": "nope"}),
        event("member.payment_method.saved", {"memberId": "x" * 500, "paymentMethod": {}}),
    )
    assert await count(app, ReplicaSku) == 0
    assert await count(app, ReplicaAddress) == 0
    assert await count(app, ReplicaPaymentMethod) == 0
