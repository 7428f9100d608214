"""normalize / find_operation / collect_fields: client operations made ready for planning."""

from __future__ import annotations

from graphql import parse, print_ast

from gateway.planning.operation import (
    Condition,
    Field,
    Fragment,
    Operation,
    collect_fields,
    find_operation,
    normalize,
)


def op(query: str, name: str | None = None) -> Operation:
    document = parse(query)
    definition = find_operation(document, name)
    assert definition is not None
    return normalize(document, definition)


def exact(type_name: str, condition: str | None) -> bool:
    return condition is None or condition == type_name


def fields(query: str, type_name: str = "Query") -> list[Field]:
    return collect_fields(op(query).selections, type_name, exact)


def keys(items: list[Field]) -> list[str]:
    return [f.response_key for f in items]


def same_arguments(printed: str, expected: str) -> bool:
    return print_ast(parse("{ f" + printed + " }")) == print_ast(parse("{ f" + expected + " }"))


def walk(selections: list[object]) -> list[object]:
    out: list[object] = []
    for item in selections:
        out.append(item)
        inner = item.selections if isinstance(item, Field | Fragment) else None
        if inner:
            out.extend(walk(inner))
    return out


# -- the operation -------------------------------------------------------------------------


def test_kind_name_and_variable_definitions() -> None:
    operation = op("query Shop($first: Int = 3, $ids: [ID!]!, $on: Boolean) { a }")
    assert operation.kind == "query"
    assert operation.name == "Shop"
    assert operation.variable_definitions == {
        "first": "Int = 3",
        "ids": "[ID!]!",
        "on": "Boolean",
    }


def test_mutation_and_anonymous_query() -> None:
    assert op("mutation { a }").kind == "mutation"
    anonymous = op("{ a }")
    assert (anonymous.kind, anonymous.name, anonymous.variable_definitions) == ("query", None, {})


def test_find_operation() -> None:
    document = parse("query A { a } query B { b } fragment F on Query { c }")
    found = find_operation(document, "B")
    assert found is not None and found.name is not None and found.name.value == "B"
    assert find_operation(document, "C") is None
    assert find_operation(document, None) is None  # ambiguous
    single = parse("query Only { a } fragment F on Query { c }")
    only = find_operation(single, None)
    assert only is not None and only.name is not None and only.name.value == "Only"


# -- fields --------------------------------------------------------------------------------


def test_field_arguments_alias_and_variables() -> None:
    (field,) = op(
        'query($id: ID!, $n: Int) { p: product(id: $id, opts: {n: [$n], s: "x"}) { id } }'
    ).selections
    assert isinstance(field, Field)
    assert (field.response_key, field.name) == ("p", "product")
    assert same_arguments(field.arguments, '(id: $id, opts: {n: [$n], s: "x"})')
    assert field.variables == {"id", "n"}
    assert field.conditions == ()
    assert field.directives == ""
    assert field.selections is not None
    assert keys(field.selections) == ["id"]  # type: ignore[arg-type]


def test_leaf_field_has_no_selections() -> None:
    (field,) = op("{ a }").selections
    assert isinstance(field, Field)
    assert (field.arguments, field.selections, field.variables) == ("", None, frozenset())


def test_other_directives_kept_as_text_with_their_variables() -> None:
    (field,) = op("query($u: Boolean) { a @lowercase(upper: $u) @skip(if: $u) }").selections
    assert isinstance(field, Field)
    assert field.directives == "@lowercase(upper: $u)"
    assert field.variables == {"u"}
    assert field.conditions == (Condition("u", False),)


# -- fragments -----------------------------------------------------------------------------


def test_named_fragments_are_inlined() -> None:
    query = """
    query { ...Top me { ...UserParts } }
    fragment Top on Query { topProducts { upc } }
    fragment UserParts on User { id ...Names }
    fragment Names on User { name }
    """
    operation = op(query)
    assert all(isinstance(s, Field | Fragment) for s in walk(operation.selections))
    assert keys(collect_fields(operation.selections, "Query", exact)) == ["topProducts", "me"]
    (_, me) = collect_fields(operation.selections, "Query", exact)
    assert me.selections is not None
    assert keys(collect_fields(me.selections, "User", exact)) == ["id", "name"]
    fragment = operation.selections[0]
    assert isinstance(fragment, Fragment)
    assert fragment.type_condition == "Query"


