"""Load the demo group into a dev stack's databases (`brand-matrix seed`, first `brand-matrix dev`).

Each subgraph's data goes into its own database through that subgraph's bulk import functions,
consistently: the catalogue and content of every brand first, then members (member), their
orders (order, with the replicas of addresses, payment tokens and SKUs that checkout needs),
then what the orders caused: engagement (member), points, coupons and refund reversals
(loyalty), computed from the imported orders exactly as the event consumers would. The bulk
path skips the bus (thousands of events at start-up would take a minute on SQLite); no outbox
events are recorded, so nothing is applied twice when the stack starts.
"""

from __future__ import annotations

import random
from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel import col, select

from subgraphs.catalogue import seed as catalogue_seed
from subgraphs.catalogue import service as catalogue_service
from subgraphs.catalogue.service import sku_changed_payload
from subgraphs.common.database import transaction
from subgraphs.content import seed as content_seed
from subgraphs.loyalty import effects as loyalty_effects
from subgraphs.loyalty import service as loyalty_service
from subgraphs.member import seed as member_seed
from subgraphs.order import replicas as order_replicas
from subgraphs.order import seed as order_seed
from subgraphs.order import service as order_service
from subgraphs.order.models import REFUNDED, Order, OrderLine

from .generate import (
    DEMO_NOW,
    DemoData,
    DemoOrder,
    DemoPlacement,
    DemoSku,
    generate,
)

REDEEMING_SHARE = 0.15  # of members with points: how many spent some


async def load_demo(stack: Any, *, members: int = 1000) -> DemoData:
    """Fill every database of `stack` (a `subgraphs.stack.DevStack`, migrated, not started)."""
    databases = {d.label: d.app.state.database for d in stack.deployments}
    skus: list[DemoSku] = []
    placements: list[DemoPlacement] = []
    replica_skus = []
    for brand in stack.brands:
        async with databases[f"catalogue@{brand}"].session() as session:
            catalogue = await catalogue_seed.seed_demo(session, brand)
        async with databases[f"content@{brand}"].session() as session:
            content = await content_seed.seed_demo(session, brand)
        categories = {p.id: p.category_id for p in catalogue.products}
        products = {p.id: p for p in catalogue.products}
        for sku in catalogue.skus:
            product = products[sku.product_id]
            payload = sku_changed_payload(brand, product, sku)
            replica_skus.append(order_replicas.sku_row(payload))
            skus.append(
                DemoSku(
                    brand=brand,
                    product_id=payload["productId"],
                    sku_id=payload["skuId"],
                    product_name=product.name,
                    sku_name=sku.name,
                    category=categories[sku.product_id],
                    price_fen=sku.price_fen,
                )
            )
        placements.extend(
            DemoPlacement(brand, f"{brand}:{p.id}", p.target_brand, p.target_product_id)
            for p in content.placements
            if p.target_brand in stack.brands
        )
    data = generate(stack.brands, skus, placements, members=members)

    async with databases["member"].session() as session:
        await member_seed.insert_members(session, data.members, record_events=False)
    async with databases["order"].session() as session:
        await order_replicas.import_replicas(
            session,
            addresses=[
                order_replicas.address_row(m.id, _address_payload(a))
                for m in data.members
                for a in m.addresses
            ],
            payment_methods=[
                order_replicas.payment_method_row(
                    m.id, {"id": p.id, "provider": p.provider, "token": p.token, "label": p.label}
                )
                for m in data.members
                for p in m.payment_methods
            ],
            skus=replica_skus,
        )
        await order_seed.import_orders(session, [_historical(o) for o in data.orders])
        paid_payloads, refunds = await _order_effects(session)

    async with databases["member"].session() as session:
        await member_seed.insert_engagement(session, _engagement(paid_payloads))
    async with databases["loyalty"].session() as session:
        settings = next(d for d in stack.deployments if d.label == "loyalty").app.state.settings
        await loyalty_effects.import_paid_orders(session, paid_payloads, settings)
        async with transaction(session):
            for refund in refunds:
                await loyalty_effects.apply_refunded_order(session, refund, now=DEMO_NOW)
        await loyalty_service.import_entries(session, _redemptions(paid_payloads, settings))
    return data


async def load_brand(brand: str, databases: dict[str, Any]) -> None:
    """A brand added to a running group: its demo catalogue and content, and every SKU
    announced (`catalogue.sku.changed`) so the order subgraph can sell them."""
    async with databases["catalogue"].session() as session:
        await catalogue_seed.seed_demo(session, brand)
    async with databases["catalogue"].session() as session:
        await catalogue_service.announce_catalogue(session, brand)
    async with databases["content"].session() as session:
        await content_seed.seed_demo(session, brand)


