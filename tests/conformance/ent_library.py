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
