"""Field sets (`@key`, `@requires`, `@provides` values) parsed into small selection trees."""

from __future__ import annotations

from dataclasses import dataclass

from graphql import FieldNode, InlineFragmentNode, SelectionSetNode, parse, print_ast
from graphql.error import GraphQLSyntaxError

from gateway.errors import SupergraphError


@dataclass(frozen=True, slots=True)
class FieldSetField:
    name: str
    alias: str | None
    arguments: str  # printed `(a: 1)` or ""
    selections: FieldSet | None

    @property
    def response_key(self) -> str:
        return self.alias or self.name


@dataclass(frozen=True, slots=True)
class FieldSetFragment:
    type_condition: str | None
    selections: FieldSet


FieldSetItem = FieldSetField | FieldSetFragment


@dataclass(frozen=True, slots=True)
class FieldSet:
    source: str
    items: tuple[FieldSetItem, ...]

    def fields_for(self, type_name: str, is_subtype: object = None) -> list[FieldSetField]:
        """The fields that apply to an object of `type_name` (fragments flattened)."""
        out: list[FieldSetField] = []
        for item in self.items:
            if isinstance(item, FieldSetField):
                out.append(item)
            elif item.type_condition in (None, type_name) or (
                callable(is_subtype) and is_subtype(type_name, item.type_condition)
            ):
                out.extend(item.selections.fields_for(type_name, is_subtype))
        return out


def parse_field_set(source: str) -> FieldSet:
    try:
        document = parse("{" + source + "}", no_location=True)
    except GraphQLSyntaxError as error:
        raise SupergraphError(f"invalid field set {source!r}: {error.message}") from None
    operation = document.definitions[0]
    return _convert(operation.selection_set, source)  # type: ignore[attr-defined]


def _convert(selection_set: SelectionSetNode, source: str) -> FieldSet:
    items: list[FieldSetItem] = []
    for selection in selection_set.selections:
        if isinstance(selection, FieldNode):
            arguments = ""
            if selection.arguments:
                arguments = "(" + ", ".join(print_ast(a) for a in selection.arguments) + ")"
            items.append(
                FieldSetField(
                    name=selection.name.value,
                    alias=selection.alias.value if selection.alias else None,
                    arguments=arguments,
                    selections=_convert(selection.selection_set, source)
                    if selection.selection_set
                    else None,
                )
            )
        elif isinstance(selection, InlineFragmentNode):
            items.append(
                FieldSetFragment(
                    type_condition=selection.type_condition.name.value
                    if selection.type_condition
                    else None,
                    selections=_convert(selection.selection_set, source),
                )
            )
        else:
            raise SupergraphError(f"field set {source!r} may not use named fragments")
    return FieldSet(source=source, items=tuple(items))
