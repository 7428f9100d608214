"""Subgraph errors and failing subgraphs: partial data, errors at the client's path.

Covers the GraphQL spec's "Handling Field Errors" and "Response Format / Errors" (an error's
`path` names the response keys and list indices of the client's response, aliases included) as
a federated gateway must apply them to subgraph answers: an error raised in a root field, in an
entity fetch on a list element (the subgraph reports `["_entities", i, ...]`; the client must
see e.g. `["products", 1, "stock"]`), deeper inside an entity, and several in one fetch. Also a
subgraph that is down (its app crashes, it answers HTTP 500 without a GraphQL body, its port is
closed) or does not answer in time: the other subgraphs' data is still returned, the failed
(nullable) fields are null, and there is at least one error.
"""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest
import strawberry
from strawberry.asgi import GraphQL

from gateway.service import Gateway
from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.asgi import AsgiTransport
from tests.conformance.harness import Case, composed_supergraph, make_gateway, run_case

# --------------------------------------------------------------------------- products

NAMES = {"a1": "Anchor", "b2": "Buoy", "c3": "Compass"}


@strawberry.federation.type(keys=["id"])
class Product:
    id: strawberry.ID

    @strawberry.field
    def name(self) -> str:
        return NAMES[self.id]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:
        return cls(id=id)


@strawberry.type
class Shelf:
    label: str
    items: list[Product]


@strawberry.type(name="Query")
class ProductsQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product(id=strawberry.ID(pid)) for pid in NAMES]

    @strawberry.field
    def product(self, id: strawberry.ID) -> Product | None:
        if id == "broken":
            raise ValueError("product catalogue row is corrupt")
        return Product(id=id) if id in NAMES else None

    @strawberry.field
    def shelves(self) -> list[Shelf]:
        def items(*ids: str) -> list[Product]:
            return [Product(id=strawberry.ID(i)) for i in ids]

        return [
            Shelf(label="Deck", items=items("a1", "c3")),
            Shelf(label="Hold", items=items("b2", "a1")),
        ]


products_schema = strawberry.federation.Schema(
    query=ProductsQuery, types=[Product], federation_version="2.3"
)

# --------------------------------------------------------------------------- stock

STOCK = {"a1": 12, "c3": 4}
RESTOCK = {"b2": "2024-07-01"}
SUPPLIERS = {"a1": "Harbor Co", "b2": "Bay Ltd", "c3": "Cape Supply"}


@strawberry.type
class Supplier:
    name: str
    code: str

    @strawberry.field
    def phone(self) -> str | None:
        if self.code == "c3":
            raise ValueError("supplier phone book unavailable")
        return "555-01" + self.code[1]


@strawberry.federation.type(keys=["id"], name="Product")
class StockProduct:
    id: strawberry.ID

    @strawberry.field
    def stock(self) -> int | None:
        if self.id not in STOCK:
            raise ValueError(f"stock count lost for {self.id}")
        return STOCK[self.id]

    @strawberry.field
    def restock_date(self) -> str | None:
        if self.id not in RESTOCK:
            raise ValueError(f"no supplier date for {self.id}")
        return RESTOCK[self.id]

    @strawberry.field
    def supplier(self) -> Supplier | None:
        return Supplier(name=SUPPLIERS[self.id], code=str(self.id))

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> StockProduct:
        return cls(id=id)


@strawberry.type(name="Query")
class StockQuery:
    @strawberry.field
    def warehouse_status(self) -> str | None:
        return "open"


stock_schema = strawberry.federation.Schema(
    query=StockQuery, types=[StockProduct], federation_version="2.3"
)

SUBGRAPHS = {"products": products_schema, "stock": stock_schema}

# --------------------------------------------------------------------------- failing stand-ins


async def crashing_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A subgraph whose server blows up on every request."""
    raise RuntimeError("stock service crashed")


async def http_500_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A subgraph behind a proxy that answers 500 with a plain-text page."""
    await send(
        {
            "type": "http.response.start",
            "status": 500,
            "headers": [(b"content-type", b"text/plain")],
        }
    )
    await send({"type": "http.response.body", "body": b"upstream unavailable"})


async def slow_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """A subgraph that answers correctly, but only after 3 seconds."""
    await asyncio.sleep(3)
    await GraphQL(stock_schema)(scope, receive, send)