def _address_payload(address) -> dict[str, Any]:
    return {
        "id": address.id,
        "recipient": address.recipient,
        "phone": address.phone,
        "region": address.region,
        "city": address.city,
        "line1": address.line1,
        "postalCode": address.postal_code,
    }


def _historical(order: DemoOrder) -> order_seed.HistoricalOrder:
    return order_seed.HistoricalOrder(
        id=order.id,
        member_id=order.member_id,
        channel_brand=order.channel_brand,
        placed_at=order.placed_at,
        status=order.status,
        lines=[
            order_seed.HistoricalLine(
                brand=line.sku.brand,
                product_id=line.sku.product_id,
                sku_id=line.sku.sku_id,
                product_name=line.sku.product_name,
                sku_name=line.sku.sku_name,
                category_id=line.sku.category,
                unit_price_fen=line.sku.price_fen,
                quantity=line.quantity,
                source=None
                if line.source is None
                else order_seed.HistoricalSource(
                    line.source.kind, line.source.id, line.source.brand
                ),
            )
            for line in order.lines
        ],
        address=order_seed.HistoricalAddress(**_address_fields(order.address)),
        payment_method_id=order.payment_method.id,
        paid_at=order.paid_at,
        refunded_at=order.refunded_at,
    )


def _address_fields(address) -> dict[str, str]:
    payload = _address_payload(address)
    payload["postal_code"] = payload.pop("postalCode")
    return payload


async def _order_effects(session) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The `order.paid` payloads of every paid order and the `order.refunded` ones, built by
    the order subgraph's own payload code from the imported rows."""
    orders = (
        await session.exec(
            select(Order).where(col(Order.paid_at).is_not(None)).order_by(col(Order.paid_at))
        )
    ).all()
    lines: dict[str, list[OrderLine]] = {}
    for line in (await session.exec(select(OrderLine))).all():
        lines.setdefault(line.order_id, []).append(line)
    paid = [order_service.paid_payload(o, lines[o.id]) for o in orders]
    refunds = []
    for order in orders:
        if order.status == REFUNDED and order.refunded_at is not None:
            refunds.append(
                {
                    "orderId": order.id,
                    "memberId": order.member_id,
                    "refundedAt": order.refunded_at.isoformat(),
                    "amountFen": order.total_fen,
                }
            )
    return paid, refunds


def _engagement(paid: Iterable[dict[str, Any]]) -> list[member_seed.EngagementSeed]:
    by_member: dict[str, dict[str, Any]] = {}
    for payload in paid:
        seen = by_member.setdefault(
            payload["memberId"], {"count": 0, "last": None, "brands": set(), "categories": set()}
        )
        seen["count"] += 1
        seen["last"] = max(filter(None, [seen["last"], payload["paidAt"]]))
        for line in payload["lines"]:
            seen["brands"].add(line["brand"])
            if line["categoryId"]:
                seen["categories"].add(line["categoryId"])
    return [
        member_seed.EngagementSeed(
            member_id=member_id,
            orders_count=seen["count"],
            last_order_at=datetime.fromisoformat(seen["last"]),
            brands_purchased=sorted(seen["brands"]),
            categories_purchased=sorted(seen["categories"]),
        )
        for member_id, seen in sorted(by_member.items())
    ]


def _redemptions(paid: list[dict[str, Any]], settings) -> list[loyalty_service.HistoricalEntry]:
    """Some members spent points, in one of the brands they bought from (deterministic)."""
    rng = random.Random(7)
    earned: dict[str, int] = {}
    last: dict[str, dict[str, Any]] = {}
    for payload in paid:
        totals = loyalty_effects.points_by_brand(payload["lines"], settings)
        points = sum(earned_points for _, earned_points in totals.values())
        earned[payload["memberId"]] = earned.get(payload["memberId"], 0) + points
        last[payload["memberId"]] = payload
    entries = []
    for member_id in sorted(earned):
        if earned[member_id] < 400 or rng.random() >= REDEEMING_SHARE:
            continue
        payload = last[member_id]
        brand = rng.choice(sorted({line["brand"] for line in payload["lines"]}))
        at = min(datetime.fromisoformat(payload["paidAt"]) + timedelta(days=3), DEMO_NOW)
        entries.append(
            loyalty_service.HistoricalEntry(
                member_id=member_id,
                brand=brand,
                delta=-rng.randint(1, earned[member_id] // 200) * 100,
                key=f"demo-redeem-{member_id}",
                created_at=at,
                reason="redeemed at checkout",
            )
        )
    return entries
