"""The depth of an operation: the longest chain of nested fields (a root field is depth 1).

Fragment spreads and inline fragments add no depth. Each named fragment's depth is computed
once (memoized), so a fragment spread many times costs nothing more; a cycle (which validation
rejects anyway) counts as depth 0 instead of recursing forever.
"""

from __future__ import annotations

from collections.abc import Mapping

from graphql import (
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    SelectionSetNode,
)


def operation_depth(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> int:
    memo: dict[str, int] = {}
    visiting: set[str] = set()

    def depth(selections: SelectionSetNode) -> int:
        deepest = 0
        for selection in selections.selections:
            if isinstance(selection, FieldNode):
                below = depth(selection.selection_set) if selection.selection_set else 0
                found = 1 + below
            elif isinstance(selection, InlineFragmentNode):
                found = depth(selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                found = fragment_depth(selection.name.value)
            else:  # pragma: no cover - no other selection kinds exist
                continue
            deepest = max(deepest, found)
        return deepest

    def fragment_depth(name: str) -> int:
        if name in memo:
            return memo[name]
        fragment = fragments.get(name)
        if fragment is None or name in visiting:
            return 0
        visiting.add(name)
        memo[name] = depth(fragment.selection_set)
        visiting.discard(name)
        return memo[name]

    return depth(selection_set)
