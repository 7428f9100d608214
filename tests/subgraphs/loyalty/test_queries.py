from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta

from subgraphs.loyalty import service
from subgraphs.loyalty.seed import seed_demo

from .conftest import (
    as_member,
    as_operator,
    data,
    gql,
    row_counts,
    selects_from,
    statements,
)

EARN = (
    "mutation($m: ID!, $p: Int!, $k: String!) { earnPoints(memberId: $m, points: $p, "
    "idempotencyKey: $k) { replayed entry { id brand delta reason expiresAt } "
    "member { id points tier } } }"
)
REDEEM = (
    "mutation($m: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, points: $p, "
    "idempotencyKey: $k) { replayed entry { id brand delta } member { points } } }"
)
MEMBER = (
    "query($reps: [_Any!]!) { _entities(representations: $reps) "
    "{ ... on Member { id points lifetimePoints tier pointsHistory(first: 2) "
    "{ brand delta reason } } } }"
)


def member(member_id: str) -> dict:
    return {"__typename": "Member", "id": member_id}


EARNER = as_operator()  # operators may earn and read every member (EARN reads points)
OPERATOR = as_operator()


async def test_earn_and_redeem_through_graphql_with_idempotent_replay(app):
    variables = {"m": "M-1", "p": 100, "k": "order-1"}
    first = (await data(app, EARN, variables, token=EARNER))["earnPoints"]
    assert first["replayed"] is False
    assert first["entry"]["brand"] == "lumen" and first["entry"]["delta"] == 100
    assert first["entry"]["expiresAt"] is not None  # default validity
    assert first["member"] == {"id": "M-1", "points": 100, "tier": "MEMBER"}
    again = (await data(app, EARN, variables, token=EARNER))["earnPoints"]
    assert again["replayed"] is True and again["entry"] == first["entry"]
    assert again["member"]["points"] == 100

    redeem = {"m": "M-1", "p": 30, "k": "reward-1"}
    owner = as_member("M-1")
    spent = (await data(app, REDEEM, redeem, brand="aurora", token=owner))["redeemPoints"]
    assert spent["entry"]["brand"] == "aurora" and spent["entry"]["delta"] == -30
    assert spent["member"]["points"] == 70
    replay = (await data(app, REDEEM, redeem, brand="aurora", token=owner))["redeemPoints"]
    assert replay["replayed"] is True and replay["member"]["points"] == 70
    assert await row_counts(app) == (2, 1)


async def test_redemption_beyond_balance_is_a_clear_error_and_writes_nothing(app):
    await data(app, EARN, {"m": "M-1", "p": 50, "k": "e"}, token=EARNER)
    before = await row_counts(app)
    body = await gql(app, REDEEM, {"m": "M-1", "p": 80, "k": "r"}, token=as_member("M-1"))
    assert body["data"] is None
    assert body["errors"][0]["message"] == "insufficient points: 80 asked, 50 available"
    assert body["errors"][0]["path"] == ["redeemPoints"]
    body = await gql(app, REDEEM, {"m": "M-NEW", "p": 1, "k": "r"}, token=as_member("M-NEW"))
    assert body["errors"][0]["message"] == "insufficient points: 1 asked, 0 available"
    assert await row_counts(app) == before


async def test_mutations_need_a_brand_and_positive_integer_points(app):
    body = await gql(app, EARN, {"m": "M-1", "p": 5, "k": "e"}, brand=None, token=EARNER)
    assert body["errors"][0]["message"] == "the x-brand header is required"
    body = await gql(app, EARN, {"m": "M-1", "p": 0, "k": "e"}, token=EARNER)
    assert body["errors"][0]["message"] == "points must be a positive integer"
    body = await gql(app, EARN, {"m": "M-1", "p": 1.5, "k": "e"}, token=EARNER)
    assert "errors" in body and body.get("data") is None  # Int only
    assert await row_counts(app) == (0, 0)


async def test_concurrent_redemptions_never_overdraw(app):
    await data(app, EARN, {"m": "M-1", "p": 100, "k": "e"}, token=EARNER)
    results = await asyncio.gather(
        *(
            gql(app, REDEEM, {"m": "M-1", "p": 30, "k": f"r{i}"}, token=as_member("M-1"))
            for i in range(10)
        )
    )
    ok = [r for r in results if "errors" not in r]
    refused = [r for r in results if "errors" in r]
    assert len(ok) == 3 and len(refused) == 7
    assert {r["errors"][0]["message"] for r in refused} == {
        "insufficient points: 30 asked, 10 available"
    }
    got = await data(app, MEMBER, {"reps": [member("M-1")]}, token=OPERATOR)
    assert got["_entities"][0]["points"] == 10
    assert await row_counts(app) == (4, 1)


