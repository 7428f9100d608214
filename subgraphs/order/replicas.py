"""Local replicas of other subgraphs' data, applied by the `order` consumer (inside its
`handle_once` transaction: each function writes through the caller's session, never commits).

- `member.address.saved` / `.removed`, `member.payment_method.saved` / `.removed`: upsert or
  delete by id (the member an address belongs to never changes).
- `catalogue.sku.changed`: upsert the SKU (price, names, category, on sale).

A malformed event is logged and skipped: raising would redeliver it for ever and hold up the
consumer's later events. `import_replicas` bulk-loads rows (the demo seed).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import (
    BRAND_LENGTH,
    ID_LENGTH,
    MEMBER_ID_LENGTH,
    NAME_LENGTH,
    TOKEN_LENGTH,
    ReplicaAddress,
    ReplicaPaymentMethod,
    ReplicaSku,
)

log = logging.getLogger("brand_matrix.order")

ADDRESS_SAVED = "member.address.saved"
ADDRESS_REMOVED = "member.address.removed"
PAYMENT_METHOD_SAVED = "member.payment_method.saved"
PAYMENT_METHOD_REMOVED = "member.payment_method.removed"
SKU_CHANGED = "catalogue.sku.changed"


class BadEvent(ValueError):
    pass


def _text(data: Mapping[str, Any], name: str, limit: int, *, empty: bool = False) -> str:
    value = data.get(name, "" if empty else None)
    if value is None and empty:
        value = ""
    if not isinstance(value, str) or (not value and not empty) or len(value) > limit:
        raise BadEvent(f"{name} must be a string of at most {limit} characters")
    return value


def _object(data: Mapping[str, Any], name: str) -> Mapping[str, Any]:
    value = data.get(name)
    if not isinstance(value, Mapping):
        raise BadEvent(f"{name} must be an object")
    return value


def address_row(member_id: str, address: Mapping[str, Any]) -> ReplicaAddress:
    return ReplicaAddress(
        id=_text(address, "id", ID_LENGTH),
        member_id=member_id,
        recipient=_text(address, "recipient", NAME_LENGTH, empty=True),
        phone=_text(address, "phone", 32, empty=True),
        region=_text(address, "region", NAME_LENGTH, empty=True),
        city=_text(address, "city", NAME_LENGTH, empty=True),
        line1=_text(address, "line1", NAME_LENGTH, empty=True),
        postal_code=_text(address, "postalCode", 32, empty=True),
    )


def payment_method_row(member_id: str, method: Mapping[str, Any]) -> ReplicaPaymentMethod:
    return ReplicaPaymentMethod(
        id=_text(method, "id", ID_LENGTH),
        member_id=member_id,
        provider=_text(method, "provider", 32),
        token=_text(method, "token", TOKEN_LENGTH),
        label=_text(method, "label", NAME_LENGTH, empty=True),
    )


def sku_row(payload: Mapping[str, Any]) -> ReplicaSku:
    price = payload.get("priceFen")
    if isinstance(price, bool) or not isinstance(price, int) or price < 0:
        raise BadEvent("priceFen must be a non-negative integer")
    category = payload.get("categoryId")
    if category is not None and (not isinstance(category, str) or len(category) > ID_LENGTH):
        raise BadEvent("categoryId must be a string or null")
    return ReplicaSku(
        sku_id=_text(payload, "skuId", ID_LENGTH),
        brand=_text(payload, "brand", BRAND_LENGTH),
        product_id=_text(payload, "productId", ID_LENGTH),
        product_name=_text(payload, "productName", NAME_LENGTH, empty=True),
        sku_name=_text(payload, "skuName", NAME_LENGTH, empty=True),
        category_id=category or None,
        price_fen=price,
        active=bool(payload.get("active", True)),
    )


async def _upsert(session: AsyncSession, row: Any, key: str) -> None:
    existing = await session.get(type(row), getattr(row, key))
    if existing is None:
        session.add(row)
    else:
        for name, value in row.model_dump().items():
            setattr(existing, name, value)
    await session.flush()


async def apply_event(session: AsyncSession, topic: str, payload: Mapping[str, Any]) -> None:
    """Apply one replica event (inside the consumer's transaction)."""
    try:
        if topic == SKU_CHANGED:
            await _upsert(session, sku_row(payload), "sku_id")
            return
        member_id = _text(payload, "memberId", MEMBER_ID_LENGTH)
        if topic == ADDRESS_SAVED:
            await _upsert(session, address_row(member_id, _object(payload, "address")), "id")
        elif topic == PAYMENT_METHOD_SAVED:
            row = payment_method_row(member_id, _object(payload, "paymentMethod"))
            await _upsert(session, row, "id")
        elif topic == ADDRESS_REMOVED:
            await _delete(
                session, ReplicaAddress, _text(payload, "addressId", ID_LENGTH), member_id
            )
        elif topic == PAYMENT_METHOD_REMOVED:
            method_id = _text(payload, "paymentMethodId", ID_LENGTH)
            await _delete(session, ReplicaPaymentMethod, method_id, member_id)
    except BadEvent as error:
        log.error("skipping a malformed %s event: %s", topic, error)


async def _delete(session: AsyncSession, model: Any, row_id: str, member_id: str) -> None:
    await session.exec(  # type: ignore[call-overload]
        sa.delete(model).where(col(model.id) == row_id, col(model.member_id) == member_id)
    )


async def import_replicas(
    session: AsyncSession,
    *,
    addresses: Iterable[ReplicaAddress] = (),
    payment_methods: Iterable[ReplicaPaymentMethod] = (),
    skus: Iterable[ReplicaSku] = (),
) -> int:
    """Bulk-insert replica rows in one transaction (commits); rows whose id exists are
    skipped, so importing twice changes nothing. Returns the number written. Build rows with
    the models, or from event payloads with `address_row` / `payment_method_row` /
    `sku_row`."""
    written = 0
    async with transaction(session):
        for model, rows, key in (
            (ReplicaAddress, list(addresses), "id"),
            (ReplicaPaymentMethod, list(payment_methods), "id"),
            (ReplicaSku, list(skus), "sku_id"),
        ):
            column = col(getattr(model, key))
            ids = [getattr(row, key) for row in rows]
            existing: set[str] = set()
            for start in range(0, len(ids), 500):  # bounded IN lists
                chunk = ids[start : start + 500]
                existing |= set((await session.exec(select(column).where(column.in_(chunk)))).all())
            for row in rows:
                if getattr(row, key) in existing:
                    continue
                existing.add(getattr(row, key))
                session.add(row)
                written += 1
            await session.flush()
    return written
