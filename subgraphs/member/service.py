"""The member's own data, free of GraphQL: lookups, addresses, payment methods and consent.

Every change runs in one transaction with the events other subgraphs replicate from
(`member.address.*`, `member.payment_method.*`), after locking the member's row, so an
erasure and a change of the same member never interleave. Inputs are checked before anything
is written; a refusal is a `MemberError` with a code.
"""

from __future__ import annotations

import re
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from subgraphs.common.brand_ids import check_brand
from subgraphs.common.database import transaction
from subgraphs.common.events import record_event

from .errors import MemberError, forbidden, not_found, unauthenticated
from .models import (
    NAME_LENGTH,
    TOKEN_LENGTH,
    Address,
    ConsentRecord,
    Member,
    PaymentMethod,
    utcnow,
)
from .settings import MemberSettings

ADDRESS_SAVED = "member.address.saved"
ADDRESS_REMOVED = "member.address.removed"
PAYMENT_METHOD_SAVED = "member.payment_method.saved"
PAYMENT_METHOD_REMOVED = "member.payment_method.removed"
MAX_ADDRESSES = 20
MAX_PAYMENT_METHODS = 10
ID_MAX = 64

PHONE = re.compile(r"^\+?[0-9][0-9 -]{4,19}$")
POSTAL_CODE = re.compile(r"^[A-Za-z0-9 -]{0,12}$")
PROVIDER = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
PAYMENT_TOKEN = re.compile(rf"^[\x21-\x7e]{{1,{TOKEN_LENGTH}}}$")  # printable ASCII, no space
CONSENT_WORD = re.compile(r"^[A-Za-z0-9._:-]{1,32}$")


def as_utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite hands back naive datetimes, stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def new_id(prefix: str) -> str:
    return f"{prefix}_{secrets.token_hex(8)}"


def checked_brand(brand: str, settings: MemberSettings) -> str:
    try:
        check_brand(brand)
    except ValueError as error:
        raise MemberError(str(error)) from None
    if settings.known_brands and brand not in settings.known_brands:
        raise MemberError(f"unknown brand {brand!r}")
    return brand


def checked_id(value: str, what: str) -> str:
    value = str(value or "")
    if not value or len(value) > ID_MAX:
        raise MemberError(f"{what} must be 1 to {ID_MAX} characters")
    return value


def text(value: str | None, what: str, maximum: int, *, minimum: int = 1) -> str:
    """`value` with runs of whitespace collapsed, printable, `minimum`..`maximum` long."""
    value = " ".join((value or "").split())
    if len(value) < minimum or len(value) > maximum or not value.isprintable():
        raise MemberError(f"{what} must be {minimum} to {maximum} printable characters")
    return value


def matching(value: str | None, what: str, pattern: re.Pattern[str], rule: str) -> str:
    value = (value or "").strip()
    if not pattern.match(value):
        raise MemberError(f"{what} {rule}")
    return value


# --- members ---------------------------------------------------------------------------------


async def get_member(session: AsyncSession, member_id: str, *, lock: bool = False) -> Member | None:
    query = select(Member).where(Member.id == member_id)
    if lock:
        query = query.with_for_update().execution_options(populate_existing=True)
    return (await session.exec(query)).first()


async def active_member(session: AsyncSession, member_id: str, *, lock: bool = True) -> Member:
    """The signed-in member's row (locked for the transaction); refused once erased."""
    member = await get_member(session, member_id, lock=lock)
    if member is None:
        raise unauthenticated("the signed-in member does not exist; sign in again")
    if member.erased_at is not None:
        raise unauthenticated("this member was erased; sign in again to start afresh")
    return member


# --- addresses -------------------------------------------------------------------------------


@dataclass(frozen=True)
class AddressInput:
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str = ""
    is_default: bool = False
    id: str | None = None

    def checked(self) -> AddressInput:
        return AddressInput(
            id=None if self.id is None else checked_id(self.id, "address id"),
            recipient=text(self.recipient, "recipient", NAME_LENGTH),
            phone=matching(self.phone, "phone", PHONE, "must be 5 to 20 digits ('+', ' ', '-')"),
            region=text(self.region, "region", 64),
            city=text(self.city, "city", 64),
            line1=text(self.line1, "line1", 200),
            postal_code=matching(
                self.postal_code, "postalCode", POSTAL_CODE, "must be at most 12 letters/digits"
            ),
            is_default=bool(self.is_default),
        )


def address_payload(row: Address) -> dict[str, str]:
    return {
        "id": row.id,
        "recipient": row.recipient,
        "phone": row.phone,
        "region": row.region,
        "city": row.city,
        "line1": row.line1,
        "postalCode": row.postal_code,
    }


async def addresses_of(session: AsyncSession, member_id: str) -> Sequence[Address]:
    query = select(Address).where(Address.member_id == member_id)
    return (await session.exec(query.order_by(col(Address.created_at), col(Address.id)))).all()


async def _owned(session: AsyncSession, model, row_id: str, member_id: str, what: str):
    row = await session.get(model, row_id)
    if row is None:
        raise not_found(f"no {what} {row_id!r}")
    if row.member_id != member_id:
        raise forbidden(f"this {what} belongs to another member")
    return row


