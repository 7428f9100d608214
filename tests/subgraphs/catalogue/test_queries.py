from __future__ import annotations

from typing import Any

from subgraphs.catalogue.seed import demo_catalogue

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


async def test_product_by_id_with_skus_prices_and_stock(app):
    got = await data(
        app,
        '{ catalogueBrand product(id: "lumen:SKU-1001") { id brand name description '
        "category { id name } priceFen inStock "
        "skus { id name priceFen stock inStock } } }",
    )
    assert got == {
        "catalogueBrand": "lumen",
        "product": {
            "id": "lumen:SKU-1001",
            "brand": "lumen",
            "name": "Lumen Glow Serum",
            "description": "A brightening serum.",
            "category": {"id": "skincare", "name": "Skincare"},
            "priceFen": 16800,
            "inStock": True,
            "skus": [
                {
                    "id": "lumen:SKU-1001-30ML",
                    "name": "30 ml",
                    "priceFen": 16800,
                    "stock": 12,
                    "inStock": True,
                },
                {
                    "id": "lumen:SKU-1001-50ML",
                    "name": "50 ml",
                    "priceFen": 25800,
                    "stock": 0,
                    "inStock": False,
                },
            ],
        },
    }
    sold_out = await data(app, '{ product(id: "lumen:SKU-1004") { inStock priceFen } }')
    assert sold_out == {"product": {"inStock": False, "priceFen": 68800}}


async def test_unknown_foreign_and_malformed_ids_are_null(app):
    ids = ["lumen:SKU-9999", "aurora:SKU-1001", "SKU-1001", "lumen:", ":SKU-1001", ""]
    for product_id in ids:
        got = await data(app, "query($id: ID!) { product(id: $id) { id } }", {"id": product_id})
        assert got == {"product": None}, product_id


async def test_products_list_search_and_category(app):
    query = (
        "query($category: ID, $search: String, $first: Int! = 20) "
        "{ products(category: $category, search: $search, first: $first) { id } }"
    )

    async def ids(**variables) -> list[str]:
        return [p["id"] for p in (await data(app, query, variables))["products"]]

    demo = demo_catalogue("lumen")
    every = [f"lumen:{p.id}" for p in demo.products]  # codes sort in seed order
    assert len(every) == 60
    assert await ids() == every[:20]  # the default page
    assert await ids(first=100) == every
    assert await ids(first=2) == every[:2]
    assert await ids(first=0) == []
    assert await ids(search="glow") == ["lumen:SKU-1001", "lumen:SKU-1005"]
    assert await ids(search="  GLOW ") == ["lumen:SKU-1001", "lumen:SKU-1005"]
    assert await ids(search="") == every[:20]
    assert await ids(search="%") == []  # wildcards match themselves
    assert await ids(search="lumen velvet") == ["lumen:SKU-1003"]
    makeup = [f"lumen:{p.id}" for p in demo.products if p.category_id == "makeup"]
    assert makeup[:2] == ["lumen:SKU-1003", "lumen:SKU-1004"]
    assert await ids(category="makeup", first=100) == makeup
    skincare = await ids(category="skincare", first=100)
    assert skincare[:3] == ["lumen:SKU-1001", "lumen:SKU-1002", "lumen:SKU-1005"]
    assert sorted(skincare + makeup) == every
    assert await ids(category="skincare", search="glow mist") == ["lumen:SKU-1005"]
    assert await ids(category="skincare", search="velvet lipstick") == []
    assert await ids(category="nothing") == []

    body = await gql(app, query, {"first": -1})
    assert body["data"] is None
    assert body["errors"][0]["message"] == "first must not be negative"


async def test_categories(app):
    got = await data(app, "{ categories { id name } }")
    assert got == {
        "categories": [
            {"id": "skincare", "name": "Skincare"},
            {"id": "makeup", "name": "Makeup"},
        ]
    }


async def test_listing_loads_skus_and_categories_in_one_query_each(app):
    with statements(app) as seen:
        got = await data(app, "{ products { id priceFen inStock category { name } skus { id } } }")
    assert len(got["products"]) == 20
    assert len(selects_from(seen, "catalogue_products")) == 1
    assert len(selects_from(seen, "catalogue_skus")) == 1, seen
    assert len(selects_from(seen, "catalogue_categories")) == 1, seen


async def test_entities_resolve_in_one_select_per_table(app):
    representations = [
        {"__typename": "Product", "id": "lumen:SKU-1003"},
        {"__typename": "Product", "id": "aurora:SKU-1001"},  # another brand's
        {"__typename": "Product", "id": "lumen:SKU-1001"},
        {"__typename": "Product", "id": "lumen:SKU-0000"},  # unknown
        {"__typename": "Product", "id": "lumen:SKU-1005"},
        {"__typename": "Product", "id": "lumen:SKU-1003"},  # repeated
    ]
    query = (
        "query($reps: [_Any!]!) { _entities(representations: $reps) "
        "{ ... on Product { id name priceFen category { id } skus { id } } } }"
    )
    with statements(app) as seen:
        got = await data(app, query, {"reps": representations})
    names = [e and (e["id"], e["name"], e["category"]["id"]) for e in got["_entities"]]
    assert names == [
        ("lumen:SKU-1003", "Lumen Velvet Lipstick", "makeup"),
        None,
        ("lumen:SKU-1001", "Lumen Glow Serum", "skincare"),
        None,
        ("lumen:SKU-1005", "Lumen Glow Mist", "skincare"),
        ("lumen:SKU-1003", "Lumen Velvet Lipstick", "makeup"),
    ]
    assert got["_entities"][0]["skus"] == [
        {"id": "lumen:SKU-1003-RED"},
        {"id": "lumen:SKU-1003-NUDE"},
    ]
    assert len(selects_from(seen, "catalogue_products")) == 1, seen
    assert len(selects_from(seen, "catalogue_skus")) == 1, seen
    assert len(selects_from(seen, "catalogue_categories")) == 1, seen
