"""Null bubbling by the supergraph's non-null rules when a subgraph returns null.

Covers the GraphQL spec's "Handling Field Errors" / "Errors and Non-Null Fields": when a
non-null field is null (here: a subgraph answers null for it), the null propagates to the
nearest nullable parent; in a list of non-null items the whole list becomes null; in a list of
nullable items only that item does; a non-null root field makes `data` null. The `labels`
subgraph declares strict types (the supergraph is composed from that declaration) but the
server that answers is a lax build of it that returns nulls for non-null fields, the way a
misbehaving or version-skewed subgraph would; the gateway must still give the client a response
that is valid for the schema the client sees.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --------------------------------------------------------------------------- shelf (honest)


@strawberry.federation.type(keys=["id"])
class Item:
    id: strawberry.ID

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> Item:
        return cls(id=id)


def _items(*ids: str) -> list[Item]:
    return [Item(id=strawberry.ID(i)) for i in ids]


@strawberry.type
class Box:
    title: str
    items: list[Item]


@strawberry.type(name="Query")
class ShelfQuery:
    @strawberry.field
    def item(self, id: strawberry.ID) -> Item | None:
        return Item(id=id)

    @strawberry.field
    def must_item(self, id: strawberry.ID) -> Item:
        return Item(id=id)

    @strawberry.field
    def items(self) -> list[Item] | None:
        return _items("i1", "i2", "i3")

    @strawberry.field
    def maybe_items(self) -> list[Item | None]:
        return list(_items("i1", "i2", "i3"))

    @strawberry.field
    def strict_items(self) -> list[Item]:
        return _items("i1", "i2")

    @strawberry.field
    def box(self) -> Box | None:
        return Box(title="Odds and ends", items=_items("i3", "i2"))

    @strawberry.field
    def tidy_box(self) -> Box | None:
        return Box(title="Kitchen", items=_items("i1"))


shelf_schema = strawberry.federation.Schema(
    query=ShelfQuery, types=[Item], federation_version="2.3"
)

# --------------------------------------------------------------------------- labels

LABELS: dict[str, str | None] = {"i1": "Kettle", "i2": None, "i3": "Lantern"}
WEIGHTS: dict[str, int | None] = {"i1": 900, "i2": 400, "i3": None}
COLORS: dict[str, str | None] = {"i1": "steel", "i2": None, "i3": "brass"}


# What the labels subgraph declares (and what the supergraph is composed from).
@strawberry.type(name="Spec")
class Spec:
    weight: int
    color: str | None


@strawberry.federation.type(keys=["id"], name="Item")
class LabelledItem:
    id: strawberry.ID
    label: str
    spec: Spec | None

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LabelledItem:
        raise NotImplementedError("declaration only: the lax build below serves requests")


labels_declared_schema = strawberry.federation.Schema(
    query=None, types=[LabelledItem], federation_version="2.3"
)


# What actually answers: the same names, but it returns null where it declared non-null.
@strawberry.type(name="Spec")
class LaxSpec:
    weight: int | None
    color: str | None


@strawberry.federation.type(keys=["id"], name="Item")
class LaxItem:
    id: strawberry.ID

    @strawberry.field
    def label(self) -> str | None:
        if self.id == "i4":
            raise ValueError("label printer jammed")
        return LABELS.get(self.id)

    @strawberry.field
    def spec(self) -> LaxSpec | None:
        return LaxSpec(weight=WEIGHTS[self.id], color=COLORS[self.id])

    @classmethod
    def resolve_reference(cls, id: strawberry.ID) -> LaxItem | None:
        return None if id == "i5" else cls(id=id)


labels_served_schema = strawberry.federation.Schema(
    query=None, types=[LaxItem], federation_version="2.3"
)

# The supergraph is composed from what `labels` declares; the lax build answers.
SUBGRAPHS = {"shelf": shelf_schema, "labels": labels_declared_schema}
SERVED = {"labels": labels_served_schema}


CASES = [
    Case(
        "non-null-field-null-makes-nullable-parent-null",
        '{ item(id: "i2") { id label } }',
        {"data": {"item": None}, "errors": True},
    ),
    Case(
        "list-of-non-null-items-becomes-null",
        "{ items { id label } }",
        {"data": {"items": None}, "errors": True},
    ),
    Case(
        "list-of-nullable-items-loses-only-that-item",
        "{ maybeItems { id label } }",
        {
            "data": {
                "maybeItems": [
                    {"id": "i1", "label": "Kettle"},
                    None,
                    {"id": "i3", "label": "Lantern"},
                ]
            },
            "errors": True,
        },
    ),
    Case(
        "bubbles-through-non-null-list-field-to-nullable-object",
        '{ box { title items { id label } } other: item(id: "i1") { label } }',
        {"data": {"box": None, "other": {"label": "Kettle"}}, "errors": True},
    ),
    Case(
        "non-null-root-field-makes-data-null",
        '{ item(id: "i1") { label } mustItem(id: "i2") { label } }',
        {"data": None, "errors": True},
    ),
    Case(
        "non-null-list-of-non-null-root-field-makes-data-null",
        "{ tidyBox { title } strictItems { label } }",
        {"data": None, "errors": True},
    ),
    Case(
        "nested-nullable-object-absorbs-the-null",
        '{ item(id: "i3") { label spec { weight color } } }',
        {"data": {"item": {"label": "Lantern", "spec": None}}, "errors": True},
    ),
    Case(
        "only-selected-fields-bubble",
        "{ items { id } maybeItems { spec { weight } } }",
        {
            "data": {
                "items": [{"id": "i1"}, {"id": "i2"}, {"id": "i3"}],
                "maybeItems": [
                    {"spec": {"weight": 900}},
                    {"spec": {"weight": 400}},
                    {"spec": None},
                ],
            },
            "errors": True,
        },
    ),
    Case(
        "nullable-fields-that-are-null-do-not-bubble",
        "{ items { id spec { color } } tidyBox { items { label } } }",
        {
            "data": {
                "items": [
                    {"id": "i1", "spec": {"color": "steel"}},
                    {"id": "i2", "spec": {"color": None}},
                    {"id": "i3", "spec": {"color": "brass"}},
                ],
                "tidyBox": {"items": [{"label": "Kettle"}]},
            }
        },
    ),
    Case(
        "subgraph-error-on-non-null-field-bubbles",
        '{ item(id: "i4") { id label } box { title } }',
        {"data": {"item": None, "box": {"title": "Odds and ends"}}, "errors": True},
    ),
    Case(
        "entity-the-subgraph-cannot-find-bubbles",
        '{ item(id: "i5") { id label } tidyBox { title } }',
        {"data": {"item": None, "tidyBox": {"title": "Kitchen"}}, "errors": True},
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_nullability_bubbling(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS, serve=SERVED)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
