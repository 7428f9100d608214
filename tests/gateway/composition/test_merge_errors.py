"""Errors and hints found while merging the subgraphs' types (merge.py): kinds, field and
argument types, arguments, input objects (intersection) and enums (union for outputs,
intersection for inputs)."""

from __future__ import annotations

from graphql import EnumTypeDefinitionNode, InputObjectTypeDefinitionNode, parse

from tests.gateway.composition.rules.support import (
    assert_composes,
    codes,
    compose_sdls,
    fed2,
    the_error,
)


def _enum_values(supergraph: str | None, name: str) -> list[str]:
    assert supergraph is not None
    for node in parse(supergraph).definitions:
        if isinstance(node, EnumTypeDefinitionNode) and node.name.value == name:
            return [v.name.value for v in node.values or ()]
    raise AssertionError(f"no enum {name}")


def _input_fields(supergraph: str | None, name: str) -> list[str]:
    assert supergraph is not None
    for node in parse(supergraph).definitions:
        if isinstance(node, InputObjectTypeDefinitionNode) and node.name.value == name:
            return [f.name.value for f in node.fields or ()]
    raise AssertionError(f"no input {name}")


def shared(root: str, body: str) -> str:
    """A subgraph with root field `root: Thing` and a shareable `Thing { body }`."""
    return fed2(f"type Query {{ {root}: Thing }}\ntype Thing @shareable {{ {body} }}")


# --- kinds and field types --------------------------------------------------------------


def test_type_kind_mismatch() -> None:
    a = fed2("type Query { a: Thing }\ntype Thing { x: Int }")
    b = fed2("type Query { b: Thing }\ninterface Thing { x: Int }")
    result = compose_sdls(a=a, b=b)
    error = the_error(result, "TYPE_KIND_MISMATCH", subgraphs=("a", "b"), type_name="Thing")
    assert "object type" in error.message and "interface type" in error.message


def test_field_type_mismatch() -> None:
    result = compose_sdls(a=shared("a", "x: Int"), b=shared("b", "x: String"))
    error = the_error(
        result, "FIELD_TYPE_MISMATCH", subgraphs=("a", "b"), type_name="Thing", field_name="x"
    )
    assert '"Int" in subgraph "a"' in error.message
    assert '"String" in subgraph "b"' in error.message


def test_list_and_single_value_mismatch() -> None:
    result = compose_sdls(a=shared("a", "x: [Int]"), b=shared("b", "x: Int"))
    the_error(
        result, "FIELD_TYPE_MISMATCH", subgraphs=("a", "b"), type_name="Thing", field_name="x"
    )


def test_nullability_may_differ_and_the_output_is_nullable() -> None:
    result = compose_sdls(a=shared("a", "x: Int!"), b=shared("b", "x: Int"))
    assert_composes(result)
    assert "x: Int\n" in (result.supergraph_sdl or "") or "x: Int @" in (
        result.supergraph_sdl or ""
    )


def test_output_field_may_return_an_implementation_of_the_interface() -> None:
    pet = "interface Pet { name: String }\ntype Dog implements Pet @shareable { name: String }"
    a = fed2(f"type Query {{ a: Owner }}\n{pet}\ntype Owner @shareable {{ pet: Pet }}")
    b = fed2(f"type Query {{ b: Owner }}\n{pet}\ntype Owner @shareable {{ pet: Dog }}")
    assert_composes(compose_sdls(a=a, b=b))


def test_input_field_type_mismatch() -> None:
    a = fed2("type Query { a(f: Filter): Int }\ninput Filter { x: Int }")
    b = fed2("type Query { b(f: Filter): Int }\ninput Filter { x: String }")
    result = compose_sdls(a=a, b=b)
    the_error(
        result, "FIELD_TYPE_MISMATCH", subgraphs=("a", "b"), type_name="Filter", field_name="x"
    )


# --- arguments --------------------------------------------------------------------------


def test_argument_type_mismatch() -> None:
    result = compose_sdls(a=shared("a", "x(n: Int): Int"), b=shared("b", "x(n: String): Int"))
    error = the_error(
        result,
        "FIELD_ARGUMENT_TYPE_MISMATCH",
        subgraphs=("a", "b"),
        type_name="Thing",
        field_name="x",
    )
    assert "Thing.x(n:)" in error.message


def test_argument_default_mismatch() -> None:
    result = compose_sdls(a=shared("a", "x(n: Int = 1): Int"), b=shared("b", "x(n: Int = 2): Int"))
    the_error(
        result,
        "FIELD_ARGUMENT_DEFAULT_MISMATCH",
        subgraphs=("a", "b"),
        type_name="Thing",
        field_name="x",
    )


def test_argument_default_in_one_subgraph_only_composes_without_default() -> None:
    result = compose_sdls(a=shared("a", "x(n: Int = 1): Int"), b=shared("b", "x(n: Int): Int"))
    assert_composes(result)
    assert "n: Int = 1" not in (result.supergraph_sdl or "")


