"""Static cost estimation from `@cost` and `@listSize` (IBM's GraphQL cost spec, as Apollo's
demand control applies it).

An operation's estimated cost is the sum of its fields' costs, fragments expanded:

    field = multiplier * (weight + cost of its selections) + weights of its given arguments

- weight: the field's `@cost(weight:)`, else its type's `@cost`, else 1 for an object,
  interface or union and 0 for a scalar or enum (fields of the mutation root: 10);
- multiplier: 1, or for a list the size `@listSize` says: the largest value given to one of
  its `slicingArguments` (literal, variable or the argument's default), else its
  `assumedSize`, else the default list size; with `sizedFields` the size applies to those
  child fields instead (cursor connections: `edges`, `nodes`);
- an argument (or a field of an input object given as a literal) with `@cost` adds its weight.

With `requireOneSlicingArgument` (the default when `slicingArguments` is set) a selection must
give exactly one slicing argument. Named fragments are estimated once per context (memoized).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import (
    DocumentNode,
    EnumTypeDefinitionNode,
    EnumTypeExtensionNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLList,
    GraphQLNamedType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    InlineFragmentNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    IntValueNode,
    ListValueNode,
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    ObjectValueNode,
    OperationDefinitionNode,
    ScalarTypeDefinitionNode,
    ScalarTypeExtensionNode,
    SelectionSetNode,
    ValueNode,
    VariableNode,
    get_named_type,
    is_composite_type,
    value_from_ast_untyped,
)
from graphql.pyutils import Undefined

from gateway.errors import graphql_error

if TYPE_CHECKING:
    from gateway.supergraph.links import LinkedSpecs

TOO_EXPENSIVE = "COST_ESTIMATED_TOO_EXPENSIVE"
SLICING_ARGUMENT = "COST_SLICING_ARGUMENT_REQUIRED"
MUTATION_WEIGHT = 10

_FIELDED = (
    ObjectTypeDefinitionNode,
    ObjectTypeExtensionNode,
    InterfaceTypeDefinitionNode,
    InterfaceTypeExtensionNode,
    InputObjectTypeDefinitionNode,
    InputObjectTypeExtensionNode,
)
_WEIGHTED_TYPES = (*_FIELDED, EnumTypeDefinitionNode, EnumTypeExtensionNode)
_WEIGHTED_TYPES += (ScalarTypeDefinitionNode, ScalarTypeExtensionNode)


@dataclass(frozen=True, slots=True)
class ListSize:
    assumed_size: int | None = None
    slicing_arguments: tuple[str, ...] = ()
    sized_fields: tuple[str, ...] = ()
    require_one_slicing_argument: bool = True


@dataclass(slots=True)
class CostDirectives:
    """`@cost` and `@listSize` of a supergraph, by schema coordinate."""

    types: dict[str, int] = field(default_factory=dict)  # object, scalar, enum
    fields: dict[tuple[str, str], int] = field(default_factory=dict)  # also input fields
    arguments: dict[tuple[str, str, str], int] = field(default_factory=dict)
    list_sizes: dict[tuple[str, str], ListSize] = field(default_factory=dict)


def read_cost_directives(document: DocumentNode, specs: LinkedSpecs) -> CostDirectives:
    """The `@cost`/`@listSize` applications of a supergraph (linked from the cost spec)."""
    found = CostDirectives()
    if "cost" not in specs.versions:
        return found
    cost, list_size = specs.directive("cost", "cost"), specs.directive("cost", "listSize")

    def weight(node: Any) -> int | None:
        for directive in node.directives or ():
            if directive.name.value == cost:
                args = {a.name.value: a.value for a in directive.arguments or ()}
                value = value_from_ast_untyped(args["weight"]) if "weight" in args else None
                return int(value) if isinstance(value, int | str) else None
        return None

    for definition in document.definitions:
        if not isinstance(definition, _WEIGHTED_TYPES):
            continue
        type_name = definition.name.value
        if (w := weight(definition)) is not None:
            found.types[type_name] = w
        if not isinstance(definition, _FIELDED):
            continue
        for field_node in definition.fields or ():
            name = field_node.name.value
            if (w := weight(field_node)) is not None:
                found.fields[type_name, name] = w
            for argument in getattr(field_node, "arguments", None) or ():
                if (w := weight(argument)) is not None:
                    found.arguments[type_name, name, argument.name.value] = w
            for directive in field_node.directives or ():
                if directive.name.value == list_size:
                    found.list_sizes[type_name, name] = _list_size(directive)
    return found


def _list_size(directive: Any) -> ListSize:
    args = {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}
    assumed = args.get("assumedSize")
    return ListSize(
        assumed_size=int(assumed) if assumed is not None else None,
        slicing_arguments=tuple(args.get("slicingArguments") or ()),
        sized_fields=tuple(args.get("sizedFields") or ()),
        require_one_slicing_argument=args.get("requireOneSlicingArgument") is not False,
    )


class CostError(Exception):
    def __init__(self, error: dict[str, Any]) -> None:
        super().__init__(error["message"])
        self.error = error


_Sized = tuple[int, tuple[str, ...]] | None  # (size, sized field names) from the parent


class CostEstimator:
    """Estimates one operation; `uses_variables` says whether its estimate depends on the
    request's variables (a slicing argument given by a variable)."""

    def __init__(
        self,
        schema: GraphQLSchema,
        directives: CostDirectives,
        operation: OperationDefinitionNode,
        fragments: Mapping[str, FragmentDefinitionNode],
        default_list_size: int,
    ) -> None:
        self.schema, self.directives = schema, directives
        self.operation, self.fragments = operation, fragments
        self.default_list_size = default_list_size
        self.uses_variables = False
        self._defaults = {
            v.variable.name.value: value_from_ast_untyped(v.default_value)
            for v in operation.variable_definitions or ()
            if v.default_value is not None
        }

    def estimate(self, variables: Mapping[str, Any] | None = None) -> int:
        """Raises CostError when a slicing argument is required and missing."""
        root = self.schema.get_root_type(self.operation.operation)
        if root is None:
            return 0
        memo: dict[tuple[str, str, _Sized], int] = {}
        visiting: set[str] = set()
        values = dict(self._defaults) if variables is None else dict(variables)
        mutation = self.operation.operation.value == "mutation"

        def selections(parent: GraphQLNamedType, selection_set: SelectionSetNode, sized: _Sized,
                       at_root: bool = False) -> int:  # fmt: skip
            total = 0
            for selection in selection_set.selections:
                if isinstance(selection, FieldNode):
                    total += field_cost(parent, selection, sized, at_root)
                elif isinstance(selection, InlineFragmentNode):
                    condition = selection.type_condition
                    inner = self.schema.get_type(condition.name.value) if condition else parent
                    total += selections(inner or parent, selection.selection_set, sized, at_root)
                elif isinstance(selection, FragmentSpreadNode):
                    total += fragment_cost(selection.name.value, sized, at_root)
            return total

        def fragment_cost(name: str, sized: _Sized, at_root: bool) -> int:
            key = (name, "root" if at_root else "", sized)
            if key in memo:
                return memo[key]
            definition = self.fragments.get(name)
            if definition is None or name in visiting:
                return 0
            condition = self.schema.get_type(definition.type_condition.name.value)
            if condition is None:
                return 0
            visiting.add(name)
            memo[key] = selections(condition, definition.selection_set, sized, at_root)
            visiting.discard(name)
            return memo[key]

        def field_cost(parent: Any, node: FieldNode, sized: _Sized, at_root: bool) -> int:
            name = node.name.value
            if name.startswith("__") or not isinstance(
                parent, GraphQLObjectType | GraphQLInterfaceType
            ):
                return 0
            definition = parent.fields.get(name)
            if definition is None:
                return 0
            named = get_named_type(definition.type)
            weight = self.directives.fields.get((parent.name, name))
            if weight is None:
                weight = self.directives.types.get(named.name)
            if weight is None:
                weight = MUTATION_WEIGHT if mutation and at_root else int(is_composite_type(named))
            list_size = self.directives.list_sizes.get((parent.name, name))
            size = self._size(parent.name, name, node, definition, list_size, values)
            inner_sized: _Sized = None
            if list_size is not None and list_size.sized_fields:
                inner_sized = (size, list_size.sized_fields)
                multiplier = self.default_list_size if _is_list(definition.type) else 1
            else:
                multiplier = size if _is_list(definition.type) else 1
            if sized is not None and name in sized[1]:
                multiplier = sized[0]
            below = 0
            if node.selection_set is not None:
                below = selections(named, node.selection_set, inner_sized)
            return multiplier * (weight + below) + self._arguments(parent.name, node, definition)

        return selections(root, self.operation.selection_set, None, at_root=True)

    def _size(self, type_name: str, name: str, node: FieldNode, definition: Any,
              list_size: ListSize | None, values: Mapping[str, Any]) -> int:  # fmt: skip
        if list_size is None:
            return self.default_list_size
        given = {a.name.value: a.value for a in node.arguments or ()}
        sizes: list[int] = []
        supplied = 0
        for argument in list_size.slicing_arguments:
            value: Any = None
            if argument in given:
                value = self._value(given[argument], values)
            elif argument in definition.args:
                value = _default(definition.args[argument])
            if value is not None:
                supplied += 1
                if isinstance(value, int) and not isinstance(value, bool):
                    sizes.append(max(value, 0))
        required = list_size.slicing_arguments and list_size.require_one_slicing_argument
        if required and supplied != 1:
            wanted = ", ".join(list_size.slicing_arguments)
            raise CostError(
                graphql_error(
                    f"{type_name}.{name} needs exactly one of its slicing arguments "
                    f"({wanted}), got {supplied}.",
                    code=SLICING_ARGUMENT,
                )
            )
        if sizes:
            return max(sizes)
        if list_size.assumed_size is not None:
            return list_size.assumed_size
        return self.default_list_size

    def _value(self, node: ValueNode, values: Mapping[str, Any]) -> Any:
        if isinstance(node, VariableNode):
            self.uses_variables = True
            return values.get(node.name.value)
        if isinstance(node, IntValueNode):
            return int(node.value)
        return value_from_ast_untyped(node)

    def _arguments(self, type_name: str, node: FieldNode, definition: Any) -> int:
        total = 0
        for argument in node.arguments or ():
            name = argument.name.value
            total += self.directives.arguments.get((type_name, node.name.value, name), 0)
            if name in definition.args:
                total += self._input_cost(definition.args[name].type, argument.value)
        return total

    def _input_cost(self, type_: Any, value: ValueNode) -> int:
        while isinstance(type_, GraphQLNonNull | GraphQLList):
            type_ = type_.of_type
        if isinstance(value, ListValueNode):
            return sum(self._input_cost(type_, item) for item in value.values)
        if not isinstance(type_, GraphQLInputObjectType) or not isinstance(value, ObjectValueNode):
            return 0
        total = 0
        for item in value.fields:
            name = item.name.value
            total += self.directives.fields.get((type_.name, name), 0)
            if name in type_.fields:
                total += self._input_cost(type_.fields[name].type, item.value)
        return total


def too_expensive(estimate: int, budget: int) -> dict[str, Any]:
    return graphql_error(
        f"The operation's estimated cost {estimate} exceeds the maximum of {budget}.",
        code=TOO_EXPENSIVE,
        extensions={"estimatedCost": estimate, "maxCost": budget},
    )


def _is_list(type_: Any) -> bool:
    while isinstance(type_, GraphQLNonNull):
        type_ = type_.of_type
    return isinstance(type_, GraphQLList)


def _default(argument: Any) -> Any:
    """An argument's default value (None when it has none)."""
    value = argument.default_value
    if value is Undefined:
        node = getattr(argument.ast_node, "default_value", None)
        value = value_from_ast_untyped(node) if node is not None else None
    return value
