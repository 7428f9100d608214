"""Introspection (`__schema`, `__type`) is answered from the API schema by graphql-core.

Only the introspection root fields go through graphql-core's executor; everything else is
planned and projected. The projector copies these fields' values as they are.
"""

from __future__ import annotations

from graphql import (
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    OperationDefinitionNode,
    SelectionSetNode,
)

INTROSPECTION_ROOT_FIELDS = frozenset({"__schema", "__type"})


def introspection_document(
    document: DocumentNode, operation: OperationDefinitionNode
) -> DocumentNode | None:
    """A document holding just the operation's introspection root fields, or None."""
    fields = [
        s
        for s in operation.selection_set.selections
        if isinstance(s, FieldNode) and s.name.value in INTROSPECTION_ROOT_FIELDS
    ]
    if not fields:
        return None
    only = OperationDefinitionNode(
        operation=operation.operation,
        name=operation.name,
        variable_definitions=operation.variable_definitions,
        directives=(),
        selection_set=SelectionSetNode(selections=tuple(fields)),
    )
    fragments = [d for d in document.definitions if isinstance(d, FragmentDefinitionNode)]
    return DocumentNode(definitions=(only, *fragments))