def test_inline_fragments_apply_by_type() -> None:
    query = "{ search { __typename ... on Book { isbn } ... on Movie { imdb } ... { id } } }"
    (search,) = fields(query)
    assert search.selections is not None
    assert keys(collect_fields(search.selections, "Book", exact)) == ["__typename", "isbn", "id"]
    assert keys(collect_fields(search.selections, "Movie", exact)) == ["__typename", "imdb", "id"]


def test_applies_callback_decides_abstract_conditions() -> None:
    query = "{ search { ... on Media { title } ... on Book { isbn } } }"
    (search,) = fields(query)
    assert search.selections is not None
    seen: list[tuple[str, str | None]] = []

    def applies(type_name: str, condition: str | None) -> bool:
        seen.append((type_name, condition))
        return condition in (None, type_name, "Media")

    assert keys(collect_fields(search.selections, "Book", applies)) == ["title", "isbn"]
    assert ("Book", "Media") in seen


# -- @skip / @include ----------------------------------------------------------------------


def test_literal_skip_and_include_are_decided() -> None:
    query = """
    {
      a @skip(if: true)
      b @skip(if: false)
      c @include(if: false)
      d @include(if: true)
      e @include(if: true) @skip(if: true)
      ... on Query @skip(if: true) { f }
      ... on Query @include(if: true) { g }
    }
    """
    result = fields(query)
    assert keys(result) == ["b", "d", "g"]
    assert all(f.conditions == () for f in result)


def test_variable_conditions_are_kept() -> None:
    query = "query($s: Boolean!, $i: Boolean!) { a @skip(if: $s) b @include(if: $i) c }"
    a, b, c = fields(query)
    assert a.conditions == (Condition("s", keep_if=False),)
    assert b.conditions == (Condition("i", keep_if=True),)
    assert c.conditions == ()


def test_condition_directive_text() -> None:
    assert Condition("s", False).directive_text == "@skip(if: $s)"
    assert Condition("i", True).directive_text == "@include(if: $i)"


def test_literal_true_condition_next_to_variable_one() -> None:
    (a,) = fields("query($i: Boolean!) { a @include(if: $i) @skip(if: false) }")
    assert a.conditions == (Condition("i", True),)
    assert fields("query($i: Boolean!) { a @include(if: $i) @skip(if: true) }") == []


def test_fragment_conditions_pushed_down_onto_fields() -> None:
    query = """
    query($s: Boolean!, $i: Boolean!) {
      ... on Query @skip(if: $s) { a b @include(if: $i) }
      ...F @include(if: $i)
    }
    fragment F on Query { c }
    """
    a, b, c = fields(query)
    assert a.conditions == (Condition("s", False),)
    assert b.conditions == (Condition("s", False), Condition("i", True))
    assert c.conditions == (Condition("i", True),)


# -- collect_fields merging ----------------------------------------------------------------


def test_same_response_key_merged_with_selections_concatenated() -> None:
    query = "{ me { id } ... on Query { me { name } } me { id email } }"
    (me,) = fields(query)
    assert me.selections is not None
    assert keys(collect_fields(me.selections, "User", exact)) == ["id", "name", "email"]


def test_aliases_are_separate_fields() -> None:
    result = fields("{ me { id } other: me { name } me { email } }")
    assert keys(result) == ["me", "other"]
    assert [f.name for f in result] == ["me", "me"]


def test_different_conditions_are_not_merged() -> None:
    result = fields("query($s: Boolean!) { a a @skip(if: $s) }")
    assert keys(result) == ["a", "a"]
    assert [f.conditions for f in result] == [(), (Condition("s", False),)]


def test_collect_fields_does_not_mutate_the_operation() -> None:
    operation = op("{ me { id } me { name } }")
    first = collect_fields(operation.selections, "Query", exact)
    second = collect_fields(operation.selections, "Query", exact)
    assert first[0].selections is not None and second[0].selections is not None
    assert len(first[0].selections) == len(second[0].selections) == 2
    original = operation.selections[0]
    assert isinstance(original, Field) and original.selections is not None
    assert len(original.selections) == 1


def test_inherited_conditions() -> None:
    (a,) = collect_fields(op("{ a }").selections, "Query", exact, (Condition("x", True),))
    assert a.conditions == (Condition("x", True),)
