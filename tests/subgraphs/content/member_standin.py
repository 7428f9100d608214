"""A stand-in for the member subgraph: owns `Member` with the consent and engagement fields
content's `crossBrandRecommendations` @requires (the same types as the member subgraph's), so
content can be composed and planned, and a gateway can serve the field end to end."""

from __future__ import annotations

from datetime import datetime

import strawberry
from starlette.applications import Starlette
from starlette.routing import Route
from strawberry.asgi import GraphQL


@strawberry.type
class CrossBrandConsent:
    granted: bool
    version: str | None
    channel: str | None
    changed_at: datetime | None


@strawberry.type
class Engagement:
    first_seen_at: datetime
    orders_count: int
    last_order_at: datetime | None
    brands_used: list[str]
    brands_purchased: list[str]
    categories_purchased: list[str]


@strawberry.federation.type(keys=["id"])
class Member:
    id: strawberry.ID
    display_name: str
    cross_brand_consent: CrossBrandConsent
    engagement: Engagement

    @classmethod
    def resolve_reference(cls, info: strawberry.Info, **kwargs) -> Member | None:
        return MEMBERS.get(str(kwargs.get("id")))


MEMBERS: dict[str, Member] = {}


@strawberry.type
class Query:
    @strawberry.field
    def member(self, id: strawberry.ID) -> Member | None:
        return MEMBERS.get(str(id))


schema = strawberry.federation.Schema(query=Query, types=[Member], federation_version="2.9")


def sdl() -> str:
    return schema.as_str().rstrip("\n") + "\n"


def app() -> Starlette:
    return Starlette(routes=[Route("/graphql", GraphQL(schema), methods=["GET", "POST"])])
