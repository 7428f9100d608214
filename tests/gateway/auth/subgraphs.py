"""Small in-process Strawberry subgraphs using @authenticated, @requiresScopes and @policy."""

from __future__ import annotations

from typing import Annotated, Any

import strawberry
from strawberry.asgi import GraphQL
from strawberry.federation.schema_directives import Authenticated, Policy, RequiresScopes

from gateway.auth import GatewayAuth
from gateway.service import Gateway
from gateway.transport.asgi import AsgiTransport
from gateway.transport.base import SubgraphRequest
from tests.conformance.harness import composed_supergraph


@strawberry.federation.interface
class Node:
    id: strawberry.ID


@strawberry.federation.type(keys=["id"])
class Product(Node):
    name: str
    price: int | None = strawberry.federation.field(
        directives=[RequiresScopes(scopes=[["read:price"], ["admin"]])]
    )
    cost: int = strawberry.federation.field(directives=[Authenticated()])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Product:
        return _product(str(id))


@strawberry.federation.type(directives=[Authenticated()])
class Secret(Node):
    code: str


@strawberry.federation.type
class Profile:
    nickname: str
    email: str | None = strawberry.federation.field(directives=[Policy(policies=[["pii"]])])


SearchResult = Annotated[Product | Secret, strawberry.union("SearchResult")]


def _product(id: str) -> Product:
    return Product(id=strawberry.ID(id), name=f"P{id}", price=int(id) * 10, cost=int(id))


@strawberry.type
class Query:
    @strawberry.field
    def products(self) -> list[Product]:
        return [_product("1"), _product("2")]

    @strawberry.field
    def product(self, id: strawberry.ID) -> Product | None:
        return _product(str(id))

    @strawberry.field
    def secret(self) -> Secret | None:
        return Secret(id=strawberry.ID("s1"), code="c0de")

    @strawberry.field
    def search(self) -> list[SearchResult]:
        return [_product("1"), Secret(id=strawberry.ID("s1"), code="c0de")]

    @strawberry.field
    def nodes(self) -> list[Node | None]:
        return [_product("2"), Secret(id=strawberry.ID("s2"), code="x")]

    @strawberry.field
    def profile(self) -> Profile:
        return Profile(nickname="nick", email="a@b.c")

    @strawberry.field
    def greeting(self, name: str = "you") -> str:
        return f"hello {name}"


shop = strawberry.federation.Schema(query=Query, types=[Product, Secret], federation_version="2.9")


@strawberry.federation.type
class Review:
    body: str


@strawberry.federation.type(keys=["id"])
class ReviewedProduct:
    id: strawberry.ID
    reviews: list[Review] = strawberry.federation.field(directives=[Authenticated()])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> ReviewedProduct:
        return ReviewedProduct(id=id, reviews=[Review(body=f"great {id}")])


ReviewedProduct.__strawberry_definition__.name = "Product"  # type: ignore[attr-defined]


@strawberry.type
class ReviewsQuery:
    @strawberry.field
    def review_count(self) -> int:
        return 1


reviews = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewedProduct], federation_version="2.9"
)

SUBGRAPHS = {"shop": shop, "reviews": reviews}


class RecordingTransport(AsgiTransport):
    """Remembers every request, so a test can assert a fetch did (not) happen."""

    def __init__(self, name: str, app: Any) -> None:
        super().__init__(name, app)
        self.requests: list[SubgraphRequest] = []

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        self.requests.append(request)
        return await super().fetch(request)


def make_gateway(
    auth: GatewayAuth | None, subgraphs: dict[str, Any] | None = None
) -> tuple[Gateway, dict[str, RecordingTransport]]:
    subgraphs = subgraphs or SUBGRAPHS
    transports = {name: RecordingTransport(name, GraphQL(s)) for name, s in subgraphs.items()}
    return Gateway(composed_supergraph(subgraphs), transports=transports, auth=auth), transports
