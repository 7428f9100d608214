"""Input field default values across subgraphs (rules/inputs.py)."""

from __future__ import annotations

from tests.gateway.composition.rules.support import (
    assert_composes,
    compose_sdls,
    fed2,
    the_error,
)


def subgraph(root_field: str, default: str) -> str:
    return fed2(
        f"""
type Query {{ {root_field}(page: Page): Int }}
input Page {{ size: Int{default} after: String }}
"""
    )


def test_input_field_with_different_defaults() -> None:
    result = compose_sdls(a=subgraph("orders", " = 10"), b=subgraph("items", " = 20"))
    error = the_error(
        result,
        "INPUT_FIELD_DEFAULT_MISMATCH",
        subgraphs=("a", "b"),
        type_name="Page",
        field_name="size",
    )
    assert '10 in subgraph "a"' in error.message and '20 in subgraph "b"' in error.message


def test_input_field_default_in_some_subgraphs_is_a_hint() -> None:
    result = compose_sdls(a=subgraph("orders", " = 10"), b=subgraph("items", ""))
    assert_composes(result)
    hints = [h for h in result.hints if h.code == "INCONSISTENT_DEFAULT_VALUE_PRESENCE"]
    assert [(h.subgraphs, h.type_name, h.field_name) for h in hints] == [(("b",), "Page", "size")]
    assert result.supergraph_sdl is not None
    assert "size: Int = 10" not in result.supergraph_sdl


def test_input_field_same_default_composes() -> None:
    result = compose_sdls(a=subgraph("orders", " = 10"), b=subgraph("items", " = 10"))
    assert_composes(result)
    assert "size: Int = 10" in (result.supergraph_sdl or "")
