"""Default values of input object fields across subgraphs (Apollo's rules for arguments).

INPUT_FIELD_DEFAULT_MISMATCH when two subgraphs give the same input field different defaults;
a hint (INCONSISTENT_DEFAULT_VALUE_PRESENCE) when only some subgraphs give it one: the
supergraph then has no default. Input object field intersection, required fields missing in
some subgraphs and empty merged inputs are reported while merging (merge.py).
"""

from __future__ import annotations

from graphql import print_ast

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import has_subgraph_errors, quote


def check_input_defaults(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    if has_subgraph_errors(issues):
        return
    for merged in schema.types.values():
        if merged.kind != "input":
            continue
        for merged_field in merged.fields.values():
            defaults = {
                g: print_ast(f.default) for g, f in merged_field.per_graph.items() if f.default
            }
            coordinate = f"{merged.name}.{merged_field.name}"
            if len(set(defaults.values())) > 1:
                detail = ", ".join(f'{v} in subgraph "{g}"' for g, v in defaults.items())
                issues.error(
                    "INPUT_FIELD_DEFAULT_MISMATCH",
                    f'Input field "{coordinate}" has incompatible default values across '
                    f"subgraphs: {detail}",
                    subgraphs=list(defaults),
                    type_name=merged.name,
                    field_name=merged_field.name,
                    hint=f'give "{coordinate}" the same default value in every subgraph (or '
                    "none in some of them)",
                )
            elif defaults and len(defaults) < len(merged_field.per_graph):
                without = [g for g in merged_field.per_graph if g not in defaults]
                issues.hint(
                    "INCONSISTENT_DEFAULT_VALUE_PRESENCE",
                    f'Input field "{coordinate}" has a default value in subgraph(s) '
                    f"{quote(list(defaults))} but none in {quote(without)}; the supergraph "
                    "gives it no default",
                    subgraphs=without,
                    type_name=merged.name,
                    field_name=merged_field.name,
                )
