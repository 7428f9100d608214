"""Satisfiability: every field of the API schema can be fetched along every client path."""

from __future__ import annotations

import importlib
import pkgutil
from typing import Any

import pytest

import tests.conformance
from gateway.composition import SubgraphInput, compose
from gateway.composition.errors import CompositionIssue
from gateway.composition.satisfiability import check_satisfiability
from tests.conformance.harness import subgraph_inputs

FED = (
    'extend schema @link(url: "https://specs.apollo.dev/federation/v2.7", import: ["@key", '
    '"@shareable", "@external", "@provides", "@requires", "@override", "@inaccessible", '
    '"@interfaceObject"])\n'
)


def supergraph(**subgraphs: str) -> str:
    result = compose(
        [SubgraphInput(name, f"http://{name}", FED + sdl) for name, sdl in subgraphs.items()],
        satisfiability=False,
    )
    assert result.ok, [str(e) for e in result.errors]
    assert result.supergraph_sdl is not None
    return result.supergraph_sdl


def check(**subgraphs: str) -> list[CompositionIssue]:
    return check_satisfiability(supergraph(**subgraphs))


def only(issues: list[CompositionIssue]) -> CompositionIssue:
    assert len(issues) == 1, [str(i) for i in issues]
    return issues[0]


def fields(issues: list[CompositionIssue]) -> list[str]:
    return sorted(f"{i.type_name}.{i.field_name}" for i in issues)


# --------------------------------------------------------------------------- satisfiable


def _conformance_suites() -> list[tuple[str, dict[str, Any]]]:
    suites: list[tuple[str, dict[str, Any]]] = []
    seen: set[int] = set()
    for module_info in sorted(
        pkgutil.iter_modules(tests.conformance.__path__), key=lambda m: m.name
    ):
        module = importlib.import_module(f"tests.conformance.{module_info.name}")
        subgraphs = getattr(module, "SUBGRAPHS", None)
        if isinstance(subgraphs, dict) and id(subgraphs) not in seen:
            seen.add(id(subgraphs))
            suites.append((module_info.name, subgraphs))
    return suites


SUITES = _conformance_suites()


def test_every_conformance_suite_is_found() -> None:
    names = {name for name, _ in SUITES}
    assert {"ops_shop", "ent_library", "test_fed1_extend", "test_interface_object_basic"} <= names
    assert len(SUITES) >= 25


@pytest.mark.parametrize(("name", "subgraphs"), SUITES, ids=[name for name, _ in SUITES])
def test_conformance_suites_are_satisfiable(name: str, subgraphs: dict[str, Any]) -> None:
    result = compose(subgraph_inputs(subgraphs))
    assert result.ok, [str(e) for e in result.errors]
    assert result.supergraph_sdl is not None
    assert check_satisfiability(result.supergraph_sdl) == []


def test_benchmark_subgraphs_are_satisfiable() -> None:
    from bench.subgraphs import accounts, inventory, products, reviews

    modules = {"accounts": accounts, "inventory": inventory, "products": products}
    modules["reviews"] = reviews
    inputs = [SubgraphInput(n, f"http://{n}", m.schema.as_str()) for n, m in modules.items()]
    result = compose(inputs)
    assert result.ok, [str(e) for e in result.errors]
    assert result.supergraph_sdl is not None
    assert check_satisfiability(result.supergraph_sdl) == []


def test_provides_requires_override_multihop_and_interface_objects_are_satisfiable() -> None:
    assert (
        check(
            a='type Query { product: Product top: [Product] @provides(fields: "name") '
            "media: [Media] }"
            ' type Product @key(fields: "id") { id: ID! name: String @external '
            'ship: Int @requires(fields: "weight") weight: Int @external }'
            ' interface Media @key(fields: "id") { id: ID! }'
            ' type Book implements Media @key(fields: "id") { id: ID! title: String }',
            b='type Product @key(fields: "id") @key(fields: "sku") { id: ID! sku: String! '
            'name: String @shareable price: Int @override(from: "c") }',
            c='type Product @key(fields: "sku") { sku: String! weight: Int price: Int }'
            " type Query { ranked: [Media] }"
            ' type Media @key(fields: "id") @interfaceObject { id: ID! stars: Int }',
        )
        == []
    )


def test_inaccessible_fields_are_not_checked() -> None:
    assert (
        check(
            a='type Query { product: Product } type Product @key(fields: "id") { id: ID! }',
            b="type Product { id: ID! @shareable cost: Int @inaccessible }",
        )
        == []
    )


