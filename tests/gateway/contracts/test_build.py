"""Contract filtering: which elements a tag filter hides, the cleanup, and invalid results."""

from __future__ import annotations

import pytest
from graphql import build_schema

from gateway.composition import SubgraphInput, compose
from gateway.contracts import (
    ContractError,
    ContractSpec,
    contract_api_sdl,
    contract_supergraph,
)
from gateway.errors import SupergraphError
from gateway.supergraph import load_supergraph

LINK = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
    'import: ["@key", "@shareable", "@inaccessible", "@tag"])\n'
)
SHOP = (
    LINK
    + """
type Query {
  products(first: Int, includeDrafts: Boolean @tag(name: "staff")): [Product!]!
  product(id: ID!): Product
  auditLog: [AuditEntry!]! @tag(name: "staff")
  search(filter: SearchFilter): [SearchResult!]!
  node(id: ID!): Node @tag(name: "public")
  price(id: ID!, currency: Currency): Int @tag(name: "public")
}

type Mutation {
  setPrice(id: ID!, fen: Int!): Product @tag(name: "staff")
  reprice(id: ID!, secret: String! @tag(name: "staff")): Product
}

interface Node @tag(name: "public") { id: ID! }

type Product implements Node @key(fields: "id") {
  id: ID! @tag(name: "public")
  name: String! @tag(name: "public")
  costFen: Int @tag(name: "staff")
  supplier: Supplier
}

type Supplier @tag(name: "staff") { name: String! phone: String }

type AuditEntry { at: String! who: String! }

type Banner @tag(name: "public") { title: String! }

union SearchResult = Product | Banner

enum Currency { CNY @tag(name: "public") USD EUR @tag(name: "staff") }

input SearchFilter { text: String internalOnly: Boolean @tag(name: "staff") }
"""
)


def supergraph(*sdls: str) -> str:
    inputs = [SubgraphInput(f"g{i}", f"http://127.0.0.1:9/g{i}", sdl) for i, sdl in enumerate(sdls)]
    result = compose(inputs)
    assert result.supergraph_sdl is not None, [str(e) for e in result.errors]
    return result.supergraph_sdl


def api(sdl: str, include: set[str] = frozenset(), exclude: set[str] = frozenset()):
    spec = ContractSpec("c", frozenset(include), frozenset(exclude))
    return build_schema(contract_api_sdl(sdl, spec))


def fields(schema, type_name: str) -> set[str]:
    return set(schema.get_type(type_name).fields)


def test_no_tags_gives_the_plain_api_schema() -> None:
    sdl = supergraph(SHOP)
    full = load_supergraph(sdl).api_schema
    schema = api(sdl)
    assert set(schema.type_map) == set(full.type_map)
    assert fields(schema, "Query") == set(full.query_type.fields)


def test_exclude_hides_every_kind_of_tagged_element() -> None:
    schema = api(supergraph(SHOP), exclude={"staff"})
    assert "auditLog" not in fields(schema, "Query")  # a field
    assert set(schema.query_type.fields["products"].args) == {"first"}  # an argument
    assert "costFen" not in fields(schema, "Product")
    assert schema.get_type("Supplier") is None  # a type, and the field returning it
    assert "supplier" not in fields(schema, "Product")
    assert set(schema.get_type("Currency").values) == {"CNY", "USD"}  # an enum value
    assert set(schema.get_type("SearchFilter").fields) == {"text"}  # an input field


def test_hidden_required_argument_hides_its_field_and_empty_mutation_drops_the_root() -> None:
    schema = api(supergraph(SHOP), exclude={"staff"})
    # setPrice is tagged; reprice cannot be called without its hidden required `secret`.
    assert schema.mutation_type is None
    assert schema.get_type("Mutation") is None


def test_unreachable_types_are_removed() -> None:
    schema = api(supergraph(SHOP), exclude={"staff"})
    assert schema.get_type("AuditEntry") is None  # only auditLog returned it
    full = api(supergraph(SHOP))
    assert full.get_type("AuditEntry") is not None


def test_include_keeps_only_tagged_fields_and_their_types() -> None:
    schema = api(supergraph(SHOP), include={"public"})
    assert fields(schema, "Query") == {"node", "price"}
    # Product has included fields, so it stays (with those only), reachable through Node.
    assert fields(schema, "Product") == {"id", "name"}
    assert fields(schema, "Node") == {"id"}
    # Enums, inputs, arguments are not filtered by inclusion: Currency stays whole.
    assert set(schema.get_type("Currency").values) == {"CNY", "USD", "EUR"}
    assert set(schema.query_type.fields["price"].args) == {"id", "currency"}
    assert schema.get_type("Supplier") is None and schema.mutation_type is None
    # Banner is tagged but nothing visible reaches it any more (the union is untagged).
    assert schema.get_type("SearchResult") is None and schema.get_type("Banner") is None


