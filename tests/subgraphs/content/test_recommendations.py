"""`Member.crossBrandRecommendations` through the subgraph, with representations carrying the
@requires fields as the gateway sends them; staff management of placements."""

from __future__ import annotations

from typing import Any

import pytest
from sqlmodel import select

from subgraphs.common.auth import KeyRing, issue_token
from subgraphs.content.app import create_app
from subgraphs.content.models import Impression

from ..common.asgi import call
from .conftest import BRAND, NOW

MEMBER = "mbr_0a1b"
QUERY = (
    "query($reps: [_Any!]!, $first: Int) { _entities(representations: $reps) "
    "{ ... on Member { id crossBrandRecommendations(first: $first) "
    "{ id targetBrand headline reason product { id } source { kind id brand } } } } }"
)


def token(kind: str, subject: str = MEMBER, brand: str | None = BRAND) -> str:
    return issue_token(KeyRing.from_env(), subject=subject, kind=kind, brand=brand)


def representation(granted: bool = True, **engagement: Any) -> dict[str, Any]:
    return {
        "__typename": "Member",
        "id": MEMBER,
        "crossBrandConsent": {"granted": granted},
        "engagement": {
            "firstSeenAt": "2024-01-01T00:00:00+00:00",
            "ordersCount": 3,
            "lastOrderAt": "2025-01-10T00:00:00+00:00",  # recent
            "brandsUsed": ["lumen", "aurora"],
            "brandsPurchased": ["lumen"],
            "categoriesPurchased": ["skincare"],
            **engagement,
        },
    }


async def gql(app, query, variables, bearer: str | None) -> dict[str, Any]:
    headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
    status, body = await call(
        app, "POST", "/graphql", json={"query": query, "variables": variables}, headers=headers
    )
    assert status == 200, body
    return body


async def recommendations(app, rep, first=None, bearer=None) -> list[dict[str, Any]]:
    body = await gql(app, QUERY, {"reps": [rep], "first": first}, bearer or token("member"))
    assert "errors" not in body, body
    return body["data"]["_entities"][0]["crossBrandRecommendations"]


async def test_a_repeat_buyer_gets_four_ranked_by_affinity(app):
    got = await recommendations(app, representation())
    # lumen's demo placements next to skincare: vitalis supplements (XB-1), aurora apparel
    # (XB-7) and accessories (XB-8); XB-2 has ended; the rest pair with nothing bought.
    assert [r["id"] for r in got] == ["lumen:XB-7", "lumen:XB-8", "lumen:XB-1"]
    assert got[0] == {
        "id": "lumen:XB-7",
        "targetBrand": "aurora",
        "headline": "You may also like Aurora Silk Blouse",
        "reason": "brand-used",
        "product": {"id": "aurora:SKU-1001"},
        "source": {"kind": "RECOMMENDATION", "id": "lumen:XB-7", "brand": "lumen"},
    }
    assert got[2]["reason"] == "pairs-with:skincare"
    assert len(await recommendations(app, representation(), first=1)) == 1


async def test_intensity_follows_the_members_engagement(app):
    first_visit = representation(
        ordersCount=0, lastOrderAt=None, firstSeenAt="2025-01-15T08:00:00+00:00",
        categoriesPurchased=[],
    )  # fmt: skip
    assert await recommendations(app, first_visit) == []
    engagement = {**first_visit["engagement"], "firstSeenAt": "2025-01-01T00:00:00+00:00"}
    signed_up = {**first_visit, "engagement": engagement}
    got = await recommendations(app, signed_up)
    assert len(got) == 1 and got[0]["reason"] == "discovery"
    assert await recommendations(app, representation(granted=False)) == []


async def test_only_the_member_themself(app):
    for bearer, code in [
        (None, "UNAUTHENTICATED"),
        (token("member", subject="mbr_other"), "FORBIDDEN"),
        (token("staff"), "FORBIDDEN"),
    ]:
        headers = {"authorization": f"Bearer {bearer}"} if bearer else {}
        _, body = await call(
            app, "POST", "/graphql",
            json={"query": QUERY, "variables": {"reps": [representation()]}}, headers=headers,
        )  # fmt: skip
        assert body["errors"][0]["extensions"]["code"] == code, body
    body = await gql(app, QUERY, {"reps": [representation()], "first": -1}, token("member"))
    assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"


