"""A small lending library split over three Strawberry federation subgraphs (shared by the
test_entities_basic and test_entities_lists suites).

- catalog: books (entity, key `isbn`): title and year; root fields `book`, `books`, `shelves`
  (a list of lists of books, with a null inside).
- reviews: reviews of books, and the `reviews`/`averageRating` fields of the books it knows;
  it answers null for books without reviews. Reviews point to readers by `id`; one review is
  anonymous (null author) and one has an author whose key field is null.
- members: readers (entity, key `id`) with a favourite book and a wishlist (list of lists of
  book references).

Data is static. Some references point to entities the owning subgraph does not know (book
`978-9`, reader `u9`): their reference resolvers return null.
"""

from __future__ import annotations

import strawberry

# --------------------------------------------------------------------------- catalog

_BOOKS: dict[str, tuple[str, int | None]] = {
    "978-0": ("The Left Hand of Darkness", 1969),
    "978-1": ("Dune", 1965),
    "978-2": ("Kindred", 1979),
    "978-3": ("Solaris", None),
}


@strawberry.federation.type(name="Book", keys=["isbn"])
class CatalogBook:
    isbn: strawberry.ID
    title: str
    year: int | None

    @classmethod
    def resolve_reference(cls, isbn: strawberry.ID) -> CatalogBook | None:
        return _catalog_book(isbn)


def _catalog_book(isbn: str | None) -> CatalogBook | None:
    if isbn is None or isbn not in _BOOKS:
        return None
    title, year = _BOOKS[isbn]
    return CatalogBook(isbn=strawberry.ID(isbn), title=title, year=year)


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def book(self, isbn: strawberry.ID) -> CatalogBook | None:
        return _catalog_book(isbn)

    @strawberry.field
    def books(self) -> list[CatalogBook]:
        return [b for b in (_catalog_book(isbn) for isbn in _BOOKS) if b is not None]

    @strawberry.field
    def shelves(self) -> list[list[CatalogBook | None]]:
        layout = [["978-1", "978-0"], [], ["978-2", None, "978-1"]]
        return [[_catalog_book(isbn) for isbn in shelf] for shelf in layout]


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery, types=[CatalogBook], federation_version="2.3"
)

# --------------------------------------------------------------------------- reviews

# id -> (isbn, stars, body, author id; "" means an author object whose id is null)
_REVIEWS: dict[str, tuple[str, int, str, str | None]] = {
    "r1": ("978-0", 5, "Quietly brilliant", "u1"),
    "r2": ("978-1", 4, "Sand everywhere", "u2"),
    "r3": ("978-0", 3, "Slow start", "u2"),
    "r4": ("978-9", 2, "Could not find it again", None),
    "r5": ("978-2", 5, "Unputdownable", "u9"),
    "r6": ("978-1", 1, "Not for me", ""),
}
_LATEST = ["r5", "r3", "r2", "r1"]


@strawberry.federation.type(name="Reader", keys=["id"])
class ReviewsReader:
    id: strawberry.ID | None


@strawberry.federation.type(name="Book", keys=["isbn"])
class ReviewsBook:
    isbn: strawberry.ID

    @strawberry.field
    def reviews(self) -> list[Review] | None:
        found = [_review(rid) for rid, r in _REVIEWS.items() if r[0] == self.isbn]
        return [r for r in found if r is not None] or None

    @strawberry.field
    def average_rating(self) -> float | None:
        stars = [r[1] for r in _REVIEWS.values() if r[0] == self.isbn]
        return sum(stars) / len(stars) if stars else None

    @classmethod
    def resolve_reference(cls, isbn: strawberry.ID) -> ReviewsBook | None:
        if any(r[0] == isbn for r in _REVIEWS.values()):
            return cls(isbn=isbn)
        return None


@strawberry.type
class Review:
    id: strawberry.ID
    stars: int
    body: str
    book: ReviewsBook
    author: ReviewsReader | None


def _review(rid: str) -> Review | None:
    if rid not in _REVIEWS:
        return None
    isbn, stars, body, author = _REVIEWS[rid]
    reader = None
    if author is not None:
        reader = ReviewsReader(id=strawberry.ID(author) if author else None)
    return Review(
        id=strawberry.ID(rid),
        stars=stars,
        body=body,
        book=ReviewsBook(isbn=strawberry.ID(isbn)),
        author=reader,
    )


@strawberry.type(name="Query")
class ReviewsQuery:
    @strawberry.field
    def review(self, id: strawberry.ID) -> Review | None:
        return _review(id)

    @strawberry.field
    def latest_reviews(self) -> list[Review]:
        return [r for r in (_review(rid) for rid in _LATEST) if r is not None]


reviews_schema = strawberry.federation.Schema(
    query=ReviewsQuery, types=[ReviewsBook, ReviewsReader], federation_version="2.3"
)

# --------------------------------------------------------------------------- members

