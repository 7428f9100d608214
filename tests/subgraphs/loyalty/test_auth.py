"""Who may do what: earn (service/operator/brand staff), redeem (the member), read (the member
or an operator)."""

from __future__ import annotations

from subgraphs.loyalty.seed import seed_demo

from .conftest import (
    as_member,
    as_operator,
    as_service,
    as_staff,
    data,
    error_code,
    gql,
    row_counts,
)

EARN = (
    "mutation($m: ID!, $p: Int!, $k: String!) { earnPoints(memberId: $m, points: $p, "
    "idempotencyKey: $k) { replayed entry { brand delta } } }"
)
REDEEM = (
    "mutation($m: ID!, $p: Int!, $k: String!) { redeemPoints(memberId: $m, points: $p, "
    "idempotencyKey: $k) { entry { delta } } }"
)
FIELDS = ("points", "lifetimePoints", "tier", "pointsHistory { delta }", "coupons { id }")


def read(field: str) -> str:
    return (
        'query($m: ID!) { _entities(representations: [{__typename: "Member", id: $m}]) '
        f"{{ ... on Member {{ id {field} }} }} }}"
    )


async def test_earning_needs_an_earning_service_an_operator_or_the_brands_staff(app):
    allowed = [as_service("loyalty:earn"), as_operator(), as_staff("lumen")]
    for i, token in enumerate(allowed):
        got = await data(app, EARN, {"m": "M-1", "p": 10, "k": f"e{i}"}, token=token)
        assert got["earnPoints"]["entry"] == {"brand": "lumen", "delta": 10}
    refused = [
        (as_member("M-1"), "FORBIDDEN"),  # a member earning for themself
        (as_member("M-2"), "FORBIDDEN"),
        (as_staff("aurora"), "FORBIDDEN"),  # staff of another brand than x-brand
        (as_service("loyalty:read"), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ]
    for token, code in refused:
        body = await gql(app, EARN, {"m": "M-1", "p": 10, "k": "x"}, token=token)
        assert body["data"] is None and error_code(body) == code, body
    # staff of aurora may earn in aurora
    await data(app, EARN, {"m": "M-1", "p": 1, "k": "a"}, brand="aurora", token=as_staff("aurora"))
    assert await row_counts(app) == (4, 1)


async def test_only_the_member_redeems_their_points(app):
    await data(app, EARN, {"m": "M-1", "p": 50, "k": "e"}, token=as_operator())
    for token in (as_member("M-2"), as_operator(), as_staff("lumen"), as_service("loyalty:earn")):
        body = await gql(app, REDEEM, {"m": "M-1", "p": 5, "k": "r"}, token=token)
        assert error_code(body) == "FORBIDDEN", body
    body = await gql(app, REDEEM, {"m": "M-1", "p": 5, "k": "r"})
    assert error_code(body) == "UNAUTHENTICATED"
    assert await row_counts(app) == (1, 1)
    got = await data(app, REDEEM, {"m": "M-1", "p": 5, "k": "r"}, token=as_member("M-1"))
    assert got["redeemPoints"]["entry"]["delta"] == -5


async def test_member_data_is_for_the_member_and_operators_only(app):
    async with app.state.database.session() as s:
        await seed_demo(s)
    for field in FIELDS:
        own = await data(app, read(field), {"m": "M-1001"}, token=as_member("M-1001"))
        assert own["_entities"][0]["id"] == "M-1001"
        await data(app, read(field), {"m": "M-1001"}, token=as_operator())
        for token, code in [
            (as_member("M-1002"), "FORBIDDEN"),  # member A reading member B
            (as_staff("lumen"), "FORBIDDEN"),
            (as_service("loyalty:earn"), "FORBIDDEN"),
            (None, "UNAUTHENTICATED"),
        ]:
            body = await gql(app, read(field), {"m": "M-1001"}, token=token)
            assert body["data"]["_entities"] == [None], (field, body)
            assert error_code(body) == code, (field, body)


async def test_an_invalid_token_is_refused_and_tiers_are_public(app):
    body = await gql(app, read("points"), {"m": "M-1"}, token="not-a-jwt")
    assert error_code(body) == "UNAUTHENTICATED"
    tiers = await data(app, "{ loyaltyTiers { tier threshold } }", brand=None)
    assert tiers["loyaltyTiers"][0] == {"tier": "MEMBER", "threshold": 0}
