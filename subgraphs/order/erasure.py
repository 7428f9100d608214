"""`member.erased`: the order subgraph's part of an erasure (run by the `order` consumer
inside its `handle_once` transaction, so it happens once and all together).

The member's address and payment-method replicas and cart are deleted; their orders keep
amounts, lines and statuses for accounting under the pseudonymous member id, while the
shipping address snapshot and the payment tokens of their payment attempts are wiped. Then
`erasure.completed` {memberId, requestId, participant: "order"} is recorded in the same
transaction. Cart adds hold no personal data (ids, brands, quantities) and stay for the KPIs.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Mapping
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.events import EVENT_ID_LENGTH, record_event

from .models import (
    MEMBER_ID_LENGTH,
    CartLine,
    Order,
    PaymentAttempt,
    ReplicaAddress,
    ReplicaPaymentMethod,
    utcnow,
)

log = logging.getLogger("brand_matrix.order")

MEMBER_ERASED = "member.erased"
ERASURE_COMPLETED = "erasure.completed"
PARTICIPANT = "order"


def completed_event_id(member_id: str, request_id: str) -> str:
    text = f"erasure:{request_id}:{PARTICIPANT}"
    if len(text) <= EVENT_ID_LENGTH:
        return text
    digest = hashlib.sha256(f"{member_id}:{request_id}".encode()).hexdigest()[:40]
    return f"erasure:{digest}:{PARTICIPANT}"


async def erase_member(session: AsyncSession, payload: Mapping[str, Any]) -> None:
    member_id, request_id = payload.get("memberId"), payload.get("requestId")
    if not isinstance(member_id, str) or not 0 < len(member_id) <= MEMBER_ID_LENGTH:
        log.error("skipping a malformed member.erased event: memberId %r", member_id)
        return
    if not isinstance(request_id, str) or not request_id:
        log.error("skipping a malformed member.erased event: requestId %r", request_id)
        return
    for model in (ReplicaAddress, ReplicaPaymentMethod, CartLine):
        await session.exec(  # type: ignore[call-overload]
            sa.delete(model).where(col(model.member_id) == member_id)
        )
    await session.exec(  # type: ignore[call-overload]
        sa.update(Order)
        .where(col(Order.member_id) == member_id)
        .values(
            ship_recipient=None,
            ship_phone=None,
            ship_region=None,
            ship_city=None,
            ship_line1=None,
            ship_postal_code=None,
            erased_at=utcnow(),
        )
    )
    orders = select(Order.id).where(Order.member_id == member_id)
    await session.exec(  # type: ignore[call-overload]
        sa.update(PaymentAttempt)
        .where(col(PaymentAttempt.order_id).in_(orders.scalar_subquery()))
        .values(token=None)
    )
    record_event(
        session,
        ERASURE_COMPLETED,
        {"memberId": member_id, "requestId": request_id, "participant": PARTICIPANT},
        event_id=completed_event_id(member_id, request_id),
    )
    await session.flush()
