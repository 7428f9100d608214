"""Sign-in sessions: a short access token (JWT, `auth.issue_token`) and a refresh token.

- `sign_in`: the identity provider vouches for (UnionID, OpenID); the member with that UnionID
  is found or created, and the brand app's OpenID linked to them (a first sign-in in another
  brand links a new brand account to the same member).
- Refresh tokens are random, given to the client once and stored as their SHA-256 only.
  `refresh` rotates: the presented token is revoked (a conditional UPDATE, so two concurrent
  refreshes cannot both win) and a new one issued in the same family. Presenting a revoked
  token again means it leaked: the whole family is revoked and the request refused.
- `sign_out` revokes the token's family.
"""

from __future__ import annotations

import hashlib
import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlmodel import select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.common.database import transaction

from .errors import CONFLICT, MemberError, unauthenticated
from .identity import Credentials, Identity
from .models import BrandAccount, Member, RefreshToken, utcnow
from .service import as_utc, checked_brand, get_member, new_id
from .settings import MemberSettings

MEMBER_SCOPES = ("member",)
TOKEN_BYTES = 32
MAX_TOKEN_LENGTH = 200
SIGN_IN_ATTEMPTS = 3


@dataclass(frozen=True)
class IssuedSession:
    member: Member
    access_token: str
    refresh_token: str
    expires_in: int  # seconds the access token is valid
    new_member: bool


def hash_token(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


async def sign_in(
    session: AsyncSession,
    ring: KeyRing,
    settings: MemberSettings,
    brand: str,
    credentials: Credentials,
    *,
    now: datetime | None = None,
) -> IssuedSession:
    brand = checked_brand(brand, settings)
    identity = await settings.provider().identify(brand, credentials)
    now = as_utc(now or utcnow())
    for attempt in range(SIGN_IN_ATTEMPTS):
        try:
            async with transaction(session):
                member, created = await _link(session, brand, identity, now)
                token = _new_refresh(session, member.id, brand, uuid.uuid4().hex, now, settings)
                await session.flush()
            return _issued(ring, settings, member, brand, token, created)
        except IntegrityError:
            # A concurrent first sign-in created the member or the brand account: retry
            # and find it.
            if attempt == SIGN_IN_ATTEMPTS - 1:
                raise
    raise AssertionError("unreachable")


async def _link(
    session: AsyncSession, brand: str, identity: Identity, now: datetime
) -> tuple[Member, bool]:
    # The brand account first: read after the member, a concurrent first sign-in committing in
    # between (READ COMMITTED) would show an account without its member.
    account = (
        await session.exec(
            select(BrandAccount).where(
                BrandAccount.brand == brand, BrandAccount.open_id == identity.open_id
            )
        )
    ).first()
    if account is not None:
        member = await get_member(session, account.member_id)
        if member is None or member.union_id != identity.union_id:
            raise MemberError(
                f"this {brand} OpenID belongs to another member (UnionID mismatch)", CONFLICT
            )
    else:
        member = (
            await session.exec(select(Member).where(Member.union_id == identity.union_id))
        ).first()
    created = member is None
    if member is None:
        member = Member(
            id=new_id("mbr"),
            union_id=identity.union_id,
            display_name=identity.display_name,
            created_at=now,
        )
        session.add(member)
        await session.flush()
    elif identity.display_name:
        member.display_name = identity.display_name
    if account is None:
        session.add(
            BrandAccount(
                brand=brand,
                open_id=identity.open_id,
                member_id=member.id,
                first_seen_at=now,
                last_seen_at=now,
            )
        )
    else:
        account.last_seen_at = now
    return member, created


def _new_refresh(
    session: AsyncSession,
    member_id: str,
    brand: str,
    family_id: str,
    now: datetime,
    settings: MemberSettings,
) -> str:
    token = secrets.token_urlsafe(TOKEN_BYTES)
    session.add(
        RefreshToken(
            token_hash=hash_token(token),
            member_id=member_id,
            brand=brand,
            family_id=family_id,
            created_at=now,
            expires_at=now + settings.refresh_ttl,
        )
    )
    return token


def _issued(
    ring: KeyRing,
    settings: MemberSettings,
    member: Member,
    brand: str,
    refresh_token: str,
    created: bool,
) -> IssuedSession:
    access = issue_token(
        ring,
        subject=member.id,
        kind="member",
        brand=brand,
        scopes=MEMBER_SCOPES,
        ttl_seconds=settings.access_ttl_seconds,
    )
    return IssuedSession(member, access, refresh_token, settings.access_ttl_seconds, created)


async def _stored(session: AsyncSession, token: str) -> RefreshToken:
    if not token or len(token) > MAX_TOKEN_LENGTH:
        raise unauthenticated("the refresh token is invalid")
    row = await session.get(RefreshToken, hash_token(token))
    if row is None:
        raise unauthenticated("the refresh token is invalid")
    return row


async def _revoke_family(session: AsyncSession, family_id: str, now: datetime) -> None:
    await session.exec(
        sa.update(RefreshToken)
        .where(RefreshToken.family_id == family_id, RefreshToken.revoked_at.is_(None))  # type: ignore[union-attr]
        .values(revoked_at=now)
    )


async def refresh(
    session: AsyncSession,
    ring: KeyRing,
    settings: MemberSettings,
    token: str,
    *,
    now: datetime | None = None,
) -> IssuedSession:
    now = as_utc(now or utcnow())
    refused: str | None = None
    async with transaction(session):
        row = await _stored(session, token)
        claimed = await session.exec(
            sa.update(RefreshToken)
            .where(
                RefreshToken.token_hash == row.token_hash,
                RefreshToken.revoked_at.is_(None),  # type: ignore[union-attr]
            )
            .values(revoked_at=now)
        )
        if claimed.rowcount != 1:
            # A rotated (or signed-out) token came back: treat the family as stolen.
            await _revoke_family(session, row.family_id, now)
            refused = "the refresh token was already used; this session is signed out"
        elif as_utc(row.expires_at) <= now:
            refused = "the refresh token has expired; sign in again"
        else:
            member = await get_member(session, row.member_id)
            if member is None or member.erased_at is not None:
                await _revoke_family(session, row.family_id, now)
                refused = "this member was erased; sign in again"
            else:
                new = _new_refresh(session, member.id, row.brand, row.family_id, now, settings)
                await session.flush()
    if refused is not None:  # raised after the commit: the revocations stand
        raise unauthenticated(refused)
    return _issued(ring, settings, member, row.brand, new, False)


async def sign_out(session: AsyncSession, token: str, *, now: datetime | None = None) -> bool:
    """Revoke the session (every token of the refresh token's family). Repeatable."""
    now = as_utc(now or utcnow())
    async with transaction(session):
        row = await _stored(session, token)
        await _revoke_family(session, row.family_id, now)
    return True
