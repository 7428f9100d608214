"""The default limits let the public benchmark query and every registered front-end
operation through (checked by preparing them: nothing is fetched)."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import FragmentDefinitionNode, OperationDefinitionNode, parse

from gateway.errors import RequestError
from gateway.limits import Limits
from gateway.limits.cost import CostEstimator
from gateway.limits.counts import count
from gateway.limits.depth import operation_depth
from gateway.service import Gateway

ROOT = Path(__file__).resolve().parents[3]
OPERATIONS = sorted((ROOT / "schema" / "operations").glob("*/*.graphql"))


def _gateway(supergraph: Path) -> Gateway:
    return Gateway(supergraph.read_text(encoding="utf-8"), limits=Limits())


def _measures(gateway: Gateway, text: str) -> list[tuple[int, int, int, int]]:
    document = parse(text)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    out = []
    for op in (d for d in document.definitions if isinstance(d, OperationDefinitionNode)):
        counts = count(op, fragments)
        depth = operation_depth(op.selection_set, fragments)
        out.append((depth, counts.aliases, counts.root_fields, counts.directives))
    return out


def test_the_benchmark_query_passes_the_defaults() -> None:
    gateway = _gateway(ROOT / "bench" / "data" / "supergraph.graphql")
    text = (ROOT / "bench" / "data" / "query.graphql").read_text(encoding="utf-8")
    assert gateway.prepare(text, None).plan is not None
    [(depth, aliases, roots, directives)] = _measures(gateway, text)
    limits = Limits()
    assert depth <= limits.max_depth and aliases <= limits.max_aliases
    assert roots <= limits.max_root_fields and directives <= limits.max_directives
    # with a tighter depth it is refused: the check is real
    sdl = (ROOT / "bench" / "data" / "supergraph.graphql").read_text(encoding="utf-8")
    strict = Gateway(sdl, limits=Limits(max_depth=depth - 1))
    with pytest.raises(RequestError, match="more than the maximum"):
        strict.prepare(text, None)


@pytest.mark.parametrize("path", OPERATIONS, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_registered_operation_passes_the_defaults(path: Path) -> None:
    gateway = _gateway(ROOT / "schema" / "supergraph.graphql")
    text = path.read_text(encoding="utf-8")
    document = parse(text)
    names = [
        d.name.value if d.name else None
        for d in document.definitions
        if isinstance(d, OperationDefinitionNode)
    ]
    assert names
    for name in names:
        assert gateway.prepare(text, name).plan is not None


def test_the_default_cost_estimates_are_reported() -> None:
    """The benchmark's schemas have no @listSize: every nested list counts
    `default_list_size` items, and its query still fits the default budget (our own
    operations: tests/schema/test_costs.py)."""
    gateway = _gateway(ROOT / "bench" / "data" / "supergraph.graphql")
    text = (ROOT / "bench" / "data" / "query.graphql").read_text(encoding="utf-8")
    document = parse(text)
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    [op] = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    supergraph = gateway.supergraph
    estimate = CostEstimator(supergraph.api_schema, supergraph.costs, op, fragments, 10).estimate()
    assert estimate == 24420  # 10 users x 10 reviews x ...
    assert estimate < Limits().max_cost


def test_a_gateway_built_without_limits_still_has_the_safe_defaults() -> None:
    sdl = (ROOT / "bench" / "data" / "supergraph.graphql").read_text(encoding="utf-8")
    deep = "{ me { " + "reviews { author { " * 10 + "id" + " } }" * 10 + " } }"
    with pytest.raises(RequestError, match="more than the maximum"):
        Gateway(sdl).prepare(deep, None)  # a library user gets the defaults too
    assert Gateway(sdl, limits=None).prepare(deep, None).plan is not None  # None: opted out