def closed_port_url() -> str:
    """A loopback URL nothing listens on (the port was just bound and released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/graphql"


PRODUCTS_IDS = [{"id": "a1"}, {"id": "b2"}, {"id": "c3"}]

CASES = [
    Case(
        "error-in-root-field-keeps-sibling-root-fields",
        '{ product(id: "broken") { id name } products { id } }',
        {"data": {"product": None, "products": PRODUCTS_IDS}, "errors": [{"path": ["product"]}]},
    ),
    Case(
        "error-in-entity-fetch-on-list-element-has-client-path",
        "{ products { id name stock } }",
        {
            "data": {
                "products": [
                    {"id": "a1", "name": "Anchor", "stock": 12},
                    {"id": "b2", "name": "Buoy", "stock": None},
                    {"id": "c3", "name": "Compass", "stock": 4},
                ]
            },
            "errors": [{"path": ["products", 1, "stock"]}],
        },
    ),
    Case(
        "error-path-uses-aliases-and-nested-list-indices",
        "{ s: shelves { label goods: items { id qty: stock } } }",
        {
            "data": {
                "s": [
                    {"label": "Deck", "goods": [{"id": "a1", "qty": 12}, {"id": "c3", "qty": 4}]},
                    {
                        "label": "Hold",
                        "goods": [{"id": "b2", "qty": None}, {"id": "a1", "qty": 12}],
                    },
                ]
            },
            "errors": [{"path": ["s", 1, "goods", 0, "qty"]}],
        },
    ),
    Case(
        "several-errors-from-one-entity-fetch",
        "{ products { id stock restockDate } }",
        {
            "data": {
                "products": [
                    {"id": "a1", "stock": 12, "restockDate": None},
                    {"id": "b2", "stock": None, "restockDate": "2024-07-01"},
                    {"id": "c3", "stock": 4, "restockDate": None},
                ]
            },
            "errors": [
                {"path": ["products", 0, "restockDate"]},
                {"path": ["products", 1, "stock"]},
                {"path": ["products", 2, "restockDate"]},
            ],
        },
    ),
    Case(
        "error-deep-inside-an-entity",
        "{ products { id supplier { name phone } } }",
        {
            "data": {
                "products": [
                    {"id": "a1", "supplier": {"name": "Harbor Co", "phone": "555-011"}},
                    {"id": "b2", "supplier": {"name": "Bay Ltd", "phone": "555-012"}},
                    {"id": "c3", "supplier": {"name": "Cape Supply", "phone": None}},
                ]
            },
            "errors": [{"path": ["products", 2, "supplier", "phone"]}],
        },
    ),
    Case(
        "crashing-subgraph-entity-fields-are-null",
        "{ products { id name restockDate } }",
        {
            "data": {
                "products": [
                    {"id": "a1", "name": "Anchor", "restockDate": None},
                    {"id": "b2", "name": "Buoy", "restockDate": None},
                    {"id": "c3", "name": "Compass", "restockDate": None},
                ]
            },
            "errors": True,
        },
        meta={"subgraphs": {"stock": crashing_app}},
    ),
    Case(
        "crashing-subgraph-root-field-is-null-other-roots-answer",
        "{ warehouseStatus products { id } }",
        {"data": {"warehouseStatus": None, "products": PRODUCTS_IDS}, "errors": True},
        meta={"subgraphs": {"stock": crashing_app}},
    ),
    Case(
        "http-500-without-graphql-body",
        "{ products { id supplier { name } } warehouseStatus }",
        {
            "data": {
                "products": [
                    {"id": "a1", "supplier": None},
                    {"id": "b2", "supplier": None},
                    {"id": "c3", "supplier": None},
                ],
                "warehouseStatus": None,
            },
            "errors": True,
        },
        meta={"subgraphs": {"stock": http_500_app}},
    ),
    Case(
        "unreachable-subgraph-closed-port",
        "{ warehouseStatus products { name restockDate } }",
        {
            "data": {
                "warehouseStatus": None,
                "products": [
                    {"name": "Anchor", "restockDate": None},
                    {"name": "Buoy", "restockDate": None},
                    {"name": "Compass", "restockDate": None},
                ],
            },
            "errors": True,
        },
        meta={"unreachable": "stock"},
    ),
    Case(
        "subgraph-timeout",
        "{ products { id restockDate } warehouseStatus }",
        {
            "data": {
                "products": [
                    {"id": "a1", "restockDate": None},
                    {"id": "b2", "restockDate": None},
                    {"id": "c3", "restockDate": None},
                ],
                "warehouseStatus": None,
            },
            "errors": True,
        },
        meta={"subgraphs": {"stock": slow_app}, "timeout": 0.3},
    ),
]


def _gateway_for(case: Case) -> Gateway:
    """The supergraph is always composed from SUBGRAPHS; a case may serve stand-ins."""
    serve = case.meta.get("subgraphs", {})
    timeout = case.meta.get("timeout", 5.0)
    unreachable = case.meta.get("unreachable")
    if unreachable is None:
        return make_gateway(SUBGRAPHS, serve=serve, timeout=timeout)
    transports: dict[str, Any] = {
        name: AsgiTransport(name, GraphQL(app), timeout=timeout)
        for name, app in {**SUBGRAPHS, **serve}.items()
        if name != unreachable
    }
    transports[unreachable] = AiohttpTransport(unreachable, closed_port_url(), timeout=2.0)
    return Gateway(composed_supergraph(SUBGRAPHS), transports=transports)


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_errors_subgraph(case: Case) -> None:
    gateway = _gateway_for(case)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