# id -> (name, nickname, favourite isbn, wishlist)
_READERS: dict[str, tuple[str, str | None, str | None, list[list[str]]]] = {
    "u1": ("Ursula", "ukl", "978-0", [["978-1", "978-3"], ["978-0"]]),
    "u2": ("Octavia", "oeb", None, [[], ["978-2", "978-1", "978-3"]]),
    "u3": ("Stanislaw", None, "978-2", []),
}


@strawberry.federation.type(name="Book", keys=["isbn"])
class MembersBook:
    isbn: strawberry.ID


@strawberry.federation.type(name="Reader", keys=["id"])
class MembersReader:
    id: strawberry.ID
    name: str
    nickname: str | None

    @strawberry.field
    def favourite_book(self) -> MembersBook | None:
        isbn = _READERS[self.id][2]
        return MembersBook(isbn=strawberry.ID(isbn)) if isbn else None

    @strawberry.field
    def wishlist(self) -> list[list[MembersBook]]:
        return [
            [MembersBook(isbn=strawberry.ID(isbn)) for isbn in shelf]
            for shelf in _READERS[self.id][3]
        ]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID | None) -> MembersReader | None:
        return _reader(id)


def _reader(rid: str | None) -> MembersReader | None:
    if rid is None or rid not in _READERS:
        return None
    name, nickname = _READERS[rid][0], _READERS[rid][1]
    return MembersReader(id=strawberry.ID(rid), name=name, nickname=nickname)


@strawberry.type(name="Query")
class MembersQuery:
    @strawberry.field
    def readers(self) -> list[MembersReader]:
        return [r for r in (_reader(rid) for rid in _READERS) if r is not None]

    @strawberry.field
    def reader(self, id: strawberry.ID) -> MembersReader | None:
        return _reader(id)


members_schema = strawberry.federation.Schema(
    query=MembersQuery, types=[MembersReader, MembersBook], federation_version="2.3"
)

SUBGRAPHS = {"catalog": catalog_schema, "reviews": reviews_schema, "members": members_schema}

# Composed with @theguild/federation-composition from the SDL the subgraphs above print.
SUPERGRAPH = r'''
schema @link(url: "https://specs.apollo.dev/link/v1.0") @link(url: "https://specs.apollo.dev/join/v0.3", for: EXECUTION) {
  query: Query
}

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__field(
  graph: join__Graph
  requires: join__FieldSet
  provides: join__FieldSet
  type: String
  external: Boolean
  override: String
  usedOverridden: Boolean
) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(
  graph: join__Graph!
  key: join__FieldSet
  extension: Boolean! = false
  resolvable: Boolean! = true
  isInterfaceObject: Boolean! = false
) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

scalar join__FieldSet

directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

scalar link__Import

enum link__Purpose {
  """
  `SECURITY` features provide metadata necessary to securely resolve fields.
  """
  SECURITY
  """
  `EXECUTION` features provide metadata necessary for operation execution.
  """
  EXECUTION
}

enum join__Graph {
  CATALOG @join__graph(name: "catalog", url: "http://catalog.subgraph.local/graphql")
  MEMBERS @join__graph(name: "members", url: "http://members.subgraph.local/graphql")
  REVIEWS @join__graph(name: "reviews", url: "http://reviews.subgraph.local/graphql")
}

type Book @join__type(graph: CATALOG, key: "isbn") @join__type(graph: MEMBERS, key: "isbn") @join__type(graph: REVIEWS, key: "isbn") {
  isbn: ID!
  title: String! @join__field(graph: CATALOG)
  year: Int @join__field(graph: CATALOG)
  reviews: [Review!] @join__field(graph: REVIEWS)
  averageRating: Float @join__field(graph: REVIEWS)
}

type Query @join__type(graph: CATALOG) @join__type(graph: MEMBERS) @join__type(graph: REVIEWS) {
  book(isbn: ID!): Book @join__field(graph: CATALOG)
  books: [Book!]! @join__field(graph: CATALOG)
  shelves: [[Book]!]! @join__field(graph: CATALOG)
  readers: [Reader!]! @join__field(graph: MEMBERS)
  reader(id: ID!): Reader @join__field(graph: MEMBERS)
  review(id: ID!): Review @join__field(graph: REVIEWS)
  latestReviews: [Review!]! @join__field(graph: REVIEWS)
}

type Reader @join__type(graph: MEMBERS, key: "id") @join__type(graph: REVIEWS, key: "id") {
  id: ID @join__field(graph: MEMBERS, type: "ID!") @join__field(graph: REVIEWS, type: "ID")
  name: String! @join__field(graph: MEMBERS)
  nickname: String @join__field(graph: MEMBERS)
  favouriteBook: Book @join__field(graph: MEMBERS)
  wishlist: [[Book!]!]! @join__field(graph: MEMBERS)
}

type Review @join__type(graph: REVIEWS) {
  id: ID!
  stars: Int!
  body: String!
  book: Book!
  author: Reader
}
'''