async def save_address(
    session: AsyncSession, member_id: str, data: AddressInput, *, now: datetime | None = None
) -> Address:
    """Create the address (no id) or update the member's address `data.id`; records
    `member.address.saved`. The first address is the default; a new default unsets the old."""
    data = data.checked()
    now = as_utc(now or utcnow())
    async with transaction(session):
        await active_member(session, member_id)
        existing = list(await addresses_of(session, member_id))
        if data.id is None:
            if len(existing) >= MAX_ADDRESSES:
                raise MemberError(f"a member can keep at most {MAX_ADDRESSES} addresses")
            row = Address(id=new_id("adr"), member_id=member_id, created_at=now)
            session.add(row)
            existing.append(row)
        else:
            row = await _owned(session, Address, data.id, member_id, "address")
        row.recipient, row.phone, row.region = data.recipient, data.phone, data.region
        row.city, row.line1, row.postal_code = data.city, data.line1, data.postal_code
        row.updated_at = now
        if data.is_default or len(existing) == 1:
            for other in existing:
                other.is_default = other.id == row.id
        record_event(
            session, ADDRESS_SAVED, {"memberId": member_id, "address": address_payload(row)}
        )
        await session.flush()
    return row


async def remove_address(session: AsyncSession, member_id: str, address_id: str) -> None:
    """Delete the member's address (the oldest remaining one becomes the default if it was);
    records `member.address.removed`."""
    address_id = checked_id(address_id, "address id")
    async with transaction(session):
        await active_member(session, member_id)
        row = await _owned(session, Address, address_id, member_id, "address")
        await session.delete(row)
        await session.flush()
        if row.is_default:
            rest = await addresses_of(session, member_id)
            if rest:
                rest[0].is_default = True
        record_event(session, ADDRESS_REMOVED, {"memberId": member_id, "addressId": address_id})
        await session.flush()


# --- payment methods -------------------------------------------------------------------------


@dataclass(frozen=True)
class PaymentMethodInput:
    provider: str
    token: str
    label: str

    def checked(self) -> PaymentMethodInput:
        return PaymentMethodInput(
            provider=matching(
                self.provider, "provider", PROVIDER, "must be a lowercase id of at most 32"
            ),
            token=matching(
                self.token,
                "token",
                PAYMENT_TOKEN,
                f"must be 1 to {TOKEN_LENGTH} printable ASCII characters without spaces",
            ),
            label=text(self.label, "label", NAME_LENGTH),
        )


def masked_token(token: str) -> str:
    """What a client may see of a provider token: its last four characters at most."""
    return "••••" + (token[-4:] if len(token) >= 8 else "")


def payment_method_payload(row: PaymentMethod) -> dict[str, str]:
    return {"id": row.id, "provider": row.provider, "token": row.token, "label": row.label}


async def payment_methods_of(session: AsyncSession, member_id: str) -> Sequence[PaymentMethod]:
    query = select(PaymentMethod).where(PaymentMethod.member_id == member_id)
    return (
        await session.exec(query.order_by(col(PaymentMethod.created_at), col(PaymentMethod.id)))
    ).all()


async def save_payment_method(
    session: AsyncSession,
    member_id: str,
    data: PaymentMethodInput,
    *,
    now: datetime | None = None,
) -> PaymentMethod:
    """Keep a provider token (saving the same provider and token again relabels the existing
    one); records `member.payment_method.saved`."""
    data = data.checked()
    now = as_utc(now or utcnow())
    async with transaction(session):
        await active_member(session, member_id)
        existing = await payment_methods_of(session, member_id)
        row = next(
            (r for r in existing if (r.provider, r.token) == (data.provider, data.token)), None
        )
        if row is None:
            if len(existing) >= MAX_PAYMENT_METHODS:
                raise MemberError(
                    f"a member can keep at most {MAX_PAYMENT_METHODS} payment methods"
                )
            row = PaymentMethod(
                id=new_id("pm"),
                member_id=member_id,
                provider=data.provider,
                token=data.token,
                label=data.label,
                created_at=now,
            )
            session.add(row)
        row.label = data.label
        record_event(
            session,
            PAYMENT_METHOD_SAVED,
            {"memberId": member_id, "paymentMethod": payment_method_payload(row)},
        )
        await session.flush()
    return row


async def remove_payment_method(session: AsyncSession, member_id: str, method_id: str) -> None:
    method_id = checked_id(method_id, "payment method id")
    async with transaction(session):
        await active_member(session, member_id)
        row = await _owned(session, PaymentMethod, method_id, member_id, "payment method")
        await session.delete(row)
        record_event(
            session,
            PAYMENT_METHOD_REMOVED,
            {"memberId": member_id, "paymentMethodId": method_id},
        )
        await session.flush()


# --- consent ---------------------------------------------------------------------------------


async def set_consent(
    session: AsyncSession,
    member_id: str,
    granted: bool,
    version: str,
    channel: str,
    *,
    now: datetime | None = None,
) -> ConsentRecord:
    """Append a consent record (granted, or withdrawn with granted=False): the latest counts."""
    version = matching(version, "version", CONSENT_WORD, "must be 1 to 32 letters/digits/._:-")
    channel = matching(channel, "channel", CONSENT_WORD, "must be 1 to 32 letters/digits/._:-")
    now = as_utc(now or utcnow())
    async with transaction(session):
        await active_member(session, member_id)
        row = ConsentRecord(
            member_id=member_id,
            granted=bool(granted),
            version=version,
            channel=channel,
            created_at=now,
        )
        session.add(row)
        await session.flush()
    return row


def latest(records: Sequence[ConsentRecord]) -> ConsentRecord | None:
    return max(records, key=lambda r: (as_utc(r.created_at), r.id or 0), default=None)


async def current_consent(session: AsyncSession, member_id: str) -> ConsentRecord | None:
    query = select(ConsentRecord).where(ConsentRecord.member_id == member_id)
    return latest((await session.exec(query)).all())