def test_required_argument_missing_in_some_subgraph() -> None:
    result = compose_sdls(a=shared("a", "x(n: Int!): Int"), b=shared("b", "x: Int"))
    error = the_error(
        result,
        "REQUIRED_ARGUMENT_MISSING_IN_SOME_SUBGRAPH",
        subgraphs=("a", "b"),
        type_name="Thing",
        field_name="x",
    )
    assert "Thing.x(n:)" in error.message


def test_optional_argument_missing_in_some_subgraph_is_dropped_with_a_hint() -> None:
    result = compose_sdls(a=shared("a", "x(n: Int): Int"), b=shared("b", "x: Int"))
    assert_composes(result)
    hints = [h for h in result.hints if h.code == "INCONSISTENT_ARGUMENT_PRESENCE"]
    assert [(h.subgraphs, h.type_name, h.field_name) for h in hints] == [(("b",), "Thing", "x")]
    assert "x(n:" not in (result.supergraph_sdl or "")


# --- input objects: the intersection of the subgraphs' fields ---------------------------


def test_input_objects_keep_the_fields_common_to_all_subgraphs() -> None:
    a = fed2("type Query { a(f: Filter): Int }\ninput Filter { term: String limit: Int }")
    b = fed2("type Query { b(f: Filter): Int }\ninput Filter { term: String page: Int }")
    result = compose_sdls(a=a, b=b)
    assert_composes(result)
    assert _input_fields(result.supergraph_sdl, "Filter") == ["term"]
    hinted = sorted(
        (h.field_name, h.subgraphs)
        for h in result.hints
        if h.code == "INCONSISTENT_INPUT_OBJECT_FIELD"
    )
    assert hinted == [("limit", ("b",)), ("page", ("a",))]


def test_required_input_field_missing_in_some_subgraph() -> None:
    a = fed2("type Query { a(f: Filter): Int }\ninput Filter { term: String! limit: Int }")
    b = fed2("type Query { b(f: Filter): Int }\ninput Filter { limit: Int }")
    result = compose_sdls(a=a, b=b)
    the_error(
        result,
        "REQUIRED_INPUT_FIELD_MISSING_IN_SOME_SUBGRAPH",
        subgraphs=("a", "b"),
        type_name="Filter",
        field_name="term",
    )


def test_input_object_with_no_common_field() -> None:
    a = fed2("type Query { a(f: Filter): Int }\ninput Filter { limit: Int }")
    b = fed2("type Query { b(f: Filter): Int }\ninput Filter { page: Int }")
    result = compose_sdls(a=a, b=b)
    the_error(result, "EMPTY_MERGED_INPUT_TYPE", subgraphs=("a", "b"), type_name="Filter")
    assert codes(result) == ["EMPTY_MERGED_INPUT_TYPE"]


# --- enums: union for outputs, intersection for inputs, equal when both ----------------


def test_output_enum_takes_the_union_of_values() -> None:
    a = fed2("type Query { a: Size }\nenum Size { S M }")
    b = fed2("type Query { b: Size }\nenum Size { M L }")
    result = compose_sdls(a=a, b=b)
    assert_composes(result)
    assert sorted(_enum_values(result.supergraph_sdl, "Size")) == ["L", "M", "S"]


def test_input_enum_takes_the_intersection_of_values() -> None:
    a = fed2("type Query { a(s: Size): Int }\nenum Size { S M }")
    b = fed2("type Query { b(s: Size): Int }\nenum Size { M L }")
    result = compose_sdls(a=a, b=b)
    assert_composes(result)
    assert _enum_values(result.supergraph_sdl, "Size") == ["M"]


def test_enum_in_input_field_is_an_input_enum() -> None:
    a = fed2("type Query { a(f: F): Int }\ninput F { s: Size }\nenum Size { S M }")
    b = fed2("type Query { b(f: F): Int }\ninput F { s: Size }\nenum Size { M L }")
    result = compose_sdls(a=a, b=b)
    assert_composes(result)
    assert _enum_values(result.supergraph_sdl, "Size") == ["M"]


def test_enum_used_as_input_and_output_must_match() -> None:
    a = fed2("type Query { a(s: Size): Size }\nenum Size { S M }")
    b = fed2("type Query { b: Size }\nenum Size { S M L }")
    result = compose_sdls(a=a, b=b)
    error = the_error(result, "ENUM_VALUE_MISMATCH", subgraphs=("a", "b"), type_name="Size")
    assert '"L"' in error.message


def test_enum_used_as_input_and_output_with_the_same_values_composes() -> None:
    a = fed2("type Query { a(s: Size): Size }\nenum Size { S M }")
    b = fed2("type Query { b: Size }\nenum Size { M S }")
    assert_composes(compose_sdls(a=a, b=b))


def test_input_enum_with_no_common_value() -> None:
    a = fed2("type Query { a(s: Size): Int }\nenum Size { S }")
    b = fed2("type Query { b(s: Size): Int }\nenum Size { L }")
    result = compose_sdls(a=a, b=b)
    the_error(result, "EMPTY_MERGED_ENUM_TYPE", subgraphs=("a", "b"), type_name="Size")
