"""parse_field_set: `@key`/`@requires`/`@provides` values as small selection trees."""

from __future__ import annotations

import pytest

from gateway.errors import SupergraphError
from gateway.supergraph.fieldset import FieldSet, FieldSetField, parse_field_set


def names(field_set: FieldSet, type_name: str = "T", is_subtype: object = None) -> list[str]:
    return [f.name for f in field_set.fields_for(type_name, is_subtype)]


def test_single_field() -> None:
    field_set = parse_field_set("id")
    assert field_set.source == "id"
    (field,) = field_set.fields_for("User")
    assert isinstance(field, FieldSetField)
    assert (field.name, field.alias, field.arguments, field.selections) == ("id", None, "", None)
    assert field.response_key == "id"


def test_composite_field_set_keeps_order() -> None:
    assert names(parse_field_set("upc sku  region")) == ["upc", "sku", "region"]


def test_commas_and_newlines_are_ignored() -> None:
    assert names(parse_field_set("id,\n  email")) == ["id", "email"]


def test_nested_selection() -> None:
    field_set = parse_field_set("id organization { id country { code } }")
    identifier, organization = field_set.fields_for("User")
    assert identifier.selections is None
    assert organization.name == "organization"
    assert organization.selections is not None
    org_id, country = organization.selections.fields_for("Organization")
    assert org_id.name == "id"
    assert country.selections is not None
    assert names(country.selections) == ["code"]


def test_arguments_are_printed() -> None:
    (field,) = parse_field_set('price(currency: "EUR", rounded: true)').fields_for("Product")
    assert field.name == "price"
    assert field.arguments == '(currency: "EUR", rounded: true)'


def test_alias() -> None:
    (field,) = parse_field_set("sku: code").fields_for("Product")
    assert field.name == "code"
    assert field.alias == "sku"
    assert field.response_key == "sku"


def test_typename() -> None:
    assert names(parse_field_set("__typename id")) == ["__typename", "id"]


def test_inline_fragment_applies_by_type() -> None:
    field_set = parse_field_set("id ... on Book { isbn } ... on Movie { imdb }")
    assert names(field_set, "Book") == ["id", "isbn"]
    assert names(field_set, "Movie") == ["id", "imdb"]
    assert names(field_set, "Song") == ["id"]


def test_inline_fragment_without_type_condition_always_applies() -> None:
    assert names(parse_field_set("... { id } name"), "Anything") == ["id", "name"]


def test_inline_fragment_on_abstract_type_uses_is_subtype() -> None:
    field_set = parse_field_set("id ... on Media { title }")

    def is_subtype(type_name: str, condition: str) -> bool:
        return (type_name, condition) in {("Book", "Media"), ("Movie", "Media")}

    assert names(field_set, "Book", is_subtype) == ["id", "title"]
    assert names(field_set, "Song", is_subtype) == ["id"]
    assert names(field_set, "Book") == ["id"]  # no subtype relation given


def test_nested_inline_fragments() -> None:
    field_set = parse_field_set("... on Media { id ... on Book { isbn } }")

    def is_subtype(type_name: str, condition: str) -> bool:
        return condition == "Media"

    assert names(field_set, "Book", is_subtype) == ["id", "isbn"]
    assert names(field_set, "Movie", is_subtype) == ["id"]


def test_field_sets_compare_by_value() -> None:
    assert parse_field_set("id name") == parse_field_set("id name")
    assert parse_field_set("id name") != parse_field_set("name id")


@pytest.mark.parametrize("source", ["id {", "{ id }", "id(", "...", "id }"])
def test_unparsable_field_set_raises_supergraph_error(source: str) -> None:
    with pytest.raises(SupergraphError, match="field set"):
        parse_field_set(source)


def test_named_fragment_spread_rejected() -> None:
    with pytest.raises(SupergraphError, match="fragment"):
        parse_field_set("id ...KeyFields")