def test_include_and_exclude_together() -> None:
    schema = api(supergraph(SHOP), include={"public"}, exclude={"staff"})
    assert set(schema.get_type("Currency").values) == {"CNY", "USD"}
    assert fields(schema, "Query") == {"node", "price"}


def test_a_tagged_type_brings_all_its_fields_in_include_mode() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { a: A @tag(name: "x") b: String }
type A @tag(name: "x") { one: String two: Int }
"""
    )
    schema = api(sdl, include={"x"})
    assert fields(schema, "Query") == {"a"}
    assert fields(schema, "A") == {"one", "two"}


def test_a_type_tag_excludes_its_fields_and_fields_returning_it() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { a: A b: String }
type A @tag(name: "x") { one: String }
"""
    )
    schema = api(sdl, exclude={"x"})
    assert fields(schema, "Query") == {"b"} and schema.get_type("A") is None


def test_union_without_members_and_enum_without_values_are_hidden() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { u: U e: E ok: String }
type A @tag(name: "x") { a: String }
type B @tag(name: "x") { b: String }
union U = A | B
enum E { ONE @tag(name: "x") TWO @tag(name: "x") }
"""
    )
    schema = api(sdl, exclude={"x"})
    assert fields(schema, "Query") == {"ok"}
    assert schema.get_type("U") is None and schema.get_type("E") is None


def test_input_type_with_hidden_required_field_hides_arguments_of_it() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { find(f: F): String list(f: F!): String ok: String }
input F { key: String! @tag(name: "x") other: Int }
"""
    )
    schema = api(sdl, exclude={"x"})
    # F cannot be written without `key`: an optional argument of it goes, a required one
    # takes its field along.
    assert fields(schema, "Query") == {"find", "ok"}
    assert schema.query_type.fields["find"].args == {}
    assert schema.get_type("F") is None


def test_interface_field_hidden_when_an_implementation_hides_it() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { things: [Thing!]! }
interface Thing { id: ID! cost: Int }
type Cheap implements Thing { id: ID! cost: Int @tag(name: "x") }
type Dear implements Thing { id: ID! cost: Int }
"""
    )
    schema = api(sdl, exclude={"x"})
    assert fields(schema, "Thing") == {"id"}
    assert fields(schema, "Cheap") == {"id"}
    assert fields(schema, "Dear") == {"id", "cost"}
    assert {t.name for t in schema.get_possible_types(schema.get_type("Thing"))} == {
        "Cheap",
        "Dear",
    }


def test_already_inaccessible_elements_stay_hidden() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { a: String @inaccessible b: String }
"""
    )
    assert fields(api(sdl, exclude={"nothing"}), "Query") == {"b"}


def test_empty_query_is_an_error_naming_the_contract() -> None:
    sdl = supergraph(
        LINK
        + """
type Query { a: String @tag(name: "x") }
"""
    )
    with pytest.raises(ContractError, match=r"contract 'c'.*Query"):
        api(sdl, exclude={"x"})
    with pytest.raises(ContractError, match="contract 'c'"):
        api(sdl, include={"other"})


def test_contract_error_is_a_supergraph_error() -> None:
    assert issubclass(ContractError, SupergraphError)


def test_supergraph_without_inaccessible_link_gets_it() -> None:
    sdl = supergraph(
        'extend schema @link(url: "https://specs.apollo.dev/federation/v2.9", '
        'import: ["@tag"])\n'
        'type Query { a: String @tag(name: "x") b: String }'
    )
    assert "inaccessible/v0.2" not in sdl
    contract = contract_supergraph(sdl, ContractSpec("c", exclude_tags=frozenset({"x"})))
    assert "inaccessible/v0.2" in contract
    assert set(load_supergraph(contract).api_schema.query_type.fields) == {"b"}


def test_contract_supergraph_keeps_the_join_machinery_for_planning() -> None:
    contract = contract_supergraph(
        supergraph(SHOP), ContractSpec("c", exclude_tags=frozenset({"staff"}))
    )
    model = load_supergraph(contract)
    # Hidden from clients, still known to the planner.
    assert model.types["Product"].fields["costFen"].inaccessible
    assert model.types["Product"].fields["costFen"].resolvable_in == {"g0"}
    assert model.types["Supplier"].inaccessible
    assert model.mutation_type is None


def test_api_sdl_is_stable_text() -> None:
    sdl = supergraph(SHOP)
    spec = ContractSpec("c", exclude_tags=frozenset({"staff"}))
    text = contract_api_sdl(sdl, spec)
    assert text.endswith("\n") and not text.endswith("\n\n")
    assert text == contract_api_sdl(sdl, spec)
    assert "@tag" not in text and "join__" not in text
