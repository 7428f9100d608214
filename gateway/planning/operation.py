"""A client operation normalised for planning and projection.

Named fragments are inlined, literal @skip/@include are decided, variable ones are kept as
conditions, and each field remembers its arguments and directives as printable text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field

from graphql import (
    DirectiveNode,
    DocumentNode,
    FieldNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    InlineFragmentNode,
    OperationDefinitionNode,
    SelectionSetNode,
    VariableNode,
    print_ast,
)


@dataclass(frozen=True, slots=True)
class Condition:
    """A variable @skip/@include: the selection is kept when `variable` equals `keep_if`."""

    variable: str
    keep_if: bool

    @property
    def directive_text(self) -> str:
        return f"@{'include' if self.keep_if else 'skip'}(if: ${self.variable})"


@dataclass(eq=False, slots=True)
class Field:
    response_key: str
    name: str
    arguments: str  # printed `(a: $x)` or ""
    directives: str  # other executable directives, printed, passed on to subgraphs
    conditions: tuple[Condition, ...]
    selections: list[Selection] | None
    variables: frozenset[str]  # variables used by arguments and directives


@dataclass(eq=False, slots=True)
class Fragment:
    type_condition: str | None
    conditions: tuple[Condition, ...]
    selections: list[Selection]


Selection = Field | Fragment


@dataclass(slots=True)
class Operation:
    kind: str  # query | mutation | subscription
    name: str | None
    selections: list[Selection]
    variable_definitions: dict[str, str] = field(default_factory=dict)  # name -> type = default


def find_operation(document: DocumentNode, name: str | None) -> OperationDefinitionNode | None:
    operations = [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]
    if name is None:
        return operations[0] if len(operations) == 1 else None
    return next((o for o in operations if o.name and o.name.value == name), None)


def normalize(document: DocumentNode, operation: OperationDefinitionNode) -> Operation:
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    # Printed with defaults: a nullable variable with a default may fill a non-null position.
    variable_definitions = {
        v.variable.name.value: print_ast(v.type)
        + (f" = {print_ast(v.default_value)}" if v.default_value else "")
        for v in operation.variable_definitions or ()
    }
    return Operation(
        kind=operation.operation.value,
        name=operation.name.value if operation.name else None,
        selections=_selections(operation.selection_set, fragments),
        variable_definitions=variable_definitions,
    )


def _conditions(directives: tuple[DirectiveNode, ...] | None) -> tuple[Condition, ...] | None:
    """The variable conditions of a selection, or None when a literal excludes it."""
    out: list[Condition] = []
    for directive in directives or ():
        name = directive.name.value
        if name not in ("skip", "include"):
            continue
        value = directive.arguments[0].value
        keep_if = name == "include"
        if isinstance(value, VariableNode):
            out.append(Condition(value.name.value, keep_if))
        elif getattr(value, "value", None) is not keep_if:
            return None
    return tuple(out)


def _variables(node: object) -> frozenset[str]:
    names: set[str] = set()

    def walk(value: object) -> None:
        if isinstance(value, VariableNode):
            names.add(value.name.value)
        elif isinstance(value, tuple | list):
            for item in value:
                walk(item)
        elif hasattr(value, "keys"):
            for key in value.keys:  # type: ignore[attr-defined]
                if key != "loc":
                    walk(getattr(value, key, None))

    walk(node)
    return frozenset(names)


def _selections(
    selection_set: SelectionSetNode, fragments: Mapping[str, FragmentDefinitionNode]
) -> list[Selection]:
    out: list[Selection] = []
    for node in selection_set.selections:
        conditions = _conditions(node.directives)
        if conditions is None:
            continue
        if isinstance(node, FieldNode):
            other = [d for d in node.directives or () if d.name.value not in ("skip", "include")]
            out.append(
                Field(
                    response_key=node.alias.value if node.alias else node.name.value,
                    name=node.name.value,
                    arguments="(" + ", ".join(print_ast(a) for a in node.arguments) + ")"
                    if node.arguments
                    else "",
                    directives=" ".join(print_ast(d) for d in other),
                    conditions=conditions,
                    selections=_selections(node.selection_set, fragments)
                    if node.selection_set
                    else None,
                    variables=_variables((node.arguments, tuple(other))),
                )
            )
        elif isinstance(node, InlineFragmentNode):
            out.append(
                Fragment(
                    node.type_condition.name.value if node.type_condition else None,
                    conditions,
                    _selections(node.selection_set, fragments),
                )
            )
        elif isinstance(node, FragmentSpreadNode):
            definition = fragments[node.name.value]
            out.append(
                Fragment(
                    definition.type_condition.name.value,
                    conditions,
                    _selections(definition.selection_set, fragments),
                )
            )
    return out


def collect_fields(
    selections: list[Selection],
    type_name: str,
    applies: Callable[[str, str | None], bool],  # (runtime type, type condition)
    inherited: tuple[Condition, ...] = (),
) -> list[Field]:
    """The fields selected on an object of `type_name`, in order, same keys merged.

    Fragment conditions are pushed down onto the fields they contain, so the result is a
    flat list; fields with the same response key and conditions have their sub-selections
    concatenated (GraphQL's field merging).
    """
    merged: dict[tuple[str, tuple[Condition, ...]], Field] = {}

    def visit(items: list[Selection], conditions: tuple[Condition, ...]) -> None:
        for item in items:
            if isinstance(item, Field):
                all_conditions = conditions + item.conditions
                key = (item.response_key, all_conditions)
                existing = merged.get(key)
                if existing is None:
                    merged[key] = Field(
                        item.response_key,
                        item.name,
                        item.arguments,
                        item.directives,
                        all_conditions,
                        list(item.selections) if item.selections is not None else None,
                        item.variables,
                    )
                elif item.selections is not None and existing.selections is not None:
                    existing.selections.extend(item.selections)
            elif applies(type_name, item.type_condition):
                visit(item.selections, conditions + item.conditions)

    visit(selections, inherited)
    return list(merged.values())
