"""The benchmark subgraphs, called in-process: data, entity resolution and the mock's quirks."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from bench.subgraphs import SUBGRAPH_NAMES, Stats, create_app, subgraph_apps
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest

ENTITIES = "query($r: [_Any!]!) { _entities(representations: $r) { __typename %s } }"


def refs(type_name: str, key: str, *values: object) -> dict[str, Any]:
    return {"r": [{"__typename": type_name, key: value} for value in values]}


@pytest.fixture(params=[1024, 0], ids=["response-cache", "no-response-cache"])
def transports(request: pytest.FixtureRequest) -> dict[str, AsgiTransport]:
    apps = subgraph_apps(response_cache_size=request.param)
    return {name: AsgiTransport(name, app, path="/") for name, app in apps.items()}


async def fetch(
    transports: dict[str, AsgiTransport],
    subgraph: str,
    query: str,
    variables: dict[str, Any] | None = None,
) -> dict[str, Any]:
    return await transports[subgraph].fetch(SubgraphRequest(query, variables))


async def entities(
    transports: dict[str, AsgiTransport], subgraph: str, selection: str, variables: dict[str, Any]
) -> list[Any]:
    body = await fetch(transports, subgraph, ENTITIES % selection, variables)
    assert "errors" not in body
    return body["data"]["_entities"]


async def call(app: Any, method: str, path: str, body: bytes = b"") -> tuple[int, bytes]:
    """One HTTP exchange with an ASGI app, without sockets."""
    scope = {"type": "http", "method": method, "path": path, "headers": []}
    messages = [{"type": "http.request", "body": body, "more_body": False}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await app(scope, receive, send)
    return sent[0]["status"], b"".join(m.get("body", b"") for m in sent[1:])


def test_subgraph_apps_are_keyed_by_subgraph_name() -> None:
    assert SUBGRAPH_NAMES == ("accounts", "inventory", "products", "reviews")
    assert set(subgraph_apps()) == set(SUBGRAPH_NAMES)


# accounts


async def test_accounts_root_fields(transports: dict[str, AsgiTransport]) -> None:
    body = await fetch(
        transports,
        "accounts",
        '{ me { id name username birthday } users { id username } a: user(id: "3") { name } '
        'b: user(id: "7") { name } }',
    )
    assert body["data"]["me"] == {
        "id": "1",
        "name": "Uri Goldshtein",
        "username": "urigo",
        "birthday": 1234567890,
    }
    assert [user["username"] for user in body["data"]["users"]] == [
        "urigo",
        "dotansimha",
        "kamilkisiela",
        "ardatan",
        "gilgardosh",
        "laurin",
    ]
    assert body["data"]["a"] == {"name": "Kamil Kisiela"}
    assert body["data"]["b"] is None


async def test_accounts_resolves_known_users_only(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports, "accounts", "... on User { id name }", refs("User", "id", "6", "99", 1)
    )
    # A number is no id: the mock compares with ===.
    assert found == [{"__typename": "User", "id": "6", "name": "Laurin Quast"}, None, None]


# products


@pytest.mark.parametrize(
    ("argument", "upcs"),
    [
        ("", ["1", "2", "3", "4", "5"]),
        ("(first: 2)", ["1", "2"]),
        ("(first: 0)", []),
        ("(first: 50)", [str(n) for n in range(1, 10)]),
        ("(first: null)", ["1", "2", "3", "4", "5"]),
        ("(first: -3)", ["1", "2", "3", "4", "5", "6"]),  # as JavaScript's slice(0, -3)
    ],
)
async def test_top_products(
    transports: dict[str, AsgiTransport], argument: str, upcs: list[str]
) -> None:
    body = await fetch(transports, "products", "{ topProducts" + argument + " { upc } }")
    assert [product["upc"] for product in body["data"]["topProducts"]] == upcs


async def test_products_resolves_known_products(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports,
        "products",
        "... on Product { upc name price weight }",
        refs("Product", "upc", "8", "10"),
    )
    assert found == [
        {"__typename": "Product", "upc": "8", "name": "Fridge", "price": 100000, "weight": 6000},
        None,
    ]


# inventory


async def test_inventory_ignores_required_fields(transports: dict[str, AsgiTransport]) -> None:
    representations = {
        "r": [
            {"__typename": "Product", "upc": "1", "price": 899, "weight": 100},
            {"__typename": "Product", "upc": "2", "price": 1299, "weight": 1000},
        ]
    }
    found = await entities(
        transports,
        "inventory",
        "... on Product { upc price weight inStock shippingEstimate }",
        representations,
    )
    # The inventory copy never has price or weight, so shippingEstimate is always null.
    assert found == [
        {
            "__typename": "Product",
            "upc": "1",
            "price": None,
            "weight": None,
            "inStock": True,
            "shippingEstimate": None,
        },
        {
            "__typename": "Product",
            "upc": "2",
            "price": None,
            "weight": None,
            "inStock": False,
            "shippingEstimate": None,
        },
    ]


async def test_inventory_resolves_any_upc(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports, "inventory", "... on Product { upc inStock }", refs("Product", "upc", "42", 5)
    )
    # A numeric upc finds its stock like a JavaScript property key would.
    assert found == [
        {"__typename": "Product", "upc": "42", "inStock": None},
        {"__typename": "Product", "upc": "5", "inStock": True},
    ]


# reviews


async def test_review_authors_are_always_user_one(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports,
        "reviews",
        "... on Review { id product { upc } author { id username reviews { id } } }",
        refs("Review", "id", "9", "11", "12"),
    )
    author = {"id": "1", "username": "urigo", "reviews": [{"id": "1"}, {"id": "2"}]}
    assert found == [
        {"__typename": "Review", "id": "9", "product": {"upc": "3"}, "author": author},
        {"__typename": "Review", "id": "11", "product": {"upc": "4"}, "author": author},
        None,
    ]


async def test_review_bodies(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports, "reviews", "... on Review { body }", refs("Review", "id", "1", "5", "11")
    )
    assert found[0]["body"] == found[1]["body"]
    assert found[0]["body"].startswith("Lorem ipsum dolor sit amet")
    assert found[2]["body"].startswith("At vero eos et accusamus")
    assert found[2]["body"].endswith("doloribus asperiores repellat.")


async def test_user_references_get_the_first_two_reviews(
    transports: dict[str, AsgiTransport],
) -> None:
    found = await entities(
        transports,
        "reviews",
        "... on User { id username reviews { id product { upc } } }",
        refs("User", "id", "4", "1234"),
    )
    reviews = [{"id": "1", "product": {"upc": "1"}}, {"id": "2", "product": {"upc": "1"}}]
    assert found == [
        {"__typename": "User", "id": "4", "username": "user", "reviews": reviews},
        {"__typename": "User", "id": "1234", "username": "user", "reviews": reviews},
    ]


async def test_product_reviews(transports: dict[str, AsgiTransport]) -> None:
    found = await entities(
        transports,
        "reviews",
        "... on Product { upc reviews { id } }",
        refs("Product", "upc", "1", "4", "9"),
    )
    assert [[r["id"] for r in product["reviews"]] for product in found] == [
        ["1", "2", "3", "4"],
        ["10", "11"],
        [],
    ]


async def test_mixed_representations_keep_their_order(
    transports: dict[str, AsgiTransport],
) -> None:
    found = await entities(
        transports,
        "reviews",
        "... on User { id } ... on Product { upc } ... on Review { id }",
        {
            "r": [
                {"__typename": "Review", "id": "5"},
                {"__typename": "User", "id": "3", "username": "ignored"},
                {"__typename": "Product", "upc": "2"},
            ]
        },
    )
    assert found == [
        {"__typename": "Review", "id": "5"},
        {"__typename": "User", "id": "3"},
        {"__typename": "Product", "upc": "2"},
    ]


# errors, as @apollo/subgraph and graphql-js report them


async def test_unknown_entity_type_fails_the_whole_field(
    transports: dict[str, AsgiTransport],
) -> None:
    body = await fetch(transports, "accounts", ENTITIES % "", refs("Product", "upc", "1"))
    assert body["data"] is None
    assert body["errors"][0]["message"] == (
        'The _entities resolver tried to load an entity for type "Product", but no object or'
        " interface type of that name was found in the schema"
    )
    assert body["errors"][0]["path"] == ["_entities"]


async def test_non_entity_type_fails_its_item(transports: dict[str, AsgiTransport]) -> None:
    body = await fetch(
        transports,
        "reviews",
        ENTITIES % "... on Review { id }",
        {"r": [{"__typename": "Review", "id": "2"}, {"__typename": "Query"}]},
    )
    assert body["data"] == {"_entities": [{"__typename": "Review", "id": "2"}, None]}
    assert body["errors"] == [
        {
            "message": 'Runtime Object type "Query" is not a possible type for "_Entity".',
            "locations": [{"line": 1, "column": 23}],
            "path": ["_entities", 1],
        }
    ]


async def test_invalid_documents_get_bare_messages(transports: dict[str, AsgiTransport]) -> None:
    body = await fetch(transports, "products", "{ topProducts { nope } }")
    assert list(body) == ["errors"]
    assert list(body["errors"][0]) == ["message"]


# HTTP


async def test_answers_are_compact_json_with_errors_first() -> None:
    app = subgraph_apps()["reviews"]
    query = ENTITIES % "... on User { id }"
    request = {"query": query, "variables": {"r": [{"__typename": "User"}]}}
    status, body = await call(app, "POST", "/", orjson.dumps(request))
    assert status == 200
    column = query.index("{ id }") + 3
    assert body == (
        b'{"errors":[{"message":"Cannot return null for non-nullable field User.id.",'
        b'"locations":[{"line":1,"column":%d}],"path":["_entities",0,"id"]}],'
        b'"data":{"_entities":[null]}}' % column
    )


async def test_body_that_is_not_json_is_a_bad_request() -> None:
    assert await call(subgraph_apps()["accounts"], "POST", "/", b"{nope") == (400, b"")


async def test_combined_app_routes_and_counts() -> None:
    app = create_app()
    me = orjson.dumps({"query": "{ me { username } }"})
    assert await call(app, "GET", "/health") == (200, b"OK")
    assert await call(app, "GET", "/count") == (200, b"0")
    assert await call(app, "POST", "/accounts", me) == (
        200,
        b'{"data":{"me":{"username":"urigo"}}}',
    )
    assert (await call(app, "POST", "/inventory", me))[0] == 200  # no `me` there: an error
    assert await call(app, "POST", "/reviews", b"not json") == (400, b"")
    assert await call(app, "GET", "/accounts") == (404, b"")
    assert await call(app, "POST", "/elsewhere", me) == (404, b"")
    assert await call(app, "GET", "/count") == (200, b"3")
    # Like the mock, byte totals only cover executed operations.
    assert orjson.loads((await call(app, "GET", "/bytes"))[1]) == {
        "count": 3,
        "bytesIn": len(me),
        "bytesOut": len(b'{"data":{"me":{"username":"urigo"}}}'),
    }


async def test_in_process_apps_can_share_stats() -> None:
    stats = Stats()
    apps = subgraph_apps(stats)
    await call(apps["products"], "POST", "/", orjson.dumps({"query": "{ topProducts { upc } }"}))
    await call(apps["accounts"], "POST", "/", orjson.dumps({"query": "{ me { id } }"}))
    assert stats.count == 2


async def test_lifespan_is_acknowledged() -> None:
    messages = [{"type": "lifespan.startup"}, {"type": "lifespan.shutdown"}]
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return messages.pop(0)

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    await create_app()({"type": "lifespan"}, receive, send)
    assert sent == [
        {"type": "lifespan.startup.complete"},
        {"type": "lifespan.shutdown.complete"},
    ]