async def test_frequency_cap_records_impressions(database_url):
    from subgraphs.content.app import migrate
    from subgraphs.content.seed import seed_demo

    migrate(database_url)
    app = create_app(BRAND, database_url, clock=lambda: NOW,
                     settings={"frequency_cap_per_day": 1})  # fmt: skip
    try:
        async with app.state.database.session() as session:
            await seed_demo(session, BRAND)
        first = await recommendations(app, representation(), first=2)
        second = await recommendations(app, representation(), first=2)
        assert [r["id"] for r in first] == ["lumen:XB-7", "lumen:XB-8"]
        assert [r["id"] for r in second] == ["lumen:XB-1"]  # the capped two are skipped
        assert await recommendations(app, representation(granted=False)) == []
        async with app.state.database.session() as session:
            rows = (await session.exec(select(Impression))).all()
        assert sorted(r.placement_id for r in rows) == ["XB-1", "XB-7", "XB-8"]
        assert {r.member_id for r in rows} == {MEMBER}
    finally:
        await app.state.database.dispose()


async def test_no_impressions_without_a_cap(app):
    await recommendations(app, representation())
    async with app.state.database.session() as session:
        assert (await session.exec(select(Impression))).all() == []


# -- staff ------------------------------------------------------------------------------------

UPSERT = (
    "mutation($input: CrossBrandPlacementInput!) { upsertCrossBrandPlacement(input: $input) "
    "{ id brand targetBrand targetCategory sourceCategory headline priority active "
    "targetProduct { id } } }"
)
ACTIVE = (
    "mutation($id: ID!, $on: Boolean!) { setCrossBrandPlacementActive(id: $id, active: $on) "
    "{ id active } }"
)
PLACEMENT = {
    "id": "lumen:XB-50",
    "targetBrand": "cubby",
    "targetProductId": "cubby:SKU-1001",
    "targetCategory": "baby-care",
    "headline": "  For the little one  ",
    "priority": 7,
}


async def test_staff_manage_placements(app):
    staff = token("staff", subject="ann")
    body = await gql(app, UPSERT, {"input": PLACEMENT}, staff)
    assert body["data"]["upsertCrossBrandPlacement"] == {
        "id": "lumen:XB-50",
        "brand": "lumen",
        "targetBrand": "cubby",
        "targetCategory": "baby-care",
        "sourceCategory": None,
        "headline": "For the little one",
        "priority": 7,
        "active": True,
        "targetProduct": {"id": "cubby:SKU-1001"},
    }
    body = await gql(app, ACTIVE, {"id": "lumen:XB-50", "on": False}, staff)
    assert body["data"]["setCrossBrandPlacementActive"] == {"id": "lumen:XB-50", "active": False}
    listed = await gql(app, "{ crossBrandPlacements { id active } }", {}, staff)
    assert {"id": "lumen:XB-50", "active": False} in listed["data"]["crossBrandPlacements"]
    assert len(listed["data"]["crossBrandPlacements"]) == 9


@pytest.mark.parametrize(
    "bearer, code",
    [
        (None, "UNAUTHENTICATED"),
        (token("staff", subject="bo", brand="aurora"), "FORBIDDEN"),  # another brand's staff
        (token("member"), "FORBIDDEN"),
    ],
)
async def test_others_may_not_manage_placements(app, bearer, code):
    for query, variables in [
        (UPSERT, {"input": PLACEMENT}),
        (ACTIVE, {"id": "lumen:XB-1", "on": False}),
        ("{ crossBrandPlacements { id } }", {}),
    ]:
        body = await gql(app, query, variables, bearer)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == code, body
    assert len(await recommendations(app, representation())) == 3  # nothing changed


@pytest.mark.parametrize(
    "changes, message",
    [
        ({"id": "aurora:XB-1"}, "a placement id must read 'lumen:<code>'"),
        ({"targetBrand": "lumen", "targetProductId": "lumen:SKU-1001"}, "another brand"),
        ({"targetProductId": "vitalis:SKU-1001"}, "targetProductId must be a product of cubby"),
        ({"targetCategory": "pets"}, "targetCategory: unknown category 'pets'"),
        ({"targetCategory": "household-cleaning", "sourceCategory": "makeup"},
         "does not allow household-cleaning next to makeup"),
        ({"headline": "  "}, "headline must have 1 to 200 characters"),
        ({"startsAt": "2025-02-01T00:00:00+00:00", "endsAt": "2025-01-01T00:00:00+00:00"},
         "endsAt must be after startsAt"),
    ],
)  # fmt: skip
async def test_placement_validation(app, changes, message):
    body = await gql(app, UPSERT, {"input": {**PLACEMENT, **changes}}, token("staff"))
    assert body["data"] is None
    error = body["errors"][0]
    assert error["extensions"]["code"] == "BAD_USER_INPUT" and message in error["message"], error


async def test_unknown_placement_is_not_found(app):
    body = await gql(app, ACTIVE, {"id": "lumen:XB-404", "on": True}, token("staff"))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
