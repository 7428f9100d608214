"""What a subgraph query reads, parsed once per distinct query text: which `_entities` alias
reads which variable, and which root fields it selects (with their `brand` arguments)."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import (
    FieldNode,
    GraphQLError,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    StringValueNode,
    VariableNode,
    parse,
)

from gateway.caching import LRUCache

BRAND_ARGUMENT = "brand"
ID_ARGUMENT = "id"  # a brand-scoped id argument ("lumen:SKU-1") names its brand too


@dataclass(frozen=True)
class RootField:
    response_key: str
    name: str
    brand_literal: str | None = None  # `brand: "lumen"`
    brand_variable: str | None = None  # `brand: $b`
    id_literal: str | None = None  # `id: "lumen:SKU-1"`
    id_variable: str | None = None  # `id: $id`


@dataclass(frozen=True)
class QueryShape:
    # (alias, variable) of every `_entities(representations: $variable)` field, in order
    entities: tuple[tuple[str, str], ...]
    roots: tuple[RootField, ...]
    mutation: bool = False

    @property
    def entity_variables(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(variable for _, variable in self.entities))


class ShapeCache:
    def __init__(self, size: int = 1000) -> None:
        self._cache: LRUCache[str, QueryShape] = LRUCache(size)

    def shape(self, query: str) -> QueryShape:
        shape = self._cache.get(query)
        if shape is None:
            shape = read_shape(query)
            self._cache.put(query, shape)
        return shape


def read_shape(query: str) -> QueryShape:
    """The shape of a query; a query that does not parse has no entities and no root fields
    (the partition will report the syntax error itself)."""
    try:
        document = parse(query, no_location=True)
    except GraphQLError:
        return QueryShape((), ())
    entities: list[tuple[str, str]] = []
    roots: list[RootField] = []
    mutation = False
    for definition in document.definitions:
        if isinstance(definition, OperationDefinitionNode):
            mutation = definition.operation.value == "mutation"
            for node in _root_fields(definition.selection_set):
                key = node.alias.value if node.alias else node.name.value
                if node.name.value == "_entities":
                    variable = _argument_variable(node, "representations")
                    if variable is not None:
                        entities.append((key, variable))
                    continue
                roots.append(_root_field(key, node))
            break  # subgraph requests carry one operation
    return QueryShape(tuple(entities), tuple(roots), mutation)


def _root_fields(selection_set: SelectionSetNode) -> list[FieldNode]:
    fields: list[FieldNode] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            fields.append(selection)
        elif isinstance(selection, InlineFragmentNode):
            fields.extend(_root_fields(selection.selection_set))
    return fields


def _argument_variable(node: FieldNode, name: str) -> str | None:
    for argument in node.arguments or ():
        if argument.name.value == name and isinstance(argument.value, VariableNode):
            return argument.value.name.value
    return None


def _root_field(key: str, node: FieldNode) -> RootField:
    found: dict[str, str] = {}
    for argument in node.arguments or ():
        name = argument.name.value
        if name not in (BRAND_ARGUMENT, ID_ARGUMENT):
            continue
        if isinstance(argument.value, StringValueNode):
            found[f"{name}_literal"] = argument.value.value
        elif isinstance(argument.value, VariableNode):
            found[f"{name}_variable"] = argument.value.name.value
    return RootField(key, node.name.value, **found)
