"""Federation 1 style subgraphs composed with a Federation 2 one.

Three subgraphs are written in Federation 1 SDL (no `@link`; `extend type X @key(...)` or
`type X @key(...) @extends` with `@external` key fields; `extend type Query`; value types
defined in two subgraphs without `@shareable`) and served by graphql-core (see abs_fed1.py);
`books` is a Strawberry Federation 2 subgraph. The composed supergraph marks the `@extends`
entity with `@join__type(..., extension: true)` (composition treats a Fed1 `extend type` as
a plain definition). Covers entity extensions of Fed1 and Fed2 owners, Fed1
`@requires`, a value type resolved by two Fed1 subgraphs, and chains across all four.
"""

from __future__ import annotations

from typing import Any

import pytest
import strawberry

from tests.conformance.abs_fed1 import Fed1Subgraph
from tests.conformance.harness import Case, make_gateway, run_case

# --- members (Federation 1) ---------------------------------------------------------------

_MEMBERS = {"m1": {"id": "m1", "handle": "reader42"}, "m2": {"id": "m2", "handle": "bookworm"}}

members_app = Fed1Subgraph(
    """
type Member @key(fields: "id") {
  id: ID!
  handle: String!
}

extend type Query {
  member(id: ID!): Member
  members: [Member!]!
}
""",
    resolvers={
        "Query": {
            "member": lambda _root, _info, id: _MEMBERS.get(id),
            "members": lambda *_: list(_MEMBERS.values()),
        }
    },
    references={"Member": lambda rep: _MEMBERS.get(rep["id"])},
)

# --- loans (Federation 1) -----------------------------------------------------------------

_LOANS: list[dict[str, Any]] = [
    {"id": "l1", "isbn": "111", "member": "m1", "due": "2024-05-01", "fee": 0},
    {"id": "l2", "isbn": "333", "member": "m1", "due": "2024-04-20", "fee": 60},
    {"id": "l3", "isbn": "222", "member": "m2", "due": "2024-05-03", "fee": 0},
]


def _loan(row: dict[str, Any]) -> dict[str, Any]:
    return {
        "id": row["id"],
        "dueDate": row["due"],
        "fee": {"amount": row["fee"], "currency": "EUR"},
        "book": {"isbn": row["isbn"]},
        "member": {"id": row["member"]},
    }


def _loans_where(key: str, value: str) -> list[dict[str, Any]]:
    return [_loan(row) for row in _LOANS if row[key] == value]


loans_app = Fed1Subgraph(
    """
type Money {
  amount: Int!
  currency: String!
}

type Loan @key(fields: "id") {
  id: ID!
  dueDate: String!
  fee: Money!
  book: Book!
  member: Member!
}

extend type Member @key(fields: "id") {
  id: ID! @external
  loans: [Loan!]!
}

extend type Book @key(fields: "isbn") {
  isbn: String! @external
  loans: [Loan!]!
}

extend type Query {
  overdueLoans: [Loan!]!
}
""",
    resolvers={
        "Query": {"overdueLoans": lambda *_: [_loan(row) for row in _LOANS if row["fee"] > 0]},
        "Member": {"loans": lambda member, _info: _loans_where("member", member["id"])},
        "Book": {"loans": lambda book, _info: _loans_where("isbn", book["isbn"])},
    },
    references={
        "Loan": lambda rep: next((_loan(r) for r in _LOANS if r["id"] == rep["id"]), None),
        "Member": lambda rep: {"id": rep["id"]},
        "Book": lambda rep: {"isbn": rep["isbn"]},
    },
)

# --- fines (Federation 1, @requires; the `@extends` spelling of an extension) -------------

fines_app = Fed1Subgraph(
    """
type Money {
  amount: Int!
  currency: String!
}

type Book @key(fields: "isbn") @extends {
  isbn: String! @external
  pages: Int! @external
  lateFeePerDay: Int! @external
  replacementCost: Money! @requires(fields: "pages lateFeePerDay")
}
""",
    resolvers={
        "Book": {
            "replacementCost": lambda book, _info: {
                "amount": book["pages"] // 10 + 2 * book["lateFeePerDay"],
                "currency": "EUR",
            }
        }
    },
    references={"Book": dict},
)

