"""The loyalty rules, free of GraphQL.

- Ledger: `earn` and `redeem` append one entry each, idempotent by (member, key): a repeat
  with the same request returns the first entry and writes nothing (`Posting.replayed`); the
  same key with a different request is refused. Points are positive integers.
- Locking: every write first upserts and locks the member's `loyalty_accounts` row (INSERT ...
  ON CONFLICT DO NOTHING, then SELECT ... FOR UPDATE on PostgreSQL; on SQLite the INSERT takes
  the database write lock, held until commit), then reads the ledger and decides. Concurrent
  redemptions of one member are therefore serialised and the balance never goes negative.
- Expiry: an earn entry's points are spendable until `expires_at` (None: never). Redemptions
  consume the soonest-expiring live points first (FIFO by expiry, then by entry order);
  `balance(entries, now)` replays the ledger to give the points spendable at `now`.
- Tiers: from lifetime earned points (expired or spent points still count), group-wide, with
  configured thresholds (`LoyaltySettings.tiers`); the asking brand plays no part.

Authorization (who may earn or redeem for whom) is issue 8's; nothing here checks it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import KEY_LENGTH, MEMBER_ID_LENGTH, Account, LedgerEntry, utcnow

DEFAULT_HISTORY = 20
MAX_HISTORY = 100
BRAND_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")  # BRAND_LENGTH characters at most

# Tier name and the lifetime earned points from which it applies (ascending; the first is 0).
DEFAULT_TIERS: tuple[tuple[str, int], ...] = (
    ("MEMBER", 0),
    ("SILVER", 1_000),
    ("GOLD", 5_000),
    ("PLATINUM", 20_000),
)
TIER_NAMES = tuple(name for name, _ in DEFAULT_TIERS)


@dataclass(frozen=True)
class LoyaltySettings:
    tiers: tuple[tuple[str, int], ...] = DEFAULT_TIERS
    points_validity: timedelta | None = field(default=timedelta(days=365))  # default expiry

    def __post_init__(self) -> None:
        names = [name for name, _ in self.tiers]
        thresholds = [threshold for _, threshold in self.tiers]
        if sorted(names) != sorted(TIER_NAMES) or len(set(names)) != len(names):
            raise ValueError(f"tiers must name each of {TIER_NAMES} once")
        if thresholds[0] != 0 or thresholds != sorted(set(thresholds)):
            raise ValueError("tier thresholds must start at 0 and strictly increase")


class LoyaltyError(ValueError):
    """A request loyalty refuses (shown to the client as a GraphQL error)."""


class InsufficientPoints(LoyaltyError):
    pass


@dataclass(frozen=True)
class Posting:
    entry: LedgerEntry
    replayed: bool  # True: the key was used before; this is the first request's entry


def as_utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite hands back naive datetimes, stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def tier_for(lifetime_earned: int, tiers: Sequence[tuple[str, int]] = DEFAULT_TIERS) -> str:
    current = tiers[0][0]
    for name, threshold in tiers:
        if lifetime_earned >= threshold:
            current = name
    return current


def balance(entries: Iterable[LedgerEntry], now: datetime | None = None) -> int:
    """The points spendable at `now`: the ledger replayed in entry order, each redemption
    taking the soonest-expiring points live at its time."""
    now = as_utc(now or utcnow())
    lots: list[list] = []  # [expires_at or None, remaining]
    for entry in sorted(entries, key=lambda e: e.id or 0):
        if entry.delta > 0:
            expiry = None if entry.expires_at is None else as_utc(entry.expires_at)
            lots.append([expiry, entry.delta])
            continue
        at = as_utc(entry.created_at)
        need = -entry.delta
        live = [lot for lot in lots if lot[1] > 0 and (lot[0] is None or lot[0] > at)]
        for lot in sorted(live, key=lambda lot: (lot[0] is None, lot[0] or at)):
            taken = min(need, lot[1])
            lot[1] -= taken
            need -= taken
            if need == 0:
                break
    return sum(rest for expiry, rest in lots if rest > 0 and (expiry is None or expiry > now))


def lifetime_earned(entries: Iterable[LedgerEntry]) -> int:
    return sum(entry.delta for entry in entries if entry.delta > 0)


def history_size(first: int | None) -> int:
    if first is None:
        return DEFAULT_HISTORY
    if first < 0:
        raise LoyaltyError("first must not be negative")
    return min(first, MAX_HISTORY)


def history(entries: Sequence[LedgerEntry], first: int | None) -> list[LedgerEntry]:
    """The newest `first` entries, newest first."""
    size = history_size(first)
    return sorted(entries, key=lambda e: e.id or 0, reverse=True)[:size]


def _check(member_id: str, brand: str, points: int, key: str) -> None:
    if not member_id or len(member_id) > MEMBER_ID_LENGTH:
        raise LoyaltyError(f"member id must be 1 to {MEMBER_ID_LENGTH} characters")
    if not BRAND_ID.match(brand or ""):
        raise LoyaltyError(f"invalid brand id {brand!r}")
    if isinstance(points, bool) or not isinstance(points, int) or points <= 0:
        raise LoyaltyError("points must be a positive integer")
    if not key or len(key) > KEY_LENGTH:
        raise LoyaltyError(f"idempotency key must be 1 to {KEY_LENGTH} characters")


async def earn(
    session: AsyncSession,
    member_id: str,
    brand: str,
    points: int,
    key: str,
    *,
    expires_at: datetime | None = None,
    reason: str = "earn",
    settings: LoyaltySettings | None = None,
    now: datetime | None = None,
) -> Posting:
    """Credit `points` earned in `brand`; they expire at `expires_at` (default: now plus the
    configured validity). Commits. The session must have no uncommitted work."""
    _check(member_id, brand, points, key)
    settings = settings or LoyaltySettings()
    now = as_utc(now or utcnow())
    if expires_at is None and settings.points_validity is not None:
        expires_at = now + settings.points_validity
    if expires_at is not None:
        expires_at = as_utc(expires_at)
        if expires_at <= now:
            raise LoyaltyError("expires_at must be in the future")
    request = (brand, points, reason)

    async with transaction(session):
        account = await _lock_account(session, member_id)
        replay = await _replay(session, member_id, key, request)
        if replay is not None:
            return replay
        entry = LedgerEntry(
            member_id=member_id, brand=brand, delta=points, reason=reason,
            idempotency_key=key, created_at=now, expires_at=expires_at,
        )  # fmt: skip
        session.add(entry)
        account.lifetime_earned += points
        account.updated_at = now
        await session.flush()
    return Posting(entry, replayed=False)


async def redeem(
    session: AsyncSession,
    member_id: str,
    brand: str,
    points: int,
    key: str,
    *,
    reason: str = "redeem",
    now: datetime | None = None,
) -> Posting:
    """Spend `points` in `brand`; refused (nothing written) beyond the spendable balance.
    Commits. The session must have no uncommitted work."""
    _check(member_id, brand, points, key)
    now = as_utc(now or utcnow())
    request = (brand, -points, reason)

    async with transaction(session):
        account = await _lock_account(session, member_id)
        replay = await _replay(session, member_id, key, request)
        if replay is not None:
            return replay
        available = balance(await entries_of(session, member_id), now)
        if points > available:
            raise InsufficientPoints(f"insufficient points: {points} asked, {available} available")
        entry = LedgerEntry(
            member_id=member_id, brand=brand, delta=-points, reason=reason,
            idempotency_key=key, created_at=now,
        )  # fmt: skip
        session.add(entry)
        account.updated_at = now
        await session.flush()
    return Posting(entry, replayed=False)


async def entries_of(session: AsyncSession, member_id: str) -> Sequence[LedgerEntry]:
    query = select(LedgerEntry).where(LedgerEntry.member_id == member_id)
    return (await session.exec(query.order_by(col(LedgerEntry.id)))).all()


async def _lock_account(session: AsyncSession, member_id: str) -> Account:
    """Create the member's account row if missing and lock it until the transaction ends."""
    dialect = session.bind.dialect.name  # type: ignore[union-attr]
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    await session.exec(
        insert(Account)  # type: ignore[call-overload]
        .values(member_id=member_id, lifetime_earned=0, updated_at=utcnow())
        .on_conflict_do_nothing(index_elements=["member_id"])
    )
    query = (
        select(Account)
        .where(Account.member_id == member_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    )
    return (await session.exec(query)).one()


async def _replay(
    session: AsyncSession, member_id: str, key: str, request: tuple
) -> Posting | None:
    query = select(LedgerEntry).where(
        LedgerEntry.member_id == member_id, LedgerEntry.idempotency_key == key
    )
    entry = (await session.exec(query)).first()
    if entry is None:
        return None
    if (entry.brand, entry.delta, entry.reason) != request:
        raise LoyaltyError(f"idempotency key {key!r} was used for another request")
    return Posting(entry, replayed=True)
