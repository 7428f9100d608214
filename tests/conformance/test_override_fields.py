"""@override(from: ...): a field moved from one subgraph to another.

`Invoice.status` and the root field `Query.openInvoiceCount` moved from `legacy` to
`billing` with `@override(from: "legacy")`. The legacy subgraph still has resolvers for them,
but they answer stale values ("LEGACY-..." / 999): after composition only `billing` resolves
them, so none of those values may reach the client. Covered here: the overridden field asked
from the old subgraph's root (must jump), from the new subgraph's root, next to fields that
stayed in the old subgraph, an overridden root field, and `__typename`.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# id -> (amount, status, due date)
_INVOICES: dict[str, tuple[int, str, str]] = {
    "i1": (1250, "PAID", "2024-01-31"),
    "i2": (980, "OVERDUE", "2024-02-29"),
    "i3": (4300, "OVERDUE", "2024-03-31"),
}

# --------------------------------------------------------------------------- billing


@strawberry.federation.type(name="Invoice", keys=["id"])
class BillingInvoice:
    id: strawberry.ID
    amount: int

    @strawberry.federation.field(override="legacy")
    def status(self) -> str:
        return _INVOICES[self.id][1]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> BillingInvoice | None:
        return cls(id=id, amount=_INVOICES[id][0]) if id in _INVOICES else None


@strawberry.type(name="Query")
class BillingQuery:
    @strawberry.field
    def invoices(self) -> list[BillingInvoice]:
        return [BillingInvoice(id=strawberry.ID(i), amount=v[0]) for i, v in _INVOICES.items()]

    @strawberry.federation.field(override="legacy")
    def open_invoice_count(self) -> int:
        return sum(1 for v in _INVOICES.values() if v[1] != "PAID")


billing_schema = strawberry.federation.Schema(
    query=BillingQuery, types=[BillingInvoice], federation_version="2.3"
)

# --------------------------------------------------------------------------- legacy


@strawberry.federation.type(name="Invoice", keys=["id"])
class LegacyInvoice:
    id: strawberry.ID

    @strawberry.field
    def status(self) -> str:
        return f"LEGACY-{self.id}"

    @strawberry.field
    def due_date(self) -> str:
        return _INVOICES[self.id][2]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LegacyInvoice | None:
        return cls(id=id) if id in _INVOICES else None


@strawberry.type(name="Query")
class LegacyQuery:
    @strawberry.field
    def overdue_invoices(self) -> list[LegacyInvoice]:
        return [LegacyInvoice(id=strawberry.ID(i)) for i in ("i3", "i2")]

    @strawberry.field
    def open_invoice_count(self) -> int:
        return 999


legacy_schema = strawberry.federation.Schema(
    query=LegacyQuery, types=[LegacyInvoice], federation_version="2.3"
)

SUBGRAPHS = {"billing": billing_schema, "legacy": legacy_schema}


CASES = [
    Case(
        "overridden-field-from-old-subgraph-root",
        "{ overdueInvoices { id status } }",
        {
            "data": {
                "overdueInvoices": [
                    {"id": "i3", "status": "OVERDUE"},
                    {"id": "i2", "status": "OVERDUE"},
                ]
            }
        },
    ),
    Case(
        "overridden-field-next-to-fields-that-stayed",
        "{ overdueInvoices { dueDate status amount } }",
        {
            "data": {
                "overdueInvoices": [
                    {"dueDate": "2024-03-31", "status": "OVERDUE", "amount": 4300},
                    {"dueDate": "2024-02-29", "status": "OVERDUE", "amount": 980},
                ]
            }
        },
    ),
    Case(
        "overridden-field-from-new-subgraph-root",
        "{ invoices { id status dueDate } }",
        {
            "data": {
                "invoices": [
                    {"id": "i1", "status": "PAID", "dueDate": "2024-01-31"},
                    {"id": "i2", "status": "OVERDUE", "dueDate": "2024-02-29"},
                    {"id": "i3", "status": "OVERDUE", "dueDate": "2024-03-31"},
                ]
            }
        },
    ),
    Case(
        "overridden-root-field",
        "{ openInvoiceCount }",
        {"data": {"openInvoiceCount": 2}},
    ),
    Case(
        "overridden-root-field-with-root-fields-of-both-subgraphs",
        "{ overdueInvoices { id } openInvoiceCount invoices { __typename status } }",
        {
            "data": {
                "overdueInvoices": [{"id": "i3"}, {"id": "i2"}],
                "openInvoiceCount": 2,
                "invoices": [
                    {"__typename": "Invoice", "status": "PAID"},
                    {"__typename": "Invoice", "status": "OVERDUE"},
                    {"__typename": "Invoice", "status": "OVERDUE"},
                ],
            }
        },
    ),
    Case(
        "overridden-field-under-alias",
        "{ overdueInvoices { s: status legacyStatus: status } }",
        {
            "data": {
                "overdueInvoices": [
                    {"s": "OVERDUE", "legacyStatus": "OVERDUE"},
                    {"s": "OVERDUE", "legacyStatus": "OVERDUE"},
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_override_fields(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