async def test_concurrent_replays_of_one_key_write_once(app):
    await data(app, EARN, {"m": "M-1", "p": 100, "k": "e"}, token=EARNER)
    results = await asyncio.gather(
        *(
            data(app, REDEEM, {"m": "M-1", "p": 30, "k": "same"}, token=as_member("M-1"))
            for _ in range(5)
        )
    )
    assert sorted(r["redeemPoints"]["replayed"] for r in results) == [False] + [True] * 4
    assert len({r["redeemPoints"]["entry"]["id"] for r in results}) == 1
    assert await row_counts(app) == (2, 1)


async def test_expired_points_are_not_spendable(app):
    past = datetime.now(UTC) - timedelta(days=10)
    async with app.state.database.session() as s:
        await service.earn(s, "M-1", "lumen", 70, "old", expires_at=past + timedelta(days=1),
                           now=past)  # fmt: skip
        await service.earn(s, "M-1", "lumen", 20, "new", now=past)
    got = await data(app, MEMBER, {"reps": [member("M-1")]}, token=OPERATOR)
    assert got["_entities"][0]["points"] == 20
    assert got["_entities"][0]["lifetimePoints"] == 90
    body = await gql(app, REDEEM, {"m": "M-1", "p": 21, "k": "r"}, token=as_member("M-1"))
    assert body["errors"][0]["message"] == "insufficient points: 21 asked, 20 available"


async def test_tier_is_group_wide_whichever_brand_asks(app):
    async with app.state.database.session() as s:
        await seed_demo(s)
    answers = []
    for brand in ("lumen", "aurora", "verde", None):
        got = await data(
            app, MEMBER, {"reps": [member("M-1001")]}, brand=brand, token=as_member("M-1001")
        )
        answers.append(got["_entities"][0])
    assert answers == [answers[0]] * 4
    assert answers[0]["tier"] == "GOLD" and answers[0]["points"] == 4700
    tiers = await data(app, "{ loyaltyTiers { tier threshold } }")
    assert [t["tier"] for t in tiers["loyaltyTiers"]] == list(service.TIER_NAMES)


async def test_entities_resolve_in_one_select_per_table(app):
    async with app.state.database.session() as s:
        await seed_demo(s)
    reps = [member(m) for m in ("M-1002", "M-1001", "M-UNKNOWN", "M-1003", "M-1001")]
    with statements(app) as seen:
        got = await data(app, MEMBER, {"reps": reps}, token=OPERATOR)
    summary = [(e["id"], e["points"], e["lifetimePoints"], e["tier"]) for e in got["_entities"]]
    assert summary == [
        ("M-1002", 1000, 1600, "SILVER"),
        ("M-1001", 4700, 5500, "GOLD"),
        ("M-UNKNOWN", 0, 0, "MEMBER"),
        ("M-1003", 100, 100, "MEMBER"),
        ("M-1001", 4700, 5500, "GOLD"),
    ]
    assert got["_entities"][1]["pointsHistory"] == [
        {"brand": "verde", "delta": -800, "reason": "demo reward"},
        {"brand": "aurora", "delta": 2500, "reason": "demo order"},
    ]
    assert len(selects_from(seen, "loyalty_entries")) == 1, seen
    assert len(selects_from(seen, "loyalty_accounts")) == 1, seen


async def test_points_history_paging(app):
    async with app.state.database.session() as s:
        await seed_demo(s)
    query = (
        'query($f: Int) { _entities(representations: [{__typename: "Member", '
        'id: "M-1002"}]) { ... on Member { pointsHistory(first: $f) { delta } } } }'
    )
    got = await data(app, query, {"f": None}, token=OPERATOR)
    assert [e["delta"] for e in got["_entities"][0]["pointsHistory"]] == [-200, 1200, 400]
    got = await data(app, query, {"f": 0}, token=OPERATOR)
    assert got["_entities"][0]["pointsHistory"] == []
    body = await gql(app, query, {"f": -1}, token=OPERATOR)
    assert body["errors"][0]["message"] == "first must not be negative"
