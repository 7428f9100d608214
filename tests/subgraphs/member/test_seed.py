from __future__ import annotations

from datetime import UTC, datetime

from subgraphs.member.models import Address, BrandAccount, ConsentRecord, Member, PaymentMethod
from subgraphs.member.seed import EngagementSeed, demo_members, insert_engagement, seed_demo

from .conftest import count, data, operator_token, outbox, selects_from, statements

MEMBERS = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id displayName "
    "brandAccounts { brand } addresses { city } paymentMethods { maskedToken } "
    "crossBrandConsent { granted } engagement { ordersCount brandsUsed brandsPurchased } } } }"
)


async def test_demo_members_are_inserted_once_with_their_events(app):
    now = datetime(2026, 11, 20, tzinfo=UTC)
    async with app.state.database.session() as session:
        assert await seed_demo(session, now) == 2
        assert await seed_demo(session, now) == 0  # idempotent
        rows = [EngagementSeed("mbr_00000000000d0001", 3, now, ["lumen", "aurora"], ["makeup"])]
        assert await insert_engagement(session, rows) == 1
        assert await insert_engagement(session, rows) == 0
    assert await count(app, Member) == 2
    assert await count(app, BrandAccount) == 3
    assert (await count(app, Address), await count(app, PaymentMethod)) == (2, 1)
    assert await count(app, ConsentRecord) == 1
    assert len(await outbox(app, "member.address.saved")) == 2
    assert len(await outbox(app, "member.payment_method.saved")) == 1

    reps = [{"__typename": "Member", "id": m.id} for m in demo_members(now)]
    with statements(app) as seen:
        found = (await data(app, MEMBERS, {"r": reps}, token=operator_token()))["_entities"]
    assert found[0]["displayName"] == "Wang Fang"
    assert found[0]["brandAccounts"] == [{"brand": "lumen"}, {"brand": "aurora"}]
    assert found[0]["paymentMethods"] == [{"maskedToken": "••••0001"}]
    assert found[0]["crossBrandConsent"] == {"granted": True}
    assert found[0]["engagement"] == {
        "ordersCount": 3,
        "brandsUsed": ["lumen", "aurora"],
        "brandsPurchased": ["aurora", "lumen"],
    }
    assert found[1]["crossBrandConsent"] == {"granted": False}
    assert found[1]["engagement"]["ordersCount"] == 0
    # One SELECT per table for both members: no N+1.
    for table in (
        "members",
        "member_brand_accounts",
        "member_addresses",
        "member_payment_methods",
        "member_consents",
        "member_engagement",
    ):
        assert len(selects_from(seen, table)) == 1, (table, seen)
