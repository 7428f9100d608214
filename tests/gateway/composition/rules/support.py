"""Small helpers for the composition rule tests: compose inline SDLs, find one issue."""

from __future__ import annotations

from gateway.composition import CompositionResult, SubgraphInput, compose
from gateway.composition.errors import CompositionIssue

IMPORTS = (
    '"@key", "@external", "@requires", "@provides", "@shareable", "@override", '
    '"@interfaceObject", "@inaccessible"'
)


def fed2(sdl: str, version: str = "2.9") -> str:
    """A Federation 2 subgraph SDL: the @link to federation `version`, then `sdl`."""
    return (
        f'extend schema @link(url: "https://specs.apollo.dev/federation/v{version}", '
        f"import: [{IMPORTS}])\n{sdl}"
    )


def compose_sdls(**subgraphs: str) -> CompositionResult:
    return compose(
        [SubgraphInput(name, f"http://{name}.test/graphql", sdl) for name, sdl in subgraphs.items()]
    )


def codes(result: CompositionResult) -> list[str]:
    return sorted(e.code for e in result.errors)


def the_error(
    result: CompositionResult,
    code: str,
    *,
    subgraphs: tuple[str, ...],
    type_name: str | None,
    field_name: str | None = None,
) -> CompositionIssue:
    """The one error with `code`, checked to name the subgraphs, type and field and to say
    how to fix it."""
    found = [e for e in result.errors if e.code == code]
    assert len(found) == 1, f"expected one {code}, got {[str(e) for e in result.errors]}"
    error = found[0]
    assert error.subgraphs == subgraphs, error
    assert error.type_name == type_name, error
    assert error.field_name == field_name, error
    assert error.hint, f"{code} has no hint"
    for name in subgraphs:
        assert f'"{name}"' in error.message or f"'{name}'" in error.message, error.message
    if type_name:
        assert type_name in error.message, error.message
    assert result.supergraph_sdl is None
    return error


def assert_composes(result: CompositionResult) -> None:
    assert result.errors == [], [str(e) for e in result.errors]
    assert result.supergraph_sdl is not None