# --- books (Federation 2, Strawberry) -----------------------------------------------------


@strawberry.federation.type(name="Book", keys=["isbn"])
class Book:
    isbn: str
    title: str
    pages: int
    late_fee_per_day: int

    @classmethod
    def resolve_reference(cls, isbn: str) -> Book | None:
        return _BOOKS.get(isbn)


_BOOKS = {
    "111": Book(isbn="111", title="Dune", pages=600, late_fee_per_day=20),
    "222": Book(isbn="222", title="Emma", pages=400, late_fee_per_day=10),
    "333": Book(isbn="333", title="Ulysses", pages=900, late_fee_per_day=30),
}


@strawberry.type(name="Query")
class BooksQuery:
    @strawberry.field
    def books(self) -> list[Book]:
        return list(_BOOKS.values())

    @strawberry.field
    def book(self, isbn: str) -> Book | None:
        return _BOOKS.get(isbn)


books_schema = strawberry.federation.Schema(query=BooksQuery, federation_version="2.9")

SUBGRAPHS = {"members": members_app, "loans": loans_app, "fines": fines_app, "books": books_schema}


CASES = [
    Case(
        "fed1-query-extension-and-entity-extension",
        '{ member(id: "m1") { handle loans { dueDate } } }',
        {
            "data": {
                "member": {
                    "handle": "reader42",
                    "loans": [{"dueDate": "2024-05-01"}, {"dueDate": "2024-04-20"}],
                }
            }
        },
    ),
    Case(
        "fed2-owner-extended-by-fed1-subgraph",
        "{ books { title loans { member { handle } } } }",
        {
            "data": {
                "books": [
                    {"title": "Dune", "loans": [{"member": {"handle": "reader42"}}]},
                    {"title": "Emma", "loans": [{"member": {"handle": "bookworm"}}]},
                    {"title": "Ulysses", "loans": [{"member": {"handle": "reader42"}}]},
                ]
            }
        },
    ),
    Case(
        "fed1-requires-on-extension",
        "{ books { isbn replacementCost { amount currency } } }",
        {
            "data": {
                "books": [
                    {"isbn": "111", "replacementCost": {"amount": 100, "currency": "EUR"}},
                    {"isbn": "222", "replacementCost": {"amount": 60, "currency": "EUR"}},
                    {"isbn": "333", "replacementCost": {"amount": 150, "currency": "EUR"}},
                ]
            }
        },
    ),
    Case(
        "fed1-root-to-owners",
        "{ overdueLoans { id fee { amount } book { title pages } member { handle } } }",
        {
            "data": {
                "overdueLoans": [
                    {
                        "id": "l2",
                        "fee": {"amount": 60},
                        "book": {"title": "Ulysses", "pages": 900},
                        "member": {"handle": "reader42"},
                    }
                ]
            }
        },
    ),
    Case(
        "fed1-value-type-from-two-subgraphs",
        '{ book(isbn: "333") { loans { fee { amount currency } } replacementCost { amount } } }',
        {
            "data": {
                "book": {
                    "loans": [{"fee": {"amount": 60, "currency": "EUR"}}],
                    "replacementCost": {"amount": 150},
                }
            }
        },
    ),
    Case(
        "fed1-typenames-and-aliases-single-subgraph",
        "{ overdueLoans { __typename b: book { __typename isbn } } }",
        {
            "data": {
                "overdueLoans": [{"__typename": "Loan", "b": {"__typename": "Book", "isbn": "333"}}]
            }
        },
    ),
    Case(
        "fed1-chain-across-all-subgraphs",
        "{ members { handle loans { book { title replacementCost { amount } } } } }",
        {
            "data": {
                "members": [
                    {
                        "handle": "reader42",
                        "loans": [
                            {"book": {"title": "Dune", "replacementCost": {"amount": 100}}},
                            {"book": {"title": "Ulysses", "replacementCost": {"amount": 150}}},
                        ],
                    },
                    {
                        "handle": "bookworm",
                        "loans": [{"book": {"title": "Emma", "replacementCost": {"amount": 60}}}],
                    },
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_fed1_extend(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
