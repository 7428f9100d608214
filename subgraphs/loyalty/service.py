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

- Refunds (`reverse_points`, run by the `order.refunded` consumer): the points an order earned
  are taken back with one negative entry per brand, but never more than the member can spend
  at that moment, so the balance never goes negative. When part of the points were already
  spent (or expired), the entry reverses what is spendable and its reason records the
  shortfall ("... shortfall 120"); when nothing is spendable no entry is written and the
  shortfall is only announced (`loyalty.points.reversed` event, `shortfall` field). Lifetime
  points (the tier's basis) lose the order's full earned points either way: a refunded order
  does not count towards a tier.
- Writes come in two forms: `earn` / `redeem` commit their own transaction (the GraphQL
  mutations); `post_earn` / `post_redeem` / `reverse_points` write inside the caller's
  transaction (event consumers, through `handle_once`, and bulk imports).

Authorization (who may earn or redeem for whom) is checked by the schema's resolvers.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import delete
from sqlalchemy.dialects import postgresql, sqlite
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.database import transaction

from .models import KEY_LENGTH, MEMBER_ID_LENGTH, Account, LedgerEntry, utcnow
from .settings import DEFAULT_TIERS, TIER_NAMES, LoyaltySettings

__all__ = ["DEFAULT_TIERS", "TIER_NAMES", "LoyaltySettings"]  # re-exported for callers

DEFAULT_HISTORY = 20
MAX_HISTORY = 100
BRAND_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")  # BRAND_LENGTH characters at most
SHORTFALL_REASON = "{reason} (shortfall {shortfall})"


class LoyaltyError(ValueError):
    """A request loyalty refuses (shown to the client as a GraphQL error whose
    `extensions.code` is `code`)."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.extensions = {"code": self.code}  # graphql-core copies this onto the error


class InsufficientPoints(LoyaltyError):
    code = "INSUFFICIENT_POINTS"


class NotFound(LoyaltyError):
    code = "NOT_FOUND"


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
    async with transaction(session):
        return await post_earn(
            session, member_id, brand, points, key,
            expires_at=expires_at, reason=reason, settings=settings, now=now,
        )  # fmt: skip


async def post_earn(
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
    """`earn` inside the caller's transaction (no commit)."""
    _check(member_id, brand, points, key)
    settings = settings or LoyaltySettings()
    now = as_utc(now or utcnow())
    if expires_at is None and settings.points_validity is not None:
        expires_at = now + settings.points_validity
    if expires_at is not None:
        expires_at = as_utc(expires_at)
        if expires_at <= now:
            raise LoyaltyError("expires_at must be in the future")
    account = await _lock_account(session, member_id)
    replay = await _replay(session, member_id, key, (brand, points, reason))
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
    async with transaction(session):
        return await post_redeem(session, member_id, brand, points, key, reason=reason, now=now)


async def post_redeem(
    session: AsyncSession,
    member_id: str,
    brand: str,
    points: int,
    key: str,
    *,
    reason: str = "redeem",
    now: datetime | None = None,
) -> Posting:
    """`redeem` inside the caller's transaction (no commit)."""
    _check(member_id, brand, points, key)
    now = as_utc(now or utcnow())
    account = await _lock_account(session, member_id)
    replay = await _replay(session, member_id, key, (brand, -points, reason))
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


@dataclass(frozen=True)
class Reversal:
    brand: str
    earned: int  # the points the order earned in the brand
    reversed: int  # taken back now (a negative entry), at most what was spendable
    shortfall: int  # earned - reversed: already spent or expired, not taken back
    entry: LedgerEntry | None


async def reverse_points(
    session: AsyncSession,
    member_id: str,
    earned: Sequence[tuple[str, int]],
    key_prefix: str,
    *,
    reason: str = "refund",
    now: datetime | None = None,
) -> list[Reversal]:
    """Take back points earned per brand (`earned`: (brand, points) pairs), inside the
    caller's transaction: never more than spendable now (see the module docstring). Keys are
    `<key_prefix>:<brand>`; a key already used means that brand was reversed before."""
    now = as_utc(now or utcnow())
    account = await _lock_account(session, member_id)
    entries = list(await entries_of(session, member_id))
    done = {entry.idempotency_key: entry for entry in entries}
    available = balance(entries, now)
    results = []
    for brand, points in earned:
        key = f"{key_prefix}:{brand}"
        if key in done or points <= 0:
            continue
        taken = min(points, available)
        available -= taken
        shortfall = points - taken
        text = SHORTFALL_REASON.format(reason=reason, shortfall=shortfall) if shortfall else reason
        entry = None
        if taken:
            entry = LedgerEntry(
                member_id=member_id, brand=brand, delta=-taken, reason=text[:200],
                idempotency_key=key, created_at=now,
            )  # fmt: skip
            session.add(entry)
        # a refunded order does not count towards the tier
        account.lifetime_earned = max(0, account.lifetime_earned - points)
        account.updated_at = now
        results.append(Reversal(brand, points, taken, shortfall, entry))
    await session.flush()
    return results


@dataclass(frozen=True)
class HistoricalEntry:
    """One past ledger entry for `import_entries` (the demo seed, migrations from a legacy
    system): `delta` positive earned, negative spent; `created_at` when it happened."""

    member_id: str
    brand: str
    delta: int
    key: str
    created_at: datetime
    expires_at: datetime | None = None
    reason: str = "import"


async def import_entries(session: AsyncSession, rows: Iterable[HistoricalEntry]) -> int:
    """Bulk-insert past ledger entries in one transaction (commits); rows whose (member, key)
    exists are skipped, so importing twice changes nothing. Lifetime points follow. Unlike
    `redeem`, spending is not checked against the balance (history is taken as it was; the
    balance still never shows below 0). Returns the number of entries written."""
    rows = list(rows)
    for row in rows:
        if row.delta == 0:
            raise LoyaltyError("an imported entry needs a non-zero delta")
        _check(row.member_id, row.brand, abs(row.delta), row.key)
    written = 0
    async with transaction(session):
        members = sorted({row.member_id for row in rows})
        existing = set(
            (
                await session.exec(
                    select(LedgerEntry.member_id, LedgerEntry.idempotency_key).where(
                        col(LedgerEntry.member_id).in_(members)
                    )
                )
            ).all()
        ) if members else set()  # fmt: skip
        accounts = {member: await _lock_account(session, member) for member in members}
        for row in sorted(rows, key=lambda r: as_utc(r.created_at)):
            if (row.member_id, row.key) in existing:
                continue
            existing.add((row.member_id, row.key))
            session.add(
                LedgerEntry(
                    member_id=row.member_id,
                    brand=row.brand,
                    delta=row.delta,
                    reason=row.reason[:200],
                    idempotency_key=row.key,
                    created_at=as_utc(row.created_at),
                    expires_at=None if row.expires_at is None else as_utc(row.expires_at),
                )
            )
            if row.delta > 0:
                accounts[row.member_id].lifetime_earned += row.delta
            written += 1
        await session.flush()
    return written


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


async def erase_ledger(session: AsyncSession, member_id: str) -> int:
    """Delete the member's ledger entries and account inside the caller's transaction (the
    member's erasure); the number of entries deleted."""
    await _lock_account(session, member_id)
    result = await session.exec(  # type: ignore[call-overload]
        delete(LedgerEntry).where(col(LedgerEntry.member_id) == member_id)
    )
    await session.exec(delete(Account).where(col(Account.member_id) == member_id))  # type: ignore[call-overload]
    return result.rowcount or 0
