from __future__ import annotations

from typing import Any

from ..common.asgi import call
from .conftest import selects_from, statements


async def gql(app, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    status, body = await call(
        app, "POST", "/graphql", json={"query": query, "variables": variables or {}}
    )
    assert status == 200, body
    return body


async def data(app, query: str, variables: dict[str, Any] | None = None) -> dict[str, Any]:
    body = await gql(app, query, variables)
    assert "errors" not in body, body
    return body["data"]


async def test_banners_live_now_in_position_order(app):
    got = await data(
        app,
        '{ contentBrand banners(placement: "home") { id brand title imageUrl linkUrl '
        "placement position startsAt endsAt product { id } } }",
    )
    assert got["contentBrand"] == "lumen"
    assert [b["id"] for b in got["banners"]] == [
        "lumen:BANNER-2",
        "lumen:BANNER-1",
        "lumen:BANNER-6",
    ]
    assert got["banners"][1] == {
        "id": "lumen:BANNER-1",
        "brand": "lumen",
        "title": "Lumen Glow Week",
        "imageUrl": "https://img.example.com/lumen/banner-1.jpg",
        "linkUrl": "/products/lumen:SKU-1001",
        "placement": "home",
        "position": 2,
        "startsAt": "2024-01-01T00:00:00+00:00",
        "endsAt": None,
        "product": {"id": "lumen:SKU-1001"},
    }
    assert got["banners"][2]["product"] is None
    assert got["banners"][2]["endsAt"] == "2999-01-01T00:00:00+00:00"
    product = await data(app, '{ banners(placement: "product") { id } }')
    assert product == {"banners": [{"id": "lumen:BANNER-5"}]}
    assert await data(app, '{ banners(placement: "nowhere") { id } }') == {"banners": []}


async def test_articles_newest_first(app):
    query = "query($first: Int) { articles(first: $first) { id slug title publishedAt } }"
    got = await data(app, "{ articles { slug } }")
    assert [a["slug"] for a in got["articles"]] == ["night-routine", "mist-or-toner", "serum-101"]
    got = await data(app, query, {"first": 1})
    assert got == {
        "articles": [
            {
                "id": "lumen:ARTICLE-2",
                "slug": "night-routine",
                "title": "A Night Routine",
                "publishedAt": "2024-06-01T00:00:00+00:00",
            }
        ]
    }
    assert len((await data(app, query, {"first": None}))["articles"]) == 3
    body = await gql(app, query, {"first": -1})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "first must not be negative"


async def test_page_by_slug_and_unknown_slug(app):
    got = await data(app, '{ page(slug: "about") { slug title blocks } }')
    assert got["page"]["title"] == "About Lumen"
    assert got["page"]["blocks"][1] == {"type": "text", "text": "Lumen is a brand of the group."}
    assert await data(app, '{ page(slug: "nope") { slug } }') == {"page": None}


async def test_entities_resolve_in_one_select_per_table_and_foreign_ids_are_null(app):
    representations = [
        {"__typename": "Banner", "id": "lumen:BANNER-3"},  # ended, still resolvable by id
        {"__typename": "Banner", "id": "aurora:BANNER-1"},  # another brand's
        {"__typename": "Banner", "id": "lumen:BANNER-1"},
        {"__typename": "Banner", "id": "lumen:BANNER-99"},  # unknown
        {"__typename": "Banner", "id": "BANNER-1"},  # malformed
        {"__typename": "Article", "id": "lumen:ARTICLE-1"},
        {"__typename": "Article", "id": "aurora:ARTICLE-1"},
        {"__typename": "Article", "id": "lumen:ARTICLE-2"},
        {"__typename": "Banner", "id": "lumen:BANNER-3"},  # repeated
    ]
    query = (
        "query($reps: [_Any!]!) { _entities(representations: $reps) "
        "{ ... on Banner { id title product { id } } ... on Article { id slug } } }"
    )
    with statements(app) as seen:
        got = await data(app, query, {"reps": representations})
    assert got["_entities"] == [
        {"id": "lumen:BANNER-3", "title": "Lumen Spring Sale", "product": {"id": "lumen:SKU-1005"}},
        None,
        {"id": "lumen:BANNER-1", "title": "Lumen Glow Week", "product": {"id": "lumen:SKU-1001"}},
        None,
        None,
        {"id": "lumen:ARTICLE-1", "slug": "serum-101"},
        None,
        {"id": "lumen:ARTICLE-2", "slug": "night-routine"},
        {"id": "lumen:BANNER-3", "title": "Lumen Spring Sale", "product": {"id": "lumen:SKU-1005"}},
    ]
    assert len(selects_from(seen, "content_banners")) == 1, seen
    assert len(selects_from(seen, "content_articles")) == 1, seen
