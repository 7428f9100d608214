"""Differential tests: our composition against Apollo's (`@apollo/composition`, npm).

For every conformance suite's subgraphs, the benchmark's four subgraphs and the extra sets in
differential_cases.VALID, both composers must give the same supergraph up to ordering and
formatting (supergraph_model: same API schema, same subgraph information per type and field).
For the sets in differential_cases.INVALID both must fail with the same set of error codes.

Where we knowingly differ from Apollo, the case is listed in SUPERGRAPH_EXCEPTIONS or
CODE_EXCEPTIONS with the reason, and the test then checks that the difference is exactly the
recorded one (so an exception cannot hide a new difference, nor outlive a fix).

Node.js runs the reference: without `node` these tests skip; with `node` but without the npm
package they fail, saying how to install it (reference.py; `.ci/run` installs it).
"""

from __future__ import annotations

import importlib
import pkgutil
import random
from collections.abc import Sequence
from typing import Any

import pytest

import tests.conformance as conformance
from gateway.composition import SubgraphInput, compose
from tests.conformance.harness import subgraph_inputs
from tests.gateway.composition.differential_cases import INVALID, VALID
from tests.gateway.composition.reference import (
    ReferenceResult,
    reference_compose,
    reference_compose_many,
)
from tests.gateway.composition.supergraph_model import (
    model_diff,
    normalize_field_set,
    supergraph_diff,
    supergraph_model,
)

# Reviewed exceptions: case id -> (the differences we accept, why we keep our behaviour).
# The differences are the exact lines supergraph_diff prints. None at the moment.
SUPERGRAPH_EXCEPTIONS: dict[str, tuple[list[str], str]] = {}
# case id -> (our codes, Apollo's codes, why).
CODE_EXCEPTIONS: dict[str, tuple[set[str], set[str], str]] = {}


def _inputs(subgraphs: dict[str, str]) -> list[SubgraphInput]:
    return [
        SubgraphInput(name, f"http://{name}.invalid/graphql", sdl)
        for name, sdl in subgraphs.items()
    ]


def _conformance_cases() -> dict[str, list[SubgraphInput]]:
    cases = {}
    for module_info in pkgutil.iter_modules(conformance.__path__):
        if not module_info.name.startswith("test_"):
            continue
        module = importlib.import_module(f"{conformance.__name__}.{module_info.name}")
        cases[f"conformance/{module_info.name}"] = subgraph_inputs(module.SUBGRAPHS)
    return cases


def _bench_case() -> list[SubgraphInput]:
    from bench.subgraphs import accounts, inventory, products, reviews

    modules = {
        "accounts": accounts,
        "inventory": inventory,
        "products": products,
        "reviews": reviews,
    }
    return [
        SubgraphInput(name, f"http://{name}.invalid/graphql", module.schema.as_str())
        for name, module in modules.items()
    ]


def _valid_cases() -> dict[str, list[SubgraphInput]]:
    cases = _conformance_cases()
    cases["bench/subgraphs"] = _bench_case()
    cases.update({f"valid/{name}": _inputs(sets) for name, sets in VALID.items()})
    return cases


VALID_CASES = _valid_cases()
INVALID_CASES = {f"invalid/{name}": _inputs(sets) for name, sets in INVALID.items()}


@pytest.fixture(scope="module")
def reference() -> dict[str, ReferenceResult]:
    """Apollo's results for every case, from one Node process."""
    return reference_compose_many({**VALID_CASES, **INVALID_CASES})


def test_every_conformance_suite_is_compared() -> None:
    suites = [m.name for m in pkgutil.iter_modules(conformance.__path__)]
    tests = {f"conformance/{name}" for name in suites if name.startswith("test_")}
    assert len(tests) >= 30
    assert tests <= set(VALID_CASES)


@pytest.mark.parametrize("case_id", sorted(VALID_CASES))
def test_same_supergraph_as_apollo(case_id: str, reference: dict[str, ReferenceResult]) -> None:
    expected = reference[case_id]
    assert expected.supergraph_sdl is not None, (
        f"Apollo's composition rejects {case_id}; fix the subgraphs:\n"
        + "\n".join(f"{code}: {message}" for code, message in expected.errors)
    )
    ours = compose(VALID_CASES[case_id])
    assert ours.supergraph_sdl is not None, "we reject what Apollo composes:\n" + "\n".join(
        f"{e.code}: {e.message}" for e in ours.errors
    )
    differences = supergraph_diff(ours.supergraph_sdl, expected.supergraph_sdl)
    if case_id in SUPERGRAPH_EXCEPTIONS:
        accepted, _why = SUPERGRAPH_EXCEPTIONS[case_id]
        assert differences == accepted
        return
    assert not differences, "our supergraph differs from Apollo's:\n" + "\n".join(differences)