def test_unreachable_types_with_resolvable_fields_are_fine() -> None:
    assert (
        check(
            a="type Query { hello: String }",
            b='type Draft @key(fields: "id") { id: ID! body: String }',
        )
        == []
    )


# --------------------------------------------------------------------------- unsatisfiable


def test_field_in_a_subgraph_without_key_or_root_path() -> None:
    issue = only(
        check(
            a='type Query { product: Product } type Product @key(fields: "id") { id: ID! '
            "name: String }",
            b="type Product { id: ID! @shareable price: Int }",
        )
    )
    assert issue.code == "SATISFIABILITY_ERROR"
    assert (issue.type_name, issue.field_name) == ("Product", "price")
    assert issue.subgraphs == ("a", "b")
    assert "{\n  product {\n    price\n  }\n}" in issue.message
    assert issue.message.endswith(
        "cannot be satisfied by the subgraphs because:\n"
        '- from subgraph "a":\n'
        '  - cannot find field "Product.price".\n'
        '  - cannot move to subgraph "b", which has field "Product.price", because type '
        '"Product" has no @key defined in subgraph "b".'
    )
    assert issue.hint is not None
    assert 'add a @key to "Product" in subgraph "b"' in issue.hint
    assert "@shareable" in issue.hint


def test_entity_whose_only_key_in_the_target_subgraph_is_not_resolvable() -> None:
    issue = only(
        check(
            a='type Query { product: Product } type Product @key(fields: "id") { id: ID! }',
            b='type Product @key(fields: "id", resolvable: false) { id: ID! price: Int }',
        )
    )
    assert (issue.type_name, issue.field_name) == ("Product", "price")
    assert '"resolvable: false"' in issue.message
    assert issue.hint is not None and "resolvable" in issue.hint


def test_jump_through_a_key_whose_fields_the_source_subgraph_lacks() -> None:
    issues = check(
        a='type Query { product: Product } type Product @key(fields: "id") { id: ID! }',
        b='type Product @key(fields: "sku") { sku: String! price: Int }',
    )
    assert fields(issues) == ["Product.price", "Product.sku"]
    price = next(i for i in issues if i.field_name == "price")
    assert '@key(fields: "sku") needs "sku", which subgraph "a" cannot provide' in price.message
    assert price.hint is not None
    assert 'add the key fields "sku" to "Product" in subgraph "a"' in price.hint


def test_key_detour_through_a_third_subgraph_is_accepted_and_its_absence_is_not() -> None:
    a = 'type Query { product: Product } type Product @key(fields: "id") { id: ID! }'
    c = 'type Product @key(fields: "sku") { sku: String! @shareable price: Int }'
    bridge = 'type Product @key(fields: "id") { id: ID! sku: String! @shareable }'
    assert check(a=a, b=bridge, c=c) == []
    assert fields(check(a=a, c=c)) == ["Product.price", "Product.sku"]


def test_union_member_reached_through_a_fragment() -> None:
    issue = only(
        check(
            a="type Query { search: [Result] } union Result = Book | Film"
            ' type Book @key(fields: "id") { id: ID! } type Film { id: ID! @shareable }',
            b="type Film { id: ID! @shareable director: String }",
        )
    )
    assert (issue.type_name, issue.field_name) == ("Film", "director")
    assert "... on Film {\n      director" in issue.message


def test_mutation_paths_are_checked() -> None:
    issue = only(
        check(
            a="type Query { ping: Int } type Mutation { open: Ticket }"
            ' type Ticket @key(fields: "id") { id: ID! }',
            b="type Ticket { id: ID! @shareable owner: String }",
        )
    )
    assert issue.message.splitlines()[1] == "mutation {"
    assert (issue.type_name, issue.field_name) == ("Ticket", "owner")


def test_required_arguments_become_variables_in_the_example_query() -> None:
    issue = only(
        check(
            a="type Query { product(id: ID!): Product }"
            ' type Product @key(fields: "id") { id: ID! }',
            b="type Product { id: ID! @shareable price(currency: String!, round: Int = 2): Int }",
        )
    )
    assert "query ($p0_id: ID!, $f0_currency: String!) {" in issue.message
    assert "product(id: $p0_id) {" in issue.message
    assert "price(currency: $f0_currency)" in issue.message


def test_every_way_into_a_type_is_checked() -> None:
    # X is shared by both subgraphs; below `xa` the gateway is in a, below `xb` in b, from
    # where no key leads to Product.name in a.
    issues = check(
        a="type Query { xa: X } type X @shareable { p: P }"
        ' type P @key(fields: "sku") { sku: String! name: String }',
        b="type Query { xb: X } type X @shareable { p: P }"
        ' type P @key(fields: "id", resolvable: false) { id: ID! }',
    )
    assert fields(issues) == ["P.id", "P.name", "P.sku"]
    name = next(i for i in issues if i.field_name == "name")
    assert "xb {\n    p {\n      name" in name.message
    assert name.subgraphs == ("a", "b")


