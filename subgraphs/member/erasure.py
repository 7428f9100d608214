"""Erasure: the member's personal data is wiped here at once, then every other subgraph that
holds some is told (`member.erased`) and reports back (`erasure.completed`).

- `erase_member`: in one transaction, the member row keeps only its id, first-seen time and
  `erased_at` (the UnionID becomes `erased:<id>`, irreversible and still unique, so signing in
  again with the old UnionID makes a new member); brand accounts, addresses, payment methods,
  consents, engagement and refresh tokens are deleted. An `ErasureRequest` lists the
  participants (settings) and `member.erased` is recorded. Erasing again returns the request.
- `complete_participant` (consumer of `erasure.completed`) marks a participant done, and the
  request once all are.
- `retry_incomplete_erasures` re-records `member.erased` (a new event id per attempt:
  `member:<id>:erased:<attempt>`) for requests still incomplete after `older_than`, so a
  participant that missed the event (or failed) gets it again.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import sqlalchemy as sa
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from .errors import not_found
from .models import (
    Address,
    BrandAccount,
    ConsentRecord,
    Engagement,
    ErasureParticipant,
    ErasureRequest,
    PaymentMethod,
    RefreshToken,
    utcnow,
)
from .service import as_utc, checked_id, get_member, new_id
from .settings import MemberSettings

MEMBER_ERASED = "member.erased"
ERASURE_COMPLETED = "erasure.completed"
PERSONAL_TABLES = (BrandAccount, Address, PaymentMethod, ConsentRecord, Engagement, RefreshToken)
log = logging.getLogger("brand_matrix.member")


@dataclass(frozen=True)
class ErasureStatus:
    request: ErasureRequest
    participants: Sequence[ErasureParticipant]

    @property
    def complete(self) -> bool:
        return self.request.completed_at is not None


def erased_union_id(member_id: str) -> str:
    return f"erased:{member_id}"  # ':' is never part of a credential's UnionID


def erased_event_id(member_id: str, attempt: int) -> str:
    return f"member:{member_id}:erased:{attempt}"


async def _status(session: AsyncSession, request: ErasureRequest) -> ErasureStatus:
    query = select(ErasureParticipant).where(ErasureParticipant.request_id == request.id)
    rows = (await session.exec(query.order_by(col(ErasureParticipant.participant)))).all()
    return ErasureStatus(request, rows)


async def erasure_status(session: AsyncSession, request_id: str) -> ErasureStatus | None:
    request = await session.get(ErasureRequest, checked_id(request_id, "request id"))
    return None if request is None else await _status(session, request)


async def erase_member(
    session: AsyncSession,
    member_id: str,
    settings: MemberSettings,
    *,
    now: datetime | None = None,
) -> ErasureStatus:
    """Wipe the member's personal data and announce it; idempotent (commits)."""
    member_id = checked_id(member_id, "member id")
    now = as_utc(now or utcnow())
    async with transaction(session):
        member = await get_member(session, member_id, lock=True)
        if member is None:
            raise not_found(f"no member {member_id!r}")
        existing = (
            await session.exec(select(ErasureRequest).where(ErasureRequest.member_id == member_id))
        ).first()
        if existing is not None:
            return await _status(session, existing)
        for model in PERSONAL_TABLES:
            await session.exec(sa.delete(model).where(model.member_id == member_id))  # type: ignore[attr-defined]
        member.union_id = erased_union_id(member_id)
        member.display_name = None
        member.erased_at = now
        participants = settings.participants()
        request = ErasureRequest(
            id=new_id("era"),
            member_id=member_id,
            requested_at=now,
            attempts=1,
            last_attempt_at=now,
            completed_at=None if participants else now,
        )
        session.add(request)
        await session.flush()
        session.add_all(
            ErasureParticipant(request_id=request.id, participant=p) for p in participants
        )
        record_event(
            session,
            MEMBER_ERASED,
            {"memberId": member_id, "requestId": request.id},
            event_id=erased_event_id(member_id, 1),
        )
        await session.flush()
        status = await _status(session, request)
    return status


async def complete_participant(
    session: AsyncSession, payload: Mapping[str, Any], *, now: datetime | None = None
) -> bool:
    """Mark `payload["participant"]` done (inside `handle_once`; never commits). False when
    the request or participant is unknown (logged) or was done already."""
    request_id, participant = payload.get("requestId"), payload.get("participant")
    if not isinstance(request_id, str) or not isinstance(participant, str):
        log.warning("erasure.completed without requestId/participant ignored: %r", payload)
        return False
    now = as_utc(now or utcnow())
    request = (
        await session.exec(
            select(ErasureRequest)
            .where(ErasureRequest.id == request_id)
            .with_for_update()
            .execution_options(populate_existing=True)
        )
    ).first()
    row = await session.get(ErasureParticipant, (request_id, participant))
    if request is None or row is None:
        log.warning("erasure.completed for unknown %s / %s ignored", request_id, participant)
        return False
    if row.completed_at is not None:
        return False
    row.completed_at = now
    await session.flush()
    pending = (
        await session.exec(
            select(ErasureParticipant.participant).where(
                ErasureParticipant.request_id == request_id,
                col(ErasureParticipant.completed_at).is_(None),
            )
        )
    ).first()
    if pending is None and request.completed_at is None:
        request.completed_at = now
        await session.flush()
    return True


async def retry_incomplete_erasures(
    session: AsyncSession, older_than: timedelta, *, now: datetime | None = None
) -> int:
    """Re-announce `member.erased` for requests incomplete and last announced before
    `now - older_than`; the number re-announced (commits)."""
    now = as_utc(now or utcnow())
    async with transaction(session):
        query = (
            select(ErasureRequest)
            .where(
                col(ErasureRequest.completed_at).is_(None),
                col(ErasureRequest.last_attempt_at) <= now - older_than,
            )
            .order_by(col(ErasureRequest.requested_at))
            .with_for_update(skip_locked=True)
        )
        requests = (await session.exec(query)).all()
        for request in requests:
            request.attempts += 1
            request.last_attempt_at = now
            record_event(
                session,
                MEMBER_ERASED,
                {"memberId": request.member_id, "requestId": request.id},
                event_id=erased_event_id(request.member_id, request.attempts),
            )
        await session.flush()
    return len(requests)