@pytest.mark.parametrize("case_id", sorted(INVALID_CASES))
def test_same_error_codes_as_apollo(case_id: str, reference: dict[str, ReferenceResult]) -> None:
    expected = reference[case_id]
    ours = compose(INVALID_CASES[case_id])
    assert expected.errors, f"Apollo's composition accepts {case_id}; it is not an invalid case"
    codes = {e.code for e in ours.errors}
    if case_id in CODE_EXCEPTIONS:
        ours_expected, apollo_expected, _why = CODE_EXCEPTIONS[case_id]
        assert (codes, expected.codes) == (ours_expected, apollo_expected)
        return
    assert codes == expected.codes, (
        f"error codes differ: ours {sorted(codes)}, Apollo's {sorted(expected.codes)}\n"
        "ours:\n"
        + "\n".join(f"  {e.code}: {e.message}" for e in ours.errors)
        + "\nApollo's:\n"
        + "\n".join(f"  {code}: {message}" for code, message in expected.errors)
    )


# --------------------------------------------------------------- the comparison's own checks

_KEYS = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3", import: ["@key"])\n'


def _compose_ok(subgraphs: dict[str, str]) -> str:
    result = compose(_inputs(subgraphs))
    assert result.supergraph_sdl is not None, [e.message for e in result.errors]
    return result.supergraph_sdl


def test_comparison_ignores_order_and_formatting() -> None:
    subgraphs = {
        "a": _KEYS + 'type Query { a: T b: Int } type T @key(fields: "id  code") '
        "{ id: ID! code: Int x: Int }",
        "b": _KEYS + 'type T @key(fields: "id code") { id: ID! code: Int y: Int }',
    }
    sdl = _compose_ok(subgraphs)
    reordered = _compose_ok({"b": subgraphs["b"], "a": subgraphs["a"]})
    assert reordered == sdl  # our output does not depend on the input order
    reformatted = sdl.replace("a: T\n  b: Int", "b: Int\n  a: T").replace(
        'key: "id code"', 'key: "id\\n code"'
    )
    assert reformatted != sdl
    assert supergraph_diff(reformatted, sdl) == []


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (('key: "id code"', 'key: "code id"'), "/types/T/keys"),
        (("@join__type(graph: B, ", "@join__type(graph: B, resolvable: false, "), "/keys"),
        (("  x: Int", "  x: Int @join__field(graph: B)"), "/types/T/fields/x/resolvable_in"),
        (("  x: Int", "  x: String"), "/api_schema"),
    ],
)
def test_comparison_finds_differences(change: tuple[str, str], expected: str) -> None:
    sdl = _compose_ok(
        {
            "a": _KEYS + 'type Query { a: T } type T @key(fields: "id code") '
            "{ id: ID! code: Int x: Int }",
            "b": _KEYS + 'type T @key(fields: "id code") { id: ID! code: Int y: Int }',
        }
    )
    changed = sdl.replace(*change, 1)
    assert changed != sdl
    differences = supergraph_diff(changed, sdl)
    assert differences and any(expected in line for line in differences), differences


def test_comparison_covers_enum_values_per_subgraph() -> None:
    header = 'extend schema @link(url: "https://specs.apollo.dev/federation/v2.3")\n'
    sdl = _compose_ok(
        {
            "a": header + "type Query { a: Color } enum Color { RED GREEN }",
            "b": header + "type Query { b: Color } enum Color { RED BLUE }",
        }
    )
    model = supergraph_model(sdl)
    assert model["types"]["Color"]["values"] == {"BLUE": ["b"], "GREEN": ["a"], "RED": ["a", "b"]}
    changed = sdl.replace("BLUE @join__enumValue(graph: B)", "BLUE @join__enumValue(graph: A)")
    assert model_diff(supergraph_model(changed), model) == [
        "/types/Color/values/BLUE: ours=['a'] reference=['b']"
    ]


def test_field_sets_are_normalized() -> None:
    assert normalize_field_set("id  sku\n brand { code }") == "id sku brand { code }"
    assert normalize_field_set("a{b}") == "a { b }"
    assert normalize_field_set(None) is None


def test_reference_fails_without_the_npm_package(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Any
) -> None:
    monkeypatch.setenv("BRAND_MATRIX_NODE_DIR", str(tmp_path))
    with pytest.raises(pytest.fail.Exception, match="npm install --prefix"):
        reference_compose(_inputs({"a": "type Query { a: Int }"}))


def test_reference_reports_codes_per_failure() -> None:
    result = reference_compose(_inputs({"a": "type Query { a: Int", "b": "type Query { b: Int }"}))
    assert result.supergraph_sdl is None
    assert result.codes == {"INVALID_GRAPHQL"}


def _shuffled(inputs: Sequence[SubgraphInput]) -> list[SubgraphInput]:
    out = list(inputs)
    random.Random(4).shuffle(out)
    return out


@pytest.mark.parametrize("case_id", ["conformance/test_fed1_extend", "bench/subgraphs"])
def test_output_is_deterministic(case_id: str) -> None:
    first = compose(VALID_CASES[case_id]).supergraph_sdl
    assert first is not None
    assert compose(_shuffled(VALID_CASES[case_id])).supergraph_sdl == first
