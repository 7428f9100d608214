"""@override errors and hints (overrides.py messages, rules/override_usage.py)."""

from __future__ import annotations

import pytest

from tests.gateway.composition.rules.support import (
    assert_composes,
    codes,
    compose_sdls,
    fed2,
    the_error,
)

BILLING = fed2(
    """
type Query { invoice(id: ID!): Invoice }
type Invoice @key(fields: "id") { id: ID! total: Int! }
"""
)


def payments(override: str, extra: str = "") -> str:
    return fed2(
        f"""
type Invoice @key(fields: "id") {{ id: ID! total: Int! {override} {extra} }}
"""
    )


def test_override_composes() -> None:
    assert_composes(compose_sdls(billing=BILLING, payments=payments('@override(from: "billing")')))


def test_override_from_an_unknown_subgraph_is_a_hint() -> None:
    result = compose_sdls(billing=BILLING, payments=payments('@override(from: "biling")'))
    hints = [h for h in result.hints if h.code == "FROM_SUBGRAPH_DOES_NOT_EXIST"]
    assert len(hints) == 1
    hint = hints[0]
    assert hint.severity == "hint"
    assert hint.subgraphs == ("payments",)
    assert (hint.type_name, hint.field_name) == ("Invoice", "total")
    assert '"biling"' in hint.message and 'Did you mean "billing"?' in hint.message
    assert hint.hint and "@override(from:)" in hint.hint
    # The override has no effect, so "total" is now resolved by both subgraphs unshared,
    # and the sharing error points at the misspelling.
    sharing = the_error(
        result,
        "INVALID_FIELD_SHARING",
        subgraphs=("billing", "payments"),
        type_name="Invoice",
        field_name="total",
    )
    assert "misspelt" in sharing.message


def test_override_from_an_unknown_subgraph_of_a_shareable_field_composes() -> None:
    billing = BILLING.replace("total: Int!", "total: Int! @shareable")
    result = compose_sdls(
        billing=billing, payments=payments('@override(from: "ledger") @shareable')
    )
    assert_composes(result)
    assert [h.code for h in result.hints] == ["FROM_SUBGRAPH_DOES_NOT_EXIST"]


def test_override_from_self() -> None:
    result = compose_sdls(billing=BILLING, payments=payments('@override(from: "payments")'))
    error = the_error(
        result,
        "OVERRIDE_FROM_SELF_ERROR",
        subgraphs=("payments",),
        type_name="Invoice",
        field_name="total",
    )
    assert '"payments"' in error.message


def test_override_of_an_overriding_field() -> None:
    ledger = payments('@override(from: "payments")')
    result = compose_sdls(
        billing=BILLING, payments=payments('@override(from: "billing")'), ledger=ledger
    )
    error = the_error(
        result,
        "OVERRIDE_SOURCE_HAS_OVERRIDE",
        subgraphs=("ledger", "payments"),
        type_name="Invoice",
        field_name="total",
    )
    assert '"billing"' in error.message


def test_override_on_an_external_field() -> None:
    shipping = payments(
        '@external @override(from: "billing")', 'fee: Int @requires(fields: "total")'
    )
    result = compose_sdls(billing=BILLING, payments=shipping)
    error = the_error(
        result,
        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
        subgraphs=("billing", "payments"),
        type_name="Invoice",
        field_name="total",
    )
    assert "@external" in error.message


@pytest.mark.parametrize("directive", ["requires", "provides"])
def test_override_of_a_field_with_requires_or_provides(directive: str) -> None:
    if directive == "requires":
        billing = fed2(
            """
type Query { invoice(id: ID!): Invoice }
type Invoice @key(fields: "id") {
  id: ID!
  rate: Int @external
  total: Int! @requires(fields: "rate")
}
"""
        )
        rates = fed2('type Invoice @key(fields: "id") { id: ID! rate: Int }')
    else:
        billing = fed2(
            """
type Query { invoice(id: ID!): Invoice }
type Invoice @key(fields: "id") { id: ID! total: Customer! @provides(fields: "name") }
type Customer @key(fields: "id") { id: ID! name: String @external }
"""
        )
        rates = fed2('type Customer @key(fields: "id") { id: ID! name: String @shareable }')
    mover = (
        payments('@override(from: "billing")')
        if directive == "requires"
        else fed2(
            'type Invoice @key(fields: "id") '
            '{ id: ID! total: Customer! @override(from: "billing") }\n'
            'type Customer @key(fields: "id") { id: ID! }'
        )
    )
    result = compose_sdls(billing=billing, rates=rates, payments=mover)
    error = the_error(
        result,
        "OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE",
        subgraphs=("billing", "payments"),
        type_name="Invoice",
        field_name="total",
    )
    assert f"@{directive}" in error.message


def test_override_on_an_interface_field() -> None:
    catalog = fed2(
        """
type Query { node: Node }
interface Node { id: ID! name: String @override(from: "legacy") }
type Book implements Node { id: ID! name: String }
"""
    )
    legacy = fed2("type Query { ping: Int }")
    result = compose_sdls(catalog=catalog, legacy=legacy)
    the_error(
        result,
        "OVERRIDE_ON_INTERFACE",
        subgraphs=("catalog",),
        type_name="Node",
        field_name="name",
    )


def test_override_label_must_be_valid() -> None:
    good = payments('@override(from: "billing", label: "percent(25)")')
    assert_composes(compose_sdls(billing=BILLING, payments=good))
    bad = payments('@override(from: "billing", label: "25 percent")')
    result = compose_sdls(billing=BILLING, payments=bad)
    the_error(
        result,
        "OVERRIDE_LABEL_INVALID",
        subgraphs=("payments",),
        type_name="Invoice",
        field_name="total",
    )
    assert codes(result) == ["OVERRIDE_LABEL_INVALID"]
