"""Payment providers: a `PaymentProvider` charges a saved token and refunds a charge, each
idempotent by the caller's key (a retried call returns the first result, never a second
charge).

`SandboxPaymentProvider` is deterministic, for development and tests: tokens starting
`tok_sandbox_decline` are declined, other `tok_sandbox_` tokens succeed, anything else is an
invalid token. Its record lives in a table (`order_sandbox_charges`) in its own transactions,
like an external provider's: a restart never charges a key twice. `InMemorySandboxProvider`
has the same rules without a database.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Protocol

from sqlalchemy.exc import IntegrityError
from sqlmodel import select

from subgraphs.common.database import Database

from .models import DECLINED, FAILED, SUCCEEDED, SandboxCharge

SANDBOX_PREFIX = "tok_sandbox_"
DECLINE_PREFIX = "tok_sandbox_decline"


@dataclass(frozen=True)
class Charge:
    id: str
    amount_fen: int
    status: str  # SUCCEEDED, DECLINED (the payer's bank said no), FAILED (unusable token)
    error: str | None = None

    @property
    def succeeded(self) -> bool:
        return self.status == SUCCEEDED


@dataclass(frozen=True)
class Refund:
    id: str
    charge_id: str
    amount_fen: int
    status: str
    error: str | None = None


class PaymentProvider(Protocol):
    async def charge(self, amount_fen: int, token: str, idempotency_key: str) -> Charge: ...

    async def refund(self, charge_id: str, amount_fen: int, idempotency_key: str) -> Refund: ...


def sandbox_outcome(token: str) -> tuple[str, str | None]:
    if token.startswith(DECLINE_PREFIX):
        return DECLINED, "the card was declined (sandbox)"
    if token.startswith(SANDBOX_PREFIX):
        return SUCCEEDED, None
    return FAILED, "invalid payment token"


class InMemorySandboxProvider:
    """The sandbox rules in memory (forgets its keys on restart)."""

    def __init__(self) -> None:
        self.charges: dict[str, Charge] = {}
        self.refunds: dict[str, Refund] = {}

    async def charge(self, amount_fen: int, token: str, idempotency_key: str) -> Charge:
        if idempotency_key not in self.charges:
            status, error = sandbox_outcome(token)
            self.charges[idempotency_key] = Charge(_id("ch"), amount_fen, status, error)
        return self.charges[idempotency_key]

    async def refund(self, charge_id: str, amount_fen: int, idempotency_key: str) -> Refund:
        if idempotency_key not in self.refunds:
            self.refunds[idempotency_key] = Refund(_id("re"), charge_id, amount_fen, SUCCEEDED)
        return self.refunds[idempotency_key]


class SandboxPaymentProvider:
    """The sandbox rules, recorded in `order_sandbox_charges` of `database`."""

    def __init__(self, database: Database) -> None:
        self.database = database

    async def charge(self, amount_fen: int, token: str, idempotency_key: str) -> Charge:
        status, error = sandbox_outcome(token)
        row = await self._once(
            SandboxCharge(
                id=_id("ch"),
                kind="CHARGE",
                idempotency_key=idempotency_key,
                amount_fen=amount_fen,
                status=status,
                error=error,
            )
        )
        return Charge(row.id, row.amount_fen, row.status, row.error)

    async def refund(self, charge_id: str, amount_fen: int, idempotency_key: str) -> Refund:
        row = await self._once(
            SandboxCharge(
                id=_id("re"),
                kind="REFUND",
                idempotency_key=idempotency_key,
                charge_id=charge_id,
                amount_fen=amount_fen,
                status=SUCCEEDED,
            )
        )
        return Refund(row.id, row.charge_id or charge_id, row.amount_fen, row.status, row.error)

    async def _once(self, row: SandboxCharge) -> SandboxCharge:
        """The row stored under the key: this one, or the one a former (or racing) call
        stored."""
        for _ in range(3):
            async with self.database.session() as session:
                query = select(SandboxCharge).where(
                    SandboxCharge.idempotency_key == row.idempotency_key
                )
                found = (await session.exec(query)).first()
                if found is not None:
                    return found
                session.add(row)
                try:
                    await session.commit()
                except IntegrityError:
                    await session.rollback()
                    row = SandboxCharge(**row.model_dump())  # a fresh instance for the retry
                    continue
                return row
        raise RuntimeError(f"sandbox payment key {row.idempotency_key!r}: no stable result")


def _id(prefix: str) -> str:
    return f"{prefix}_{uuid.uuid4().hex[:24]}"
