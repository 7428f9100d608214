"""One focused SDL pair per change kind and criticality, plus the diff's contract."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import ObjectTypeDefinitionNode, build_schema, parse

from gateway.checks.diff import Criticality, SchemaChange, diff_schemas, diff_sdl

B, D, S = Criticality.BREAKING, Criticality.DANGEROUS, Criticality.SAFE
Q = "type Query { q: Int }\n"  # every case needs a query root; it never changes

# (old SDL, new SDL, the one change expected: (criticality, kind, coordinate))
CASES: dict[str, tuple[str, str, tuple[Criticality, str, str]]] = {
    "type added": (Q, Q + "type T { a: Int }", (S, "TYPE_ADDED", "T")),
    "type removed": (Q + "type T { a: Int }", Q, (B, "TYPE_REMOVED", "T")),
    "type kind changed": (
        Q + "type T { a: Int }",
        Q + "input T { a: Int }",
        (B, "TYPE_KIND_CHANGED", "T"),
    ),
    "type description": (
        Q + "scalar T",
        Q + '"Money" scalar T',
        (S, "TYPE_DESCRIPTION_CHANGED", "T"),
    ),
    "field added": (
        "type Query { a: Int }",
        "type Query { a: Int b: Int }",
        (S, "FIELD_ADDED", "Query.b"),
    ),
    "field removed": (
        "type Query { a: Int b: Int }",
        "type Query { a: Int }",
        (B, "FIELD_REMOVED", "Query.b"),
    ),
    "interface field removed": (
        Q + "interface I { a: Int b: Int }",
        Q + "interface I { a: Int }",
        (B, "FIELD_REMOVED", "I.b"),
    ),
    "field became non-null": (
        "type Query { a: Int }",
        "type Query { a: Int! }",
        (S, "FIELD_TYPE_CHANGED", "Query.a"),
    ),
    "field became nullable": (
        "type Query { a: Int! }",
        "type Query { a: Int }",
        (B, "FIELD_TYPE_CHANGED", "Query.a"),
    ),
    "field named type changed": (
        "type Query { a: Int }",
        "type Query { a: String }",
        (B, "FIELD_TYPE_CHANGED", "Query.a"),
    ),
    "field deprecated": (
        "type Query { a: Int }",
        'type Query { a: Int @deprecated(reason: "use b") }',
        (S, "FIELD_DEPRECATION_ADDED", "Query.a"),
    ),
    "field undeprecated": (
        "type Query { a: Int @deprecated }",
        "type Query { a: Int }",
        (S, "FIELD_DEPRECATION_REMOVED", "Query.a"),
    ),
    "field deprecation reason": (
        'type Query { a: Int @deprecated(reason: "x") }',
        'type Query { a: Int @deprecated(reason: "y") }',
        (S, "FIELD_DEPRECATION_REASON_CHANGED", "Query.a"),
    ),
    "field description": (
        'type Query { "old" a: Int }',
        'type Query { "new" a: Int }',
        (S, "FIELD_DESCRIPTION_CHANGED", "Query.a"),
    ),
    "required arg added": (
        "type Query { a: Int }",
        "type Query { a(x: Int!): Int }",
        (B, "ARG_ADDED", "Query.a(x:)"),
    ),
    "optional arg added": (
        "type Query { a: Int }",
        "type Query { a(x: Int): Int }",
        (D, "ARG_ADDED", "Query.a(x:)"),
    ),
    "non-null arg with default added": (
        "type Query { a: Int }",
        "type Query { a(x: Int! = 1): Int }",
        (D, "ARG_ADDED", "Query.a(x:)"),
    ),
    "arg removed": (
        "type Query { a(x: Int): Int }",
        "type Query { a: Int }",
        (B, "ARG_REMOVED", "Query.a(x:)"),
    ),
    "arg became required": (
        "type Query { a(x: Int): Int }",
        "type Query { a(x: Int!): Int }",
        (B, "ARG_TYPE_CHANGED", "Query.a(x:)"),
    ),
    "arg became optional": (
        "type Query { a(x: Int!): Int }",
        "type Query { a(x: Int): Int }",
        (S, "ARG_TYPE_CHANGED", "Query.a(x:)"),
    ),
    "arg default changed": (
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int = 2): Int }",
        (D, "ARG_DEFAULT_CHANGED", "Query.a(x:)"),
    ),
    "arg default added": (
        "type Query { a(x: Int): Int }",
        "type Query { a(x: Int = 2): Int }",
        (D, "ARG_DEFAULT_CHANGED", "Query.a(x:)"),
    ),
    "arg default removed": (
        "type Query { a(x: Int = 1): Int }",
        "type Query { a(x: Int): Int }",
        (D, "ARG_DEFAULT_CHANGED", "Query.a(x:)"),
    ),
    "arg description": (
        'type Query { a("old" x: Int): Int }',
        "type Query { a(x: Int): Int }",
        (S, "ARG_DESCRIPTION_CHANGED", "Query.a(x:)"),
    ),
    "arg deprecated": (
        "type Query { a(x: Int): Int }",
        "type Query { a(x: Int @deprecated): Int }",
        (S, "ARG_DEPRECATION_ADDED", "Query.a(x:)"),
    ),
    "required input field added": (
        Q + "input I { a: Int }",
        Q + "input I { a: Int b: Int! }",
        (B, "INPUT_FIELD_ADDED", "I.b"),
    ),
    "optional input field added": (
        Q + "input I { a: Int }",
        Q + "input I { a: Int b: Int }",
        (D, "INPUT_FIELD_ADDED", "I.b"),
    ),
    "input field removed": (
        Q + "input I { a: Int b: Int }",
        Q + "input I { a: Int }",
        (B, "INPUT_FIELD_REMOVED", "I.b"),
    ),
    "input field became required": (
        Q + "input I { a: Int }",
        Q + "input I { a: Int! }",
        (B, "INPUT_FIELD_TYPE_CHANGED", "I.a"),
    ),
    "input field became optional": (
        Q + "input I { a: Int! }",
        Q + "input I { a: Int }",
        (S, "INPUT_FIELD_TYPE_CHANGED", "I.a"),
    ),
    "input field default changed": (
        Q + "input I { a: Int = 1 }",
        Q + "input I { a: Int = 3 }",
        (D, "INPUT_FIELD_DEFAULT_CHANGED", "I.a"),
    ),
    "input field description": (
        Q + "input I { a: Int }",
        Q + 'input I { "why" a: Int }',
        (S, "INPUT_FIELD_DESCRIPTION_CHANGED", "I.a"),
    ),
    "input field deprecated": (
        Q + "input I { a: Int }",
        Q + "input I { a: Int @deprecated }",
        (S, "INPUT_FIELD_DEPRECATION_ADDED", "I.a"),
    ),
    "input became oneOf": (
        Q + "input I { a: Int b: Int }",
        Q + "input I @oneOf { a: Int b: Int }",
        (B, "INPUT_ONE_OF_ADDED", "I"),
    ),
    "input no longer oneOf": (
        Q + "input I @oneOf { a: Int b: Int }",
        Q + "input I { a: Int b: Int }",
        (D, "INPUT_ONE_OF_REMOVED", "I"),
    ),
    "enum value added": (Q + "enum E { A }", Q + "enum E { A B }", (D, "ENUM_VALUE_ADDED", "E.B")),
    "enum value removed": (
        Q + "enum E { A B }",
        Q + "enum E { A }",
        (B, "ENUM_VALUE_REMOVED", "E.B"),
    ),
    "enum value deprecated": (
        Q + "enum E { A B }",
        Q + 'enum E { A B @deprecated(reason: "gone soon") }',
        (S, "ENUM_VALUE_DEPRECATION_ADDED", "E.B"),
    ),
    "enum value undeprecated": (
        Q + "enum E { A B @deprecated }",
        Q + "enum E { A B }",
        (S, "ENUM_VALUE_DEPRECATION_REMOVED", "E.B"),
    ),
    "enum value description": (
        Q + "enum E { A }",
        Q + 'enum E { "first" A }',
        (S, "ENUM_VALUE_DESCRIPTION_CHANGED", "E.A"),
    ),
    "union member added": (
        Q + "type A { a: Int } type B { b: Int } union U = A",
        Q + "type A { a: Int } type B { b: Int } union U = A | B",
        (D, "UNION_MEMBER_ADDED", "U"),
    ),
    "union member removed": (
        Q + "type A { a: Int } type B { b: Int } union U = A | B",
        Q + "type A { a: Int } type B { b: Int } union U = A",
        (B, "UNION_MEMBER_REMOVED", "U"),
    ),
    "interface added to object": (
        Q + "interface N { id: ID } type T { id: ID }",
        Q + "interface N { id: ID } type T implements N { id: ID }",
        (D, "IMPLEMENTED_INTERFACE_ADDED", "T"),
    ),
    "interface removed from object": (
        Q + "interface N { id: ID } type T implements N { id: ID }",
        Q + "interface N { id: ID } type T { id: ID }",
        (B, "IMPLEMENTED_INTERFACE_REMOVED", "T"),
    ),
    "interface removed from interface": (
        Q + "interface N { id: ID } interface M implements N { id: ID }",
        Q + "interface N { id: ID } interface M { id: ID }",
        (B, "IMPLEMENTED_INTERFACE_REMOVED", "M"),
    ),
    "scalar specifiedBy changed": (
        Q + 'scalar T @specifiedBy(url: "https://a.example")',
        Q + 'scalar T @specifiedBy(url: "https://b.example")',
        (D, "SCALAR_SPECIFIED_BY_CHANGED", "T"),
    ),
    "directive added": (Q, Q + "directive @d on FIELD", (S, "DIRECTIVE_ADDED", "@d")),
    "directive removed": (Q + "directive @d on FIELD", Q, (B, "DIRECTIVE_REMOVED", "@d")),
    "directive location added": (
        Q + "directive @d on FIELD",
        Q + "directive @d on FIELD | QUERY",
        (S, "DIRECTIVE_LOCATION_ADDED", "@d"),
    ),
    "directive location removed": (
        Q + "directive @d on FIELD | QUERY",
        Q + "directive @d on FIELD",
        (B, "DIRECTIVE_LOCATION_REMOVED", "@d"),
    ),
    "directive became repeatable": (
        Q + "directive @d on FIELD",
        Q + "directive @d repeatable on FIELD",
        (S, "DIRECTIVE_REPEATABLE_ADDED", "@d"),
    ),
    "directive no longer repeatable": (
        Q + "directive @d repeatable on FIELD",
        Q + "directive @d on FIELD",
        (B, "DIRECTIVE_REPEATABLE_REMOVED", "@d"),
    ),
    "directive description": (
        Q + "directive @d on FIELD",
        Q + '"Marks things." directive @d on FIELD',
        (S, "DIRECTIVE_DESCRIPTION_CHANGED", "@d"),
    ),
    "required directive arg added": (
        Q + "directive @d on FIELD",
        Q + "directive @d(x: Int!) on FIELD",
        (B, "DIRECTIVE_ARG_ADDED", "@d(x:)"),
    ),
    "optional directive arg added": (
        Q + "directive @d on FIELD",
        Q + "directive @d(x: Int) on FIELD",
        (S, "DIRECTIVE_ARG_ADDED", "@d(x:)"),
    ),
    "directive arg removed": (
        Q + "directive @d(x: Int) on FIELD",
        Q + "directive @d on FIELD",
        (B, "DIRECTIVE_ARG_REMOVED", "@d(x:)"),
    ),
    "directive arg became required": (
        Q + "directive @d(x: Int) on FIELD",
        Q + "directive @d(x: Int!) on FIELD",
        (B, "DIRECTIVE_ARG_TYPE_CHANGED", "@d(x:)"),
    ),
    "directive arg default changed": (
        Q + "directive @d(x: Int = 1) on FIELD",
        Q + "directive @d(x: Int = 2) on FIELD",
        (D, "DIRECTIVE_ARG_DEFAULT_CHANGED", "@d(x:)"),
    ),
    "root mutation added": (
        Q + "type M { m: Int }",
        Q + "type M { m: Int } schema { query: Query mutation: M }",
        (S, "ROOT_TYPE_ADDED", "schema"),
    ),
    "root mutation removed": (
        Q + "type M { m: Int } schema { query: Query mutation: M }",
        Q + "type M { m: Int }",
        (B, "ROOT_TYPE_REMOVED", "schema"),
    ),
    "root query changed": (
        Q + "type Root { q: Int }",
        Q + "type Root { q: Int } schema { query: Root }",
        (B, "ROOT_TYPE_CHANGED", "schema"),
    ),
    "schema description": (
        Q,
        Q + '"The shop." schema { query: Query }',
        (S, "SCHEMA_DESCRIPTION_CHANGED", "schema"),
    ),
}


@pytest.mark.parametrize("case", CASES, ids=list(CASES))
def test_each_change_kind_is_classified(case: str) -> None:
    old, new, expected = CASES[case]
    changes = diff_sdl(old, new)
    assert [(c.criticality, c.kind, c.coordinate) for c in changes] == [expected]
    message = changes[0].message
    assert message[:1].isupper() and "\n" not in message


def test_every_criticality_has_cases() -> None:
    assert {expected[0] for _, _, expected in CASES.values()} == set(Criticality)


def test_identical_schemas_have_no_changes() -> None:
    sdl = """
    "Shop" schema { query: Query mutation: Mutation }
    directive @cached(ttl: Int = 60) repeatable on FIELD | QUERY
    interface Node { id: ID! }
    type Product implements Node { id: ID! price(currency: String = "CNY"): Float @deprecated }
    type Query { node(id: ID!): Node search: [Result!]! }
    type Mutation { buy(input: BuyInput!): Product }
    union Result = Product
    enum Tier { GOLD SILVER @deprecated(reason: "merged") }
    input BuyInput @oneOf { sku: String tier: Tier }
    scalar Url @specifiedBy(url: "https://url.spec.whatwg.org")
    """
    assert diff_sdl(sdl, sdl) == []


def test_order_is_by_coordinate_then_kind_whatever_the_source_order() -> None:
    old = "type Query { b: Int a(x: Int): Int } enum E { Y X } type Z { z: Int }"
    new = "type Query { a(x: Int!, y: Int): String c: Int } enum E { X W } directive @d on FIELD"
    changes = diff_sdl(old, new)
    keys = [(c.coordinate, c.kind, c.message) for c in changes]
    assert keys == sorted(keys)
    assert [c.coordinate for c in changes][:2] == ["@d", "E.W"]
    # Same schemas written in another order give the same list.
    reordered_old = "type Z { z: Int } enum E { X Y } type Query { a(x: Int): Int b: Int }"
    assert diff_sdl(reordered_old, new) == changes


def test_to_json_carries_the_four_fields_as_strings() -> None:
    change = diff_sdl("type Query { a: Int b: Int }", "type Query { a: Int }")[0]
    assert change.to_json() == {
        "criticality": "BREAKING",
        "kind": "FIELD_REMOVED",
        "coordinate": "Query.b",
        "message": "Field 'Query.b' was removed from object type 'Query'",
    }
    assert isinstance(change, SchemaChange) and change.criticality == "BREAKING"


def test_removed_deprecated_field_is_still_breaking_and_says_so() -> None:
    [change] = diff_sdl("type Query { a: Int b: Int @deprecated }", "type Query { a: Int }")
    assert change.criticality is B and "(deprecated)" in change.message


def test_a_kind_change_is_reported_alone() -> None:
    changes = diff_sdl(Q + "enum T { A }", Q + '"new" scalar T')
    assert [c.kind for c in changes] == ["TYPE_KIND_CHANGED"]


def test_builtin_scalars_falling_out_of_use_are_not_changes() -> None:
    changes = diff_sdl("type Query { a: Float b: Int }", "type Query { b: Int }")
    assert [(c.kind, c.coordinate) for c in changes] == [("FIELD_REMOVED", "Query.a")]


@pytest.mark.parametrize(
    ("old", "new", "side"),
    [
        ("type Query {", Q, "old"),
        (Q, "type Query { a: Nope }", "new"),
        (Q, Q + "type T implements Missing { a: Int }", "new"),
        (Q, "type Query { a: Int } interface I { a: Int } type T implements I { b: Int }", "new"),
    ],
)
def test_invalid_sdl_raises_value_error_naming_the_side(old: str, new: str, side: str) -> None:
    with pytest.raises(ValueError, match=f"The {side} schema SDL is invalid"):
        diff_sdl(old, new)


API_SCHEMA = Path(__file__).resolve().parents[3] / "schema" / "api.graphql"


def test_repository_api_schema_against_itself_and_without_a_field() -> None:
    sdl = API_SCHEMA.read_text(encoding="utf-8")
    assert diff_schemas(build_schema(sdl), build_schema(sdl)) == []
    document = parse(sdl)
    roots = {"Query", "Mutation", "Subscription"}
    target = next(
        node
        for node in document.definitions
        if isinstance(node, ObjectTypeDefinitionNode)
        and node.name.value not in roots
        and len(node.fields) > 1
    )
    field = target.fields[-1]  # its source span includes its description
    removed = field.name.value
    changes = diff_sdl(sdl, sdl[: field.loc.start] + sdl[field.loc.end :])
    assert [(c.criticality, c.kind, c.coordinate) for c in changes] == [
        (B, "FIELD_REMOVED", f"{target.name.value}.{removed}")
    ]
