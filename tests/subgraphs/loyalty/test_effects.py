"""The `loyalty` consumer: order.paid / order.refunded on the ledger, member.erased."""

from __future__ import annotations

import asyncio

from sqlmodel import select

from subgraphs.common.bus import InProcessBus
from subgraphs.common.events import Event, ProcessedEvent
from subgraphs.loyalty import coupons, effects, service
from subgraphs.loyalty.models import Account, Coupon, LedgerEntry, OrderEarning
from subgraphs.loyalty.settings import LoyaltySettings

from .conftest import as_member, gql, row_counts
from .events import DAY, NOW, deliver, erased, line, outbox, paid, refunded

RATES = LoyaltySettings.from_mapping(
    {
        "earning": {
            "brands": {"lumen": {"points": 2, "per_fen": 100}},
            "categories": {"lumen": {"makeup": {"points": 5, "per_fen": 100}}},
        }
    }
)
ORDER = [
    line("lumen", 10_050, "skincare"),  # brand rate 2/yuan: 201
    line("vitalis", 12_345, "vitamins"),  # default 1/yuan: 123
    line("lumen", 1_999, "makeup"),  # category rate 5/yuan: 99 (99.95 rounded down)
]


async def ledger(app, member: str) -> list[tuple[str, int, str, str]]:
    async with app.state.database.session() as s:
        return [(e.brand, e.delta, e.idempotency_key, e.reason)
                for e in await service.entries_of(s, member)]  # fmt: skip


async def spendable(app, member: str) -> int:
    async with app.state.database.session() as s:
        return service.balance(await service.entries_of(s, member))


async def lifetime(app, member: str) -> int:
    async with app.state.database.session() as s:
        account = await s.get(Account, member)
        return 0 if account is None else account.lifetime_earned


async def test_order_paid_earns_per_brand_at_its_rates_once(make_app):
    app = make_app(RATES)
    event = paid("O-1", "M-1", ORDER)
    await deliver(app, event, event)  # redelivered
    # the same order announced again under another event id changes nothing either
    await deliver(app, Event("order:O-1:paid-again", event.topic, event.payload, event.occurred_at))
    assert await ledger(app, "M-1") == [
        ("lumen", 300, "order:O-1:lumen", "order O-1"),
        ("vitalis", 123, "order:O-1:vitalis", "order O-1"),
    ]
    assert await spendable(app, "M-1") == 423 and await lifetime(app, "M-1") == 423
    async with app.state.database.session() as s:
        entry = (await s.exec(select(LedgerEntry).limit(1))).one()
        assert service.as_utc(entry.created_at) == NOW - DAY  # dated paidAt
        assert service.as_utc(entry.expires_at) == NOW - DAY + RATES.points_validity
        earnings = (await s.exec(select(OrderEarning).order_by(OrderEarning.brand))).all()
        assert [(e.brand, e.amount_fen, e.points) for e in earnings] == [
            ("lumen", 12_049, 300), ("vitalis", 12_345, 123)
        ]  # fmt: skip
        processed = (await s.exec(select(ProcessedEvent.event_id))).all()
        assert sorted(processed) == ["order:O-1:paid", "order:O-1:paid-again"]


async def test_order_paid_through_the_bus(app):
    bus: InProcessBus = app.state.events.bus
    await app.state.events.start()
    await bus.publish(paid("O-1", "M-1", [line("cubby", 5_000)]))
    await bus.publish(paid("O-1", "M-1", [line("cubby", 5_000)]))  # bus de-duplicates
    await bus.drain()
    assert await ledger(app, "M-1") == [("cubby", 50, "order:O-1:cubby", "order O-1")]


async def test_lines_earning_nothing_write_no_entry_and_bad_events_are_skipped(app):
    await deliver(app, paid("O-1", "M-1", [line("lumen", 99)]))  # 0.99 yuan: 0 points
    bad = paid("O-2", "M-1", [line("lumen", 500)])
    await deliver(app, Event("bad-1", "order.paid", {**bad.payload, "lines": "x"}, bad.occurred_at))
    await deliver(app, Event("bad-2", "order.paid", {**bad.payload, "memberId": None}, "t"))
    assert await row_counts(app) == (0, 0)


async def test_refund_reverses_the_orders_points(make_app):
    app = make_app(RATES)
    await deliver(app, paid("O-1", "M-1", ORDER), paid("O-2", "M-1", [line("aurora", 1_000)]))
    await deliver(app, refunded("O-1", "M-1", 24_394), refunded("O-1", "M-1", 24_394))
    assert (await ledger(app, "M-1"))[3:] == [
        ("lumen", -300, "order:O-1:refund:lumen", "refund of order O-1"),
        ("vitalis", -123, "order:O-1:refund:vitalis", "refund of order O-1"),
    ]
    assert await spendable(app, "M-1") == 10  # O-2's points stay
    assert await lifetime(app, "M-1") == 10  # a refunded order does not count for the tier
    # a second refund event of the order (another id) reverses nothing more
    again = refunded("O-1", "M-1")
    await deliver(app, Event("order:O-1:refunded-2", again.topic, again.payload, "t"))
    assert len(await ledger(app, "M-1")) == 5
    assert [topic for _, topic, _ in await outbox(app)] == ["loyalty.points.reversed"]
    ((_, _, payload),) = await outbox(app)
    assert payload == {"orderId": "O-1", "memberId": "M-1", "reversed": 423, "shortfall": 0}


