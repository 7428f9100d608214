"""Placing and paying orders, free of GraphQL.

`place_order` runs in two steps, because a payment provider is an outside party whose call
cannot sit inside our transaction:
1. under the member's idempotency key (`run_once`, with a request fingerprint): the order is
   built from the cart at replica prices, the address snapshotted, the coupon checked and
   applied, the cart emptied, and a `PaymentAttempt` created (one transaction);
2. `settle` charges the attempt with its own provider key (the provider is idempotent by key)
   and records the outcome: PAID (with `order.paid` in the same transaction as the status
   change, event id `order:<id>:paid`) or the payment error on the still PLACED order.
A replay of the key returns the same order and settles its attempt if a crash interrupted
step 2, so a retry never creates a second order or a second charge. `pay_order` is a new
attempt (its own idempotency key) for a PLACED order whose payment failed.

A charge that succeeds for an order that is no longer awaiting payment (cancelled meanwhile,
or paid by another attempt) is refunded at once.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.auth import KeyRing
from subgraphs.common.database import transaction
from subgraphs.common.events import record_event
from subgraphs.common.idempotency import IdempotencyConflict, run_once

from . import cart, coupons
from .errors import InvalidState, NotFound, OrderError, as_utc
from .models import (
    DECLINED,
    FAILED,
    KEY_LENGTH,
    PAID,
    PENDING,
    PLACED,
    SUCCEEDED,
    CartLine,
    Order,
    OrderLine,
    PaymentAttempt,
    ReplicaAddress,
    ReplicaPaymentMethod,
    ReplicaSku,
    StatusChange,
    utcnow,
)
from .payments import Charge, PaymentProvider

log = logging.getLogger("brand_matrix.order")

ORDER_PAID = "order.paid"
REFUNDED_ATTEMPT = "REFUNDED"


@dataclass(frozen=True)
class PlaceOrderRequest:
    shipping_address_id: str
    payment_method_id: str
    idempotency_key: str
    coupon_token: str | None = None


def new_order_id() -> str:
    return f"ord_{uuid.uuid4().hex[:20]}"


def checked_key(key: str) -> str:
    if not isinstance(key, str) or not key or len(key) > KEY_LENGTH:
        raise OrderError(f"idempotencyKey must be 1 to {KEY_LENGTH} characters")
    return key


def source_payload(kind: str | None, source_id: str | None, brand: str | None) -> Any:
    if kind is None:
        return None
    return {"kind": kind, "id": source_id, "brand": brand}


def paid_payload(order: Order, lines: Sequence[OrderLine]) -> dict[str, Any]:
    """The `order.paid` event payload (the contract's shape)."""
    assert order.paid_at is not None
    return {
        "orderId": order.id,
        "memberId": order.member_id,
        "channelBrand": order.channel_brand,
        "paidAt": as_utc(order.paid_at).isoformat(),
        "totalFen": order.total_fen,
        "couponId": order.coupon_id,
        "lines": [
            {
                "brand": line.brand,
                "productId": line.product_id,
                "skuId": line.sku_id,
                "categoryId": line.category_id,
                "quantity": line.quantity,
                "amountFen": line.amount_fen,
                "source": source_payload(line.source_kind, line.source_id, line.source_brand),
            }
            for line in sorted(lines, key=lambda item: item.position)
        ],
    }


async def lines_of(session: AsyncSession, order_id: str) -> Sequence[OrderLine]:
    query = select(OrderLine).where(OrderLine.order_id == order_id)
    return (await session.exec(query.order_by(col(OrderLine.position)))).all()


async def get_order(session: AsyncSession, order_id: str) -> Order | None:
    query = select(Order).where(Order.id == order_id).execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def _owned(session: AsyncSession, model: Any, row_id: str, member_id: str, what: str):
    row = await session.get(model, cart.checked_id(row_id, what))
    if row is None or row.member_id != member_id:
        raise NotFound(f"no {what} {row_id!r} for this member")
    return row


# --- placing ---------------------------------------------------------------------------------


async def place_order(
    session: AsyncSession,
    provider: PaymentProvider,
    ring: KeyRing,
    member_id: str,
    channel_brand: str,
    request: PlaceOrderRequest,
) -> Order:
    """Place the member's cart as an order and charge it (see the module docstring)."""
    key = checked_key(request.idempotency_key)
    fingerprint = {
        "channelBrand": channel_brand,
        "shippingAddressId": request.shipping_address_id,
        "paymentMethodId": request.payment_method_id,
        "couponToken": request.coupon_token,
    }
    try:
        outcome = await run_once(
            session,
            scope=f"order.place:{member_id}",
            key=key,
            request=fingerprint,
            operation=lambda s: _create(s, ring, member_id, channel_brand, request),
        )
    except IdempotencyConflict:
        raise OrderError(
            "this idempotency key was used for another request", "IDEMPOTENCY_KEY_REUSED"
        ) from None
    await settle(session, provider, outcome.result["attemptId"])
    order = await get_order(session, outcome.result["orderId"])
    assert order is not None
    return order


async def _create(
    session: AsyncSession,
    ring: KeyRing,
    member_id: str,
    channel_brand: str,
    request: PlaceOrderRequest,
) -> dict[str, Any]:
    # FOR UPDATE: a racing placement under another key waits, then finds the cart empty
    # (SQLite has no such clause; it serialises writers anyway).
    query = (
        select(CartLine)
        .where(CartLine.member_id == member_id)
        .order_by(col(CartLine.added_at), col(CartLine.id))
        .with_for_update()
    )
    cart_lines = (await session.exec(query)).all()
    if not cart_lines:
        raise OrderError("the cart is empty", "CART_EMPTY")
    address = await _owned(
        session, ReplicaAddress, request.shipping_address_id, member_id, "shipping address"
    )
    method = await _owned(
        session, ReplicaPaymentMethod, request.payment_method_id, member_id, "payment method"
    )
    skus = {
        sku.sku_id: sku
        for sku in (
            await session.exec(
                select(ReplicaSku).where(
                    col(ReplicaSku.sku_id).in_([line.sku_id for line in cart_lines])
                )
            )
        ).all()
    }
    order_id = new_order_id()
    lines = []
    for position, item in enumerate(cart_lines, start=1):
        sku = skus.get(item.sku_id)
        if sku is None or not sku.active:
            raise OrderError(
                f"SKU {item.sku_id!r} in the cart is no longer on sale; remove it first",
                "SKU_UNAVAILABLE",
            )
        subtotal = sku.price_fen * item.quantity
        lines.append(
            OrderLine(
                order_id=order_id,
                position=position,
                brand=sku.brand,
                product_id=sku.product_id,
                sku_id=sku.sku_id,
                product_name=sku.product_name,
                sku_name=sku.sku_name,
                category_id=sku.category_id,
                unit_price_fen=sku.price_fen,
                quantity=item.quantity,
                subtotal_fen=subtotal,
                discount_fen=0,
                amount_fen=subtotal,
                source_kind=item.source_kind,
                source_id=item.source_id,
                source_brand=item.source_brand,
            )
        )
    discount, claim = 0, None
    if request.coupon_token:
        claim = coupons.verify(ring, request.coupon_token, member_id)
        discount = coupons.apply(claim, lines)
        used = (
            await session.exec(select(Order.id).where(Order.coupon_claim == claim.coupon_id))
        ).first()
        if used is not None:
            raise OrderError("this coupon is already used by another order", "COUPON_ALREADY_USED")
    subtotal = sum(line.subtotal_fen for line in lines)
    now = utcnow()
    order = Order(
        id=order_id,
        member_id=member_id,
        channel_brand=channel_brand,
        status=PLACED,
        subtotal_fen=subtotal,
        discount_fen=discount,
        total_fen=subtotal - discount,
        coupon_id=None if claim is None else claim.coupon_id,
        coupon_brand=None if claim is None else claim.brand,
        coupon_claim=None if claim is None else claim.coupon_id,
        address_id=address.id,
        ship_recipient=address.recipient,
        ship_phone=address.phone,
        ship_region=address.region,
        ship_city=address.city,
        ship_line1=address.line1,
        ship_postal_code=address.postal_code,
        payment_method_id=method.id,
        payment_status=PENDING,
        placed_at=now,
    )
    session.add(order)
    await session.flush()  # the coupon's unique claim decides a race here
    session.add_all(lines)
    session.add(StatusChange(order_id=order_id, status=PLACED, actor=f"member:{member_id}", at=now))
    for item in cart_lines:
        await session.delete(item)
    await cart.close_adds(
        session, member_id, [item.sku_id for item in cart_lines], order_id=order_id
    )
    attempt = _attempt(order, method)
    session.add(attempt)
    await session.flush()
    return {"orderId": order_id, "attemptId": attempt.id}


def _attempt(order: Order, method: ReplicaPaymentMethod) -> PaymentAttempt:
    return PaymentAttempt(
        order_id=order.id,
        provider_key=f"pay_{uuid.uuid4().hex}",
        payment_method_id=method.id,
        token=method.token,
        amount_fen=order.total_fen,
        status=PENDING,
    )


# --- paying ----------------------------------------------------------------------------------


async def pay_order(
    session: AsyncSession,
    provider: PaymentProvider,
    member_id: str,
    order_id: str,
    payment_method_id: str,
    idempotency_key: str,
) -> Order:
    """Try the payment of the member's PLACED order again, with a (possibly other) method."""
    key = checked_key(idempotency_key)

    async def create_attempt(s: AsyncSession) -> dict[str, Any]:
        order = await get_order(s, cart.checked_id(order_id, "orderId"))
        if order is None or order.member_id != member_id:
            raise NotFound(f"no order {order_id!r} for this member")
        if order.status != PLACED:
            raise InvalidState(f"order {order_id} is {order.status}, not awaiting payment")
        method = await _owned(
            s, ReplicaPaymentMethod, payment_method_id, member_id, "payment method"
        )
        order.payment_status, order.payment_error = PENDING, None
        order.payment_method_id = method.id
        attempt = _attempt(order, method)
        s.add(attempt)
        await s.flush()
        return {"orderId": order.id, "attemptId": attempt.id}

    request = {"orderId": order_id, "paymentMethodId": payment_method_id}
    try:
        outcome = await run_once(
            session,
            scope=f"order.pay:{member_id}",
            key=key,
            request=request,
            operation=create_attempt,
        )
    except IdempotencyConflict:
        raise OrderError(
            "this idempotency key was used for another request", "IDEMPOTENCY_KEY_REUSED"
        ) from None
    await settle(session, provider, outcome.result["attemptId"])
    order = await get_order(session, outcome.result["orderId"])
    assert order is not None
    return order


async def settle(session: AsyncSession, provider: PaymentProvider, attempt_id: int) -> None:
    """Charge a PENDING attempt and record the outcome (nothing when it was settled)."""
    attempt = await session.get(PaymentAttempt, attempt_id, populate_existing=True)
    order = None if attempt is None else await get_order(session, attempt.order_id)
    if attempt is None or order is None or attempt.status != PENDING:
        await session.rollback()
        return
    key, amount, token = attempt.provider_key, attempt.amount_fen, attempt.token or ""
    order_id, awaiting = order.id, order.status == PLACED
    await session.rollback()  # no transaction held open across the provider's call
    if not awaiting:
        await _finish_attempt(
            session, attempt_id, FAILED, None, "the order no longer awaits payment"
        )
        return
    try:
        charge = (
            await provider.charge(amount, token, key)
            if amount > 0
            else Charge(id="", amount_fen=0, status=SUCCEEDED)  # fully covered by a coupon
        )
    except Exception:
        log.exception("payment provider failed on attempt %s of order %s", attempt_id, order_id)
        async with transaction(session):
            await session.exec(  # type: ignore[call-overload]
                sa.update(Order)
                .where(col(Order.id) == order_id, col(Order.status) == PLACED)
                .values(payment_error="the payment provider did not answer; retry the request")
            )
        return
    refund = False
    async with transaction(session):
        if not await _finish_attempt(
            session, attempt_id, charge.status, charge.id or None, charge.error, commit=False
        ):
            return  # a racing settle of the same attempt recorded it
        if charge.succeeded:
            refund = not await _mark_paid(session, order_id, charge.id or None)
        else:
            await session.exec(  # type: ignore[call-overload]
                sa.update(Order)
                .where(col(Order.id) == order_id, col(Order.status) == PLACED)
                .values(payment_status=charge.status, payment_error=charge.error)
            )
    if refund and charge.id:
        await provider.refund(charge.id, amount, f"{key}:refund")
        await _finish_attempt(
            session, attempt_id, REFUNDED_ATTEMPT, charge.id, None, expected=charge.status
        )


async def _finish_attempt(
    session: AsyncSession,
    attempt_id: int,
    status: str,
    charge_id: str | None,
    error: str | None,
    *,
    expected: str = PENDING,
    commit: bool = True,
) -> bool:
    statement = (
        sa.update(PaymentAttempt)
        .where(col(PaymentAttempt.id) == attempt_id, col(PaymentAttempt.status) == expected)
        .values(status=status, charge_id=charge_id, error=error)
    )
    if not commit:
        result = await session.exec(statement)  # type: ignore[call-overload]
        return bool(result.rowcount)
    async with transaction(session):
        result = await session.exec(statement)  # type: ignore[call-overload]
    return bool(result.rowcount)


async def _mark_paid(session: AsyncSession, order_id: str, charge_id: str | None) -> bool:
    """PLACED -> PAID with `order.paid`, in the caller's transaction; False when the order
    was not PLACED any more."""
    now = utcnow()
    result = await session.exec(  # type: ignore[call-overload]
        sa.update(Order)
        .where(col(Order.id) == order_id, col(Order.status) == PLACED)
        .values(
            status=PAID, payment_status=PAID, payment_error=None, charge_id=charge_id, paid_at=now
        )
    )
    if not result.rowcount:
        return False
    session.add(StatusChange(order_id=order_id, status=PAID, actor="payment", at=now))
    order = await get_order(session, order_id)
    assert order is not None
    lines = await lines_of(session, order_id)
    record_event(session, ORDER_PAID, paid_payload(order, lines), event_id=f"order:{order_id}:paid")
    await session.flush()
    return True


__all__ = ["DECLINED", "FAILED", "PlaceOrderRequest", "pay_order", "place_order", "settle"]
