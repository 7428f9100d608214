from __future__ import annotations

import asyncio

from subgraphs.member.models import BrandAccount, Member

from .conftest import SIGN_IN, count, gql

REFRESH = "mutation($t: String!) { refreshSession(refreshToken: $t) { refreshToken } }"


async def test_concurrent_first_sign_ins_make_one_member(app):
    variables = {"brand": "lumen", "c": {"unionId": "oUnionA", "openId": "oA"}}
    bodies = await asyncio.gather(*(gql(app, SIGN_IN, variables) for _ in range(6)))
    assert all("errors" not in b for b in bodies), bodies
    ids = {b["data"]["signIn"]["member"]["id"] for b in bodies}
    assert len(ids) == 1
    assert [b["data"]["signIn"]["newMember"] for b in bodies].count(True) == 1
    assert (await count(app, Member), await count(app, BrandAccount)) == (1, 1)


async def test_a_refresh_token_is_spent_once_under_concurrency(app):
    variables = {"brand": "lumen", "c": {"unionId": "oUnionA", "openId": "oA"}}
    token = (await gql(app, SIGN_IN, variables))["data"]["signIn"]["refreshToken"]
    bodies = await asyncio.gather(*(gql(app, REFRESH, {"t": token}) for _ in range(5)))
    assert sum("errors" not in b for b in bodies) <= 1
