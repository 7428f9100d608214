"""NO_QUERIES: the supergraph needs a query root, so some subgraph must define a Query field.

(Root fields that no subgraph resolves, @external everywhere, are EXTERNAL_MISSING_ON_BASE in
rules/external.py; root fields no query can reach through the subgraphs are the
satisfiability check's.)
"""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import has_subgraph_errors, quote


def check_query_root(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    if "Query" in schema.types or has_subgraph_errors(issues):
        return
    names = sorted(schema.subgraphs)
    issues.error(
        "NO_QUERIES",
        "No subgraph defines a query: none of the subgraphs "
        f"({quote(names)}) has a field on its Query (query root) type, and a supergraph "
        "must have a query root type",
        subgraphs=names,
        type_name="Query",
        hint="add at least one field to the Query type of one subgraph (federation's own "
        "_service and _entities fields do not count)",
    )
