"""The schema coordinates an operation uses, computed once per prepared (cached) operation.

Coordinates follow the GraphQL schema-coordinate spec: `Type.field`, `Type.field(arg:)`,
`Input.field`, `Enum.VALUE`. A field counts for the type its selection is written on (inside a
fragment: the type condition's type). A selection on an interface also counts for every object
type implementing it: those fields are what the operation reaches at run time, so a breaking
change to any of them can reach it (a usage check must err on the side of "used").
Everything the document names counts, `@skip`/`@include` or not: removing a field breaks the
validation of every operation naming it, whatever the variables.
"""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    DocumentNode,
    EnumValueNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    ListValueNode,
    ObjectValueNode,
    OperationDefinitionNode,
    OperationType,
    SelectionSetNode,
    ValueNode,
    get_named_type,
)


@dataclass(frozen=True, slots=True, eq=False)
class OperationUsage:
    """What one prepared operation uses; recorded by identity (a dict key per request)."""

    name: str | None
    coordinates: tuple[str, ...]


def operation_usage(
    schema: GraphQLSchema, document: DocumentNode, definition: OperationDefinitionNode
) -> OperationUsage:
    name = definition.name.value if definition.name else None
    return OperationUsage(name, tuple(sorted(used_coordinates(schema, document, definition))))


def used_coordinates(
    schema: GraphQLSchema, document: DocumentNode, definition: OperationDefinitionNode
) -> set[str]:
    """Coordinates of a validated operation against `schema` (unknown names are ignored)."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    walker = _Walker(schema, fragments)
    root = _root_type(schema, definition.operation)
    if root is not None:
        walker.selections(root, definition.selection_set)
    return walker.found


def _root_type(schema: GraphQLSchema, kind: OperationType) -> GraphQLObjectType | None:
    if kind == OperationType.QUERY:
        return schema.query_type
    if kind == OperationType.MUTATION:
        return schema.mutation_type
    return schema.subscription_type


class _Walker:
    def __init__(self, schema: GraphQLSchema, fragments: dict[str, FragmentDefinitionNode]) -> None:
        self.schema = schema
        self.fragments = fragments
        self.found: set[str] = set()
        self._seen: set[tuple[str, str]] = set()  # (fragment, parent): each walked once

    def selections(self, parent: GraphQLNamedType, selection_set: SelectionSetNode) -> None:
        for selection in selection_set.selections:
            if isinstance(selection, FieldNode):
                self.field(parent, selection)
            elif isinstance(selection, InlineFragmentNode):
                condition = selection.type_condition
                target = self._type(condition.name.value) if condition else parent
                if target is not None:
                    self.selections(target, selection.selection_set)
            elif isinstance(selection, FragmentSpreadNode):
                fragment = self.fragments.get(selection.name.value)
                if fragment is None or (fragment.name.value, parent.name) in self._seen:
                    continue
                self._seen.add((fragment.name.value, parent.name))
                target = self._type(fragment.type_condition.name.value)
                if target is not None:
                    self.selections(target, fragment.selection_set)

    def field(self, parent: GraphQLNamedType, node: FieldNode) -> None:
        name = node.name.value
        if name.startswith("__") or not isinstance(
            parent, GraphQLObjectType | GraphQLInterfaceType
        ):
            return  # meta fields (__typename, introspection) are not the schema's own
        definition = parent.fields.get(name)
        if definition is None:
            return
        owners: list[GraphQLNamedType] = [parent]
        if isinstance(parent, GraphQLInterfaceType):
            owners += self.schema.get_implementations(parent).objects
        for owner in owners:
            self.found.add(f"{owner.name}.{name}")
            for argument in node.arguments or ():
                self.found.add(f"{owner.name}.{name}({argument.name.value}:)")
        for argument in node.arguments or ():
            given = definition.args.get(argument.name.value)
            if given is not None:
                self.value(given.type, argument.value)
        if node.selection_set is not None:
            self.selections(get_named_type(definition.type), node.selection_set)

    def value(self, kind: GraphQLInputType, node: ValueNode) -> None:
        """Input object fields and enum values written as literals (variables: unknown here)."""
        named = get_named_type(kind)
        if isinstance(node, ListValueNode):
            for item in node.values:
                self.value(named, item)
        elif isinstance(node, ObjectValueNode) and isinstance(named, GraphQLInputObjectType):
            for item in node.fields:
                self.found.add(f"{named.name}.{item.name.value}")
                field = named.fields.get(item.name.value)
                if field is not None:
                    self.value(field.type, item.value)
        elif isinstance(node, EnumValueNode) and isinstance(named, GraphQLEnumType):
            self.found.add(f"{named.name}.{node.value}")

    def _type(self, name: str) -> GraphQLNamedType | None:
        return self.schema.get_type(name)
