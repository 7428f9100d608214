"""The reviews subgraph: eleven reviews, and the reviews of users and products.

Its quirks, kept from the benchmark's subgraphs: every review's author is user 1 with
username "urigo"; a `User` reference resolves whatever its id, with username "user";
and every user's `reviews` are the first two reviews.
"""

from __future__ import annotations

from typing import Any

import strawberry

from bench.subgraphs.federation import SubgraphSchema


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str

    @strawberry.field
    def reviews(self) -> list[Review | None] | None:
        return REVIEWS_BY_UPC.get(self.upc, [])  # type: ignore[return-value]

    @classmethod
    def resolve_reference(cls, upc: Any = None, **_representation: Any) -> Product:
        return cls(upc=upc)


@strawberry.federation.type(keys=["id"])
class Review:
    id: strawberry.ID
    body: str | None
    product: Product | None

    @strawberry.federation.field(provides=["username"])
    def author(self) -> User | None:
        return AUTHOR

    @classmethod
    def resolve_reference(cls, id: object = None, **_representation: Any) -> Review | None:
        return REVIEWS_BY_ID.get(id) if isinstance(id, str) else None


@strawberry.federation.type(keys=["id"])
class User:
    id: strawberry.ID
    username: str | None = strawberry.federation.field(external=True)
    reviews: list[Review | None] | None

    @classmethod
    def resolve_reference(cls, id: Any = None, **_representation: Any) -> User:
        return cls(id=id, username="user", reviews=REVIEWS[:2])  # type: ignore[arg-type]


_BODY_1 = (
    "Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor"
    " incididunt ut labore et dolore magna aliqua. Ut enim ad minim veniam, quis nostrud"
    " exercitation ullamco laboris nisi ut aliquip ex ea commodo consequat. Duis aute irure"
    " dolor in reprehenderit in voluptate velit esse cillum dolore eu fugiat nulla pariatur."
    " Excepteur sint occaecat cupidatat non proident, sunt in culpa qui officia deserunt"
    " mollit anim id est laborum."
)
_BODY_2 = (
    "Sed ut perspiciatis unde omnis iste natus error sit voluptatem accusantium doloremque"
    " laudantium, totam rem aperiam, eaque ipsa quae ab illo inventore veritatis et quasi"
    " architecto beatae vitae dicta sunt explicabo. Nemo enim ipsam voluptatem quia voluptas"
    " sit aspernatur aut odit aut fugi"
)
_BODY_3 = (
    "sed quia consequuntur magni dolores eos qui ratione voluptatem sequi nesciunt. Neque"
    " porro quisquam est, qui dolorem ipsum quia dolor sit amet, consectetur, adipisci velit,"
    " sed quia non numquam eius modi tempora incidunt ut labore et dolore magnam aliquam"
    " quaerat voluptatem."
)
_BODY_4 = (
    "Ut enim ad minima veniam, quis nostrum exercitationem ullam corporis suscipit"
    " laboriosam, nisi ut aliquid ex ea commodi consequatur? Quis autem"
)
_BODY_11 = (
    "At vero eos et accusamus et iusto odio dignissimos ducimus qui blanditiis praesentium"
    " voluptatum deleniti atque corrupti quos dolores et quas molestias excepturi sint"
    " occaecati cupiditate non provident, similique sunt in culpa qui officia deserunt"
    " mollitia animi, id est laborum et dolorum fuga. Et harum quidem rerum facilis est et"
    " expedita distinctio. Nam libero tempore, cum soluta nobis est eligendi optio cumque"
    " nihil impedit quo minus id quod maxime placeat facere possimus, omnis voluptas"
    " assumenda est, omnis dolor repellendus. Temporibus autem quibusdam et aut officiis"
    " debitis aut rerum necessitatibus saepe eveniet ut et voluptates repudiandae sint et"
    " molestiae non recusandae. Itaque earum rerum hic tenetur a sapiente delectus, ut aut"
    " reiciendis voluptatibus maiores alias consequatur aut perferendis doloribus asperiores"
    " repellat."
)

REVIEWS: list[Review] = [
    Review(id=strawberry.ID(id_), body=body, product=Product(upc=upc))
    for id_, body, upc in (
        ("1", _BODY_1, "1"),
        ("2", _BODY_2, "1"),
        ("3", _BODY_3, "1"),
        ("4", _BODY_4, "1"),
        ("5", _BODY_1, "2"),
        ("6", _BODY_2, "2"),
        ("7", _BODY_3, "2"),
        ("8", _BODY_4, "2"),
        ("9", _BODY_4, "3"),
        ("10", _BODY_4, "4"),
        ("11", _BODY_11, "4"),
    )
]
REVIEWS_BY_ID: dict[str, Review] = {review.id: review for review in REVIEWS}
REVIEWS_BY_UPC: dict[str, list[Review]] = {}
for _review in REVIEWS:
    REVIEWS_BY_UPC.setdefault(_review.product.upc, []).append(_review)  # type: ignore[union-attr]

AUTHOR = User(id=strawberry.ID("1"), username="urigo", reviews=REVIEWS[:2])  # type: ignore[arg-type]

schema = SubgraphSchema(types=[Review, User, Product])