async def test_refund_after_points_were_spent_never_goes_negative(make_app):
    app = make_app(RATES)
    await deliver(app, paid("O-1", "M-1", ORDER))  # lumen 300, vitalis 123
    async with app.state.database.session() as s:
        await service.redeem(s, "M-1", "aurora", 400, "spend")
    assert await spendable(app, "M-1") == 23
    await deliver(app, refunded("O-1", "M-1"))
    entries = await ledger(app, "M-1")
    # lumen takes back the 23 still spendable; vitalis finds nothing left: no entry
    assert entries[3:] == [
        ("lumen", -23, "order:O-1:refund:lumen", "refund of order O-1 (shortfall 277)")
    ]
    assert await spendable(app, "M-1") == 0
    assert await lifetime(app, "M-1") == 0
    ((_, _, payload),) = await outbox(app)
    assert payload == {"orderId": "O-1", "memberId": "M-1", "reversed": 23, "shortfall": 400}
    # a refund of an unknown order changes nothing
    await deliver(app, refunded("O-404", "M-1"))
    assert len(await ledger(app, "M-1")) == 4


async def test_coupon_rule_issues_once_per_member(app):
    # 300 + 199.99 yuan in lumen: below the 500-yuan threshold; vitalis spend does not count
    await deliver(app, paid("O-1", "M-1", [line("lumen", 30_000), line("vitalis", 90_000)]))
    await deliver(app, paid("O-2", "M-1", [line("lumen", 19_999)]))
    assert await member_coupons(app, "M-1") == []
    await deliver(app, paid("O-3", "M-1", [line("lumen", 1)]))  # reaches 50_000 fen
    await deliver(app, paid("O-4", "M-1", [line("lumen", 80_000)]))  # past it again: no 2nd
    (coupon,) = await member_coupons(app, "M-1")
    assert (coupon.rule_id, coupon.issued_brand, coupon.redeemable_brand) == (
        "lumen-500-vitalis-30", "lumen", "vitalis"
    )  # fmt: skip
    assert (coupon.value_fen, coupon.min_spend_fen, coupon.status) == (3_000, 10_000, "AVAILABLE")
    assert service.as_utc(coupon.expires_at) == NOW - DAY + 30 * DAY
    assert coupon.id.startswith("cpn_") and coupon.order_id is None


async def test_refunded_spend_does_not_count_towards_a_rule(app):
    await deliver(app, paid("O-1", "M-1", [line("lumen", 40_000)]))
    await deliver(app, refunded("O-1", "M-1"))
    await deliver(app, paid("O-2", "M-1", [line("lumen", 20_000)]))
    assert await member_coupons(app, "M-1") == []
    await deliver(app, paid("O-3", "M-1", [line("lumen", 30_000)]))
    assert len(await member_coupons(app, "M-1")) == 1


async def member_coupons(app, member: str) -> list[Coupon]:
    async with app.state.database.session() as s:
        return list(await coupons.coupons_of(s, member))


async def test_member_erased_deletes_everything_and_reports_completion(app):
    await deliver(app, paid("O-1", "M-1", [line("lumen", 60_000)]))
    await deliver(app, paid("O-2", "M-2", [line("lumen", 60_000)]))
    assert len(await member_coupons(app, "M-1")) == 1
    bus: InProcessBus = app.state.events.bus
    seen: list[Event] = []

    async def collect(event: Event) -> None:
        seen.append(event)

    await bus.subscribe("test-member", ["erasure.completed"], collect)
    await app.state.events.start()
    await bus.publish(erased("M-1", "req-9"))
    await bus.drain()
    await app.state.events.relay.publish_pending()
    await bus.drain()
    assert [(e.id, e.topic, dict(e.payload)) for e in seen] == [
        (
            "erasure:req-9:loyalty",
            "erasure.completed",
            {"memberId": "M-1", "requestId": "req-9", "participant": "loyalty"},
        )
    ]
    assert await ledger(app, "M-1") == [] and await member_coupons(app, "M-1") == []
    async with app.state.database.session() as s:
        assert await s.get(Account, "M-1") is None
        owners = (await s.exec(select(OrderEarning.member_id))).all()
        assert owners == ["M-2"]
    assert len(await ledger(app, "M-2")) == 1 and len(await member_coupons(app, "M-2")) == 1
    await deliver(app, erased("M-1", "req-9"))  # redelivered: nothing recorded twice
    assert [topic for _, topic, _ in await outbox(app)] == ["erasure.completed"]
    await bus.unsubscribe("test-member")


async def test_a_refund_racing_redemptions_never_overdraws(app):
    await deliver(app, paid("O-1", "M-1", [line("lumen", 10_000)]))  # 100 points
    redeem = (
        'mutation($k: String!) { redeemPoints(memberId: "M-1", points: 30, '
        "idempotencyKey: $k) { entry { delta } } }"
    )
    results = await asyncio.gather(
        deliver(app, refunded("O-1", "M-1")),
        *(gql(app, redeem, {"k": f"r{i}"}, token=as_member("M-1")) for i in range(5)),
    )
    spent = sum(30 for r in results[1:] if r and "errors" not in r)
    deltas = [delta for _, delta, _, _ in await ledger(app, "M-1")]
    assert sum(deltas) >= 0 and await spendable(app, "M-1") == sum(deltas)
    assert -sum(d for d in deltas if d < 0) == 100  # every point is spent or reversed
    assert spent <= 90


async def test_import_paid_orders_is_the_consumers_bulk_path(app):
    orders = [paid(f"O-{i}", "M-1", [line("lumen", 20_000)]).payload for i in range(3)]
    async with app.state.database.session() as s:
        await effects.import_paid_orders(s, orders, app.state.settings)
        await effects.import_paid_orders(s, orders, app.state.settings)  # repeated
    await deliver(app, paid("O-0", "M-1", [line("lumen", 20_000)]))  # its event arrives too
    assert await spendable(app, "M-1") == 600
    assert len(await member_coupons(app, "M-1")) == 1
