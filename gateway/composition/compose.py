"""The composition pipeline: read each subgraph, upgrade Federation 1 ones, merge, check the
rules, print the supergraph, and make sure the gateway can load what was printed."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.composition.errors import CompositionError, CompositionIssue, Issues
from gateway.composition.fed1 import upgrade
from gateway.composition.merge import merge
from gateway.composition.overrides import resolve_overrides
from gateway.composition.printer import print_supergraph
from gateway.composition.rules import RULES
from gateway.composition.satisfiability import check_satisfiability
from gateway.composition.subgraph import Subgraph, SubgraphInput, read_subgraph
from gateway.errors import SupergraphError


@dataclass
class CompositionResult:
    supergraph_sdl: str | None
    errors: list[CompositionIssue] = field(default_factory=list)
    hints: list[CompositionIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.supergraph_sdl is not None and not self.errors


def compose(inputs: list[SubgraphInput], *, satisfiability: bool = True) -> CompositionResult:
    """Compose; `satisfiability=False` skips the planning check (to inspect a supergraph)."""
    issues = Issues()
    names = [i.name for i in inputs]
    for name in sorted({n for n in names if names.count(n) > 1}):
        issues.error(
            "DUPLICATE_SUBGRAPH_NAME",
            f'Subgraph name "{name}" is used more than once',
            subgraphs=[name],
            hint="give every subgraph its own name",
        )
    subgraphs: list[Subgraph] = []
    for source in sorted(inputs, key=lambda i: i.name):
        try:
            subgraph = read_subgraph(source)
        except CompositionError as error:
            issues.items.append(error.issue)
            continue
        upgrade(subgraph)
        subgraphs.append(subgraph)
    if not inputs:
        issues.error("NO_SUBGRAPHS", "There is no subgraph to compose", hint="add subgraphs")
    if issues.errors:
        return CompositionResult(None, issues.errors, issues.hints)
    schema = merge(subgraphs, issues)
    overrides = resolve_overrides(schema, issues)
    for rule in RULES:
        rule(schema, overrides, issues)
    if issues.errors:
        return CompositionResult(None, issues.errors, issues.hints)
    sdl = print_supergraph(schema, overrides)
    try:
        from gateway.supergraph import load_supergraph

        load_supergraph(sdl)
    except SupergraphError as error:  # a composition bug, not the user's: say so plainly
        issues.error(
            "INTERNAL_COMPOSITION_ERROR",
            f"the composed supergraph does not load: {error}",
            hint="report this with the subgraph schemas",
        )
        return CompositionResult(None, issues.errors, issues.hints)
    # Every field a client can ask for must be plannable along every path to it.
    unsatisfiable = check_satisfiability(sdl) if satisfiability else []
    if unsatisfiable:
        return CompositionResult(None, unsatisfiable, issues.hints)
    return CompositionResult(sdl, [], issues.hints)
