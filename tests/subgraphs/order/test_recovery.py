"""A provider outage between placement and charge: the order stays PLACED with an error, and
replaying the same key charges the same attempt once (no second order or charge)."""

from __future__ import annotations

from subgraphs.order.models import Order
from subgraphs.order.payments import InMemorySandboxProvider

from .conftest import REPLICAS, add, count, deliver, placed


class FlakyProvider(InMemorySandboxProvider):
    def __init__(self) -> None:
        super().__init__()
        self.down = True
        self.calls: list[str] = []

    async def charge(self, amount_fen, token, idempotency_key):
        self.calls.append(idempotency_key)
        if self.down:
            raise ConnectionError("provider unreachable")
        return await super().charge(amount_fen, token, idempotency_key)


async def test_replaying_the_key_settles_the_interrupted_payment(make_app):
    provider = FlakyProvider()
    app = make_app(payments=provider)
    await deliver(app, *REPLICAS)
    await add(app, "lumen:SKU-1")
    first = await placed(app, key="once")
    assert first["status"] == "PLACED" and first["payment"]["status"] == "PENDING"
    assert "did not answer" in first["payment"]["error"]
    provider.down = False
    again = await placed(app, key="once")
    assert again["id"] == first["id"] and again["status"] == "PAID"
    assert len(set(provider.calls)) == 1 and len(provider.charges) == 1  # one provider key
    assert await count(app, Order) == 1