def test_fields_below_a_failing_field_are_not_reported_again() -> None:
    issue = only(
        check(
            a='type Query { product: Product } type Product @key(fields: "id") { id: ID! }',
            b="type Product { id: ID! @shareable specs: Specs } type Specs { weight: Int "
            "depth: Int }",
        )
    )
    assert (issue.type_name, issue.field_name) == ("Product", "specs")
    assert "specs {\n      __typename\n    }" in issue.message


def test_deep_paths_are_walked() -> None:
    hops = " ".join(f'type T{i} @key(fields: "id") {{ id: ID! next: T{i + 1} }}' for i in range(12))
    issue = only(
        check(
            a=f'type Query {{ start: T0 }} {hops} type T12 @key(fields: "id") {{ id: ID! }}',
            b="type T12 { id: ID! @shareable hidden: Int }",
        )
    )
    assert (issue.type_name, issue.field_name) == ("T12", "hidden")
    assert issue.message.count("next {") == 12


def test_interface_object_without_a_resolvable_interface_key() -> None:
    issue = only(
        check(
            a='type Query { media: [Media] } interface Media @key(fields: "id", resolvable: false)'
            ' { id: ID! } type Book implements Media @key(fields: "id") { id: ID! title: String }',
            b='type Query { ranked: [Media] } type Media @key(fields: "id") @interfaceObject'
            " { id: ID! stars: Int }",
        )
    )
    assert (issue.type_name, issue.field_name) == ("Query", "ranked")
    assert "knows only as an @interfaceObject" in issue.message
    assert issue.hint == 'add a resolvable @key to interface "Media" in subgraph "a"'


def _external_everywhere(sdl: str, field: str) -> str:
    """A supergraph where `field` of Orphan is declared by b only as @external (composition's
    own rules may refuse that; satisfiability must still say so on its own)."""
    old = f"  {field}: String\n"
    assert old in sdl
    return sdl.replace(old, f"  {field}: String @join__field(graph: B, external: true)\n")


def test_unreachable_type_with_a_field_resolved_nowhere() -> None:
    sdl = supergraph(
        a="type Query { hello: String }",
        b='type Orphan @key(fields: "id") { id: ID! secret: String note: String }',
    )
    issue = only(check_satisfiability(_external_everywhere(sdl, "secret")))
    assert (issue.type_name, issue.field_name) == ("Orphan", "secret")
    assert issue.subgraphs == ("b",)
    assert "no query reaches" in issue.message
    assert "@external" in issue.message


def test_reachable_field_resolved_nowhere() -> None:
    sdl = supergraph(
        a="type Query { hello: String }",
        b='type Query { orphan: Orphan } type Orphan @key(fields: "id") { id: ID! secret: String }',
    )
    issue = only(check_satisfiability(_external_everywhere(sdl, "secret")))
    assert (issue.type_name, issue.field_name) == ("Orphan", "secret")
    assert (
        'no subgraph resolves field "Orphan.secret": it is @external in subgraph "b"'
        in issue.message
    )


def test_a_supergraph_that_does_not_load_gives_no_satisfiability_issue() -> None:
    assert check_satisfiability("type Query { x: Int }") == []


def test_requires_conditions_are_fetched_from_the_subgraph_with_the_requires() -> None:
    # The gateway could fetch `w` from a before jumping to c, but composition (like
    # Apollo's) demands that c itself can reach `w`: c's key fields must let it jump to a.
    c = (
        'type T0 @key(fields: "sku") { sku: String! @shareable w: Int @external '
        'r: Int @requires(fields: "w") }'
    )
    a = "type Query { t: T0 } type T0 {keys} { id: ID! @shareable sku: String! @shareable w: Int }"
    issue = only(check(a=a.replace("{keys}", '@key(fields: "id sku")'), c=c))
    assert (issue.type_name, issue.field_name) == ("T0", "r")
    assert issue.subgraphs == ("a", "c")
    assert 'from subgraph "c": cannot satisfy @requires conditions on field "T0.r"' in (
        issue.message
    )
    assert '"T0.w" is @external there, resolved only in subgraph "a"' in issue.message
    assert issue.hint is not None and '("id sku")' in issue.hint
    satisfiable = a.replace("{keys}", '@key(fields: "id sku") @key(fields: "sku")')
    assert check(a=satisfiable, c=c) == []
