"""Aliases, root fields, directives and introspection in an operation, fragments expanded.

Counts are what the operation would have with every fragment spread replaced by its fragment
(a fragment with 3 aliases spread twice: 6 aliases). Each named fragment is counted once
(memoized) and multiplied by its spreads, so huge fragment fan-outs take linear time; a cycle
(rejected by validation anyway) counts as empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})


@dataclass(frozen=True, slots=True)
class Counts:
    aliases: int
    root_fields: int
    directives: int
    introspection: bool  # selects __schema or __type (__typename does not count)


def count(
    operation: OperationDefinitionNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> Counts:
    memo: dict[str, tuple[int, int]] = {}
    visiting: set[str] = set()

    def tally(selections: SelectionSetNode) -> tuple[int, int]:
        aliases = directives = 0
        for selection in selections.selections:
            directives += len(selection.directives or ())
            if isinstance(selection, FieldNode):
                aliases += selection.alias is not None
                if selection.selection_set is not None:
                    below = tally(selection.selection_set)
                    aliases, directives = aliases + below[0], directives + below[1]
            elif isinstance(selection, InlineFragmentNode):
                below = tally(selection.selection_set)
                aliases, directives = aliases + below[0], directives + below[1]
            elif isinstance(selection, FragmentSpreadNode):
                below = fragment(selection.name.value)
                aliases, directives = aliases + below[0], directives + below[1]
        return aliases, directives

    def fragment(name: str) -> tuple[int, int]:
        if name in memo:
            return memo[name]
        definition = fragments.get(name)
        if definition is None or name in visiting:
            return 0, 0
        visiting.add(name)
        aliases, directives = tally(definition.selection_set)
        memo[name] = (aliases, directives + len(definition.directives or ()))
        visiting.discard(name)
        return memo[name]

    aliases, directives = tally(operation.selection_set)
    directives += len(operation.directives or ())
    directives += sum(len(v.directives or ()) for v in operation.variable_definitions or ())
    roots, introspection = _root_fields(operation.selection_set, fragments)
    return Counts(aliases, roots, directives, introspection)


def _root_fields(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> tuple[int, bool]:
    """The distinct response keys at the root, through fragments (a field selected twice, by
    two fragments say, is one root field), and whether any is __schema or __type."""
    memo: dict[str, frozenset[tuple[str, str]]] = {}
    visiting: set[str] = set()

    def roots(selections: SelectionSetNode) -> frozenset[tuple[str, str]]:
        found: set[tuple[str, str]] = set()
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                key = (selection.alias or selection.name).value
                found.add((key, selection.name.value))
            elif isinstance(selection, InlineFragmentNode):
                found |= roots(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                found |= fragment(selection.name.value)
        return frozenset(found)

    def fragment(name: str) -> frozenset[tuple[str, str]]:
        if name in memo:
            return memo[name]
        definition = fragments.get(name)
        if definition is None or name in visiting:
            return frozenset()
        visiting.add(name)
        memo[name] = roots(definition.selection_set)
        visiting.discard(name)
        return memo[name]

    fields = roots(selection_set)
    keys = {key for key, _ in fields}
    return len(keys), any(name in INTROSPECTION_FIELDS for _, name in fields)
