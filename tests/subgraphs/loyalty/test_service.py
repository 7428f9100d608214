from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.loyalty import service
from subgraphs.loyalty.models import LedgerEntry
from subgraphs.loyalty.seed import seed_demo
from subgraphs.loyalty.service import InsufficientPoints, LoyaltyError, LoyaltySettings

T0 = datetime(2030, 1, 1, tzinfo=UTC)
HOUR = timedelta(hours=1)


async def points(app, member: str, now: datetime) -> int:
    async with app.state.database.session() as session:
        return service.balance(await service.entries_of(session, member), now)


async def test_earn_redeem_and_replay(app):
    async with app.state.database.session() as s:
        first = await service.earn(s, "M-1", "lumen", 100, "order-1", now=T0)
        assert not first.replayed and first.entry.delta == 100
        again = await service.earn(s, "M-1", "lumen", 100, "order-1", now=T0)
        assert again.replayed and again.entry.id == first.entry.id
        spent = await service.redeem(s, "M-1", "aurora", 30, "reward-1", now=T0)
        assert spent.entry.delta == -30 and spent.entry.brand == "aurora"
        assert (await service.redeem(s, "M-1", "aurora", 30, "reward-1", now=T0)).replayed
        with pytest.raises(LoyaltyError, match="used for another request"):
            await service.redeem(s, "M-1", "aurora", 31, "reward-1", now=T0)
        # keys are per member
        assert not (await service.earn(s, "M-2", "lumen", 5, "order-1", now=T0)).replayed
        assert len(await service.entries_of(s, "M-1")) == 2
    assert await points(app, "M-1", T0) == 70


async def test_redemption_beyond_balance_is_refused_and_writes_nothing(app):
    async with app.state.database.session() as s:
        await service.earn(s, "M-1", "lumen", 50, "e1", now=T0)
        with pytest.raises(InsufficientPoints, match="51 asked, 50 available"):
            await service.redeem(s, "M-1", "lumen", 51, "r1", now=T0)
        with pytest.raises(InsufficientPoints):
            await service.redeem(s, "M-NEW", "lumen", 1, "r1", now=T0)
        assert len(await service.entries_of(s, "M-1")) == 1
        # the key of a refused redemption stays free
        assert not (await service.redeem(s, "M-1", "lumen", 50, "r1", now=T0)).replayed
    assert await points(app, "M-1", T0) == 0


async def test_expired_points_are_not_spendable_and_soonest_expiring_go_first(app):
    async with app.state.database.session() as s:
        await service.earn(s, "M-1", "lumen", 100, "a", expires_at=T0 + 24 * HOUR, now=T0)
        await service.earn(s, "M-1", "aurora", 100, "b", expires_at=T0 + 240 * HOUR, now=T0)
        await service.redeem(s, "M-1", "lumen", 150, "r", now=T0 + HOUR)  # all of a, 50 of b
    assert await points(app, "M-1", T0 + 2 * HOUR) == 50
    assert await points(app, "M-1", T0 + 48 * HOUR) == 50  # a expired, but was spent first
    assert await points(app, "M-1", T0 + 241 * HOUR) == 0
    async with app.state.database.session() as s:
        await service.earn(s, "M-2", "lumen", 100, "a", expires_at=T0 + HOUR, now=T0)
        with pytest.raises(InsufficientPoints, match="0 available"):
            await service.redeem(s, "M-2", "lumen", 1, "r", now=T0 + 2 * HOUR)
        with pytest.raises(LoyaltyError, match="future"):
            await service.earn(s, "M-2", "lumen", 1, "x", expires_at=T0, now=T0)


def test_balance_and_tiers_without_a_database():
    def entry(i, delta, created, expires=None):
        return LedgerEntry(
            id=i, member_id="m", brand="b", delta=delta, reason="r",
            idempotency_key=str(i), created_at=created, expires_at=expires,
        )  # fmt: skip

    naive = T0.replace(tzinfo=None)  # SQLite returns naive UTC
    ledger = [entry(1, 10, naive, naive + HOUR), entry(2, 5, naive), entry(3, -12, naive)]
    assert service.balance(ledger, T0) == 3
    assert service.balance(ledger, T0 + 2 * HOUR) == 3  # the 10 expiring ones went first
    assert service.lifetime_earned(ledger) == 15
    assert [service.tier_for(n) for n in (0, 999, 1000, 4999, 5000, 10**6)] == [
        "MEMBER", "MEMBER", "SILVER", "SILVER", "GOLD", "PLATINUM"
    ]  # fmt: skip
    custom = LoyaltySettings(tiers=(("MEMBER", 0), ("SILVER", 10), ("GOLD", 20), ("PLATINUM", 30)))
    assert service.tier_for(25, custom.tiers) == "GOLD"
    with pytest.raises(ValueError):
        LoyaltySettings(tiers=(("MEMBER", 5), ("SILVER", 10), ("GOLD", 20), ("PLATINUM", 30)))
    with pytest.raises(ValueError):
        LoyaltySettings(tiers=(("MEMBER", 0), ("SILVER", 10)))


async def test_invalid_requests(app):
    async with app.state.database.session() as s:
        for args in [("", "lumen", 1, "k"), ("M", "Lumen", 1, "k"), ("M", "lumen", 0, "k"),
                     ("M", "lumen", -5, "k"), ("M", "lumen", 1, "")]:  # fmt: skip
            with pytest.raises(LoyaltyError):
                await service.earn(s, *args)
            with pytest.raises(LoyaltyError):
                await service.redeem(s, *args)


async def test_demo_seed_is_deterministic(app):
    now = datetime(2031, 6, 1, tzinfo=UTC)
    async with app.state.database.session() as s:
        first = await seed_demo(s, now)
        again = await seed_demo(s, now)
        assert all(p.replayed for p in again) and not any(p.replayed for p in first)
    assert [await points(app, m, now) for m in ("M-1001", "M-1002", "M-1003")] == [4700, 1000, 100]
