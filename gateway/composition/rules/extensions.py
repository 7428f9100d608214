"""EXTENSION_WITH_NO_BASE: a type only ever extended (`extend type`, `@extends`), defined
nowhere.

Checked where every subgraph declaring the type is a Federation 1 one: there Apollo counts
both spellings as extensions. In Federation 2 Apollo counts `@extends` as a definition, and
the subgraph reader keeps no trace of which spelling a Federation 2 subgraph used, so such
types are left alone rather than risk a false error. Root types may be extensions anywhere.
"""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import ROOT_TYPES, MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import quote


def check_extensions(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    for merged in schema.types.values():
        if merged.name in ROOT_TYPES or not merged.per_graph:
            continue
        if not all(schema.subgraphs[g].is_fed1 for g in merged.per_graph):
            continue
        if not all(t.extension for t in merged.per_graph.values()):
            continue
        graphs = sorted(merged.per_graph)
        issues.error(
            "EXTENSION_WITH_NO_BASE",
            f'Type "{merged.name}" is only extended (extend type or @extends) in subgraph(s) '
            f"{quote(graphs)}, and no subgraph defines it",
            subgraphs=graphs,
            type_name=merged.name,
            hint=f'define "{merged.name}" (without `extend` or @extends) in the subgraph that '
            "owns it, or turn one of the extensions into the definition",
        )
