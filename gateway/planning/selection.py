"""Selections being built for one subgraph fetch, and their printing as GraphQL text."""

from __future__ import annotations

from dataclasses import dataclass, field

from gateway.planning.operation import Condition


@dataclass(eq=False, slots=True)
class FieldEntry:
    response_key: str
    name: str
    arguments: str
    directives: str
    conditions: tuple[Condition, ...]
    children: SelectionNode | None


@dataclass(eq=False, slots=True)
class FragmentEntry:
    type_condition: str
    children: SelectionNode


@dataclass(eq=False, slots=True)
class SelectionNode:
    """An ordered, de-duplicated selection set of one subgraph query."""

    entries: dict[tuple[object, ...], FieldEntry | FragmentEntry] = field(default_factory=dict)

    def add_field(
        self,
        response_key: str,
        name: str,
        arguments: str = "",
        *,
        directives: str = "",
        conditions: tuple[Condition, ...] = (),
        composite: bool = False,
    ) -> SelectionNode | None:
        key = ("f", response_key, name, arguments, directives, conditions)
        entry = self.entries.get(key)
        if entry is None:
            entry = FieldEntry(
                response_key,
                name,
                arguments,
                directives,
                conditions,
                SelectionNode() if composite else None,
            )
            self.entries[key] = entry
        return entry.children  # type: ignore[union-attr]

    def add_fragment(self, type_condition: str) -> SelectionNode:
        key = ("t", type_condition)
        entry = self.entries.get(key)
        if entry is None:
            entry = FragmentEntry(type_condition, SelectionNode())
            self.entries[key] = entry
        return entry.children  # type: ignore[union-attr]

    def used_keys(self) -> dict[str, tuple[str, str]]:
        return {
            e.response_key: (e.name, e.arguments)
            for e in self.entries.values()
            if isinstance(e, FieldEntry)
        }

    def print(self) -> str:
        parts: list[str] = []
        for entry in self.entries.values():
            if isinstance(entry, FragmentEntry):
                if entry.children.entries:
                    parts.append(f"... on {entry.type_condition} {entry.children.print()}")
                continue
            text = (
                entry.name
                if entry.response_key == entry.name
                else (f"{entry.response_key}: {entry.name}")
            )
            text += entry.arguments
            # One @skip and one @include fit on the field; more wrap it in inline fragments.
            wrappers: list[Condition] = []
            seen: set[bool] = set()
            for condition in entry.conditions:
                if condition.keep_if in seen:
                    wrappers.append(condition)
                else:
                    seen.add(condition.keep_if)
                    text += " " + condition.directive_text
            if entry.directives:
                text += " " + entry.directives
            if entry.children is not None:
                text += " " + (
                    entry.children.print() if entry.children.entries else "{ __typename }"
                )
            for condition in wrappers:
                text = f"... {condition.directive_text} {{ {text} }}"
            parts.append(text)
        return "{ " + " ".join(parts) + " }"

    def variables(self) -> set[str]:
        """Variables used in conditions (arguments' variables are tracked by the planner)."""
        out: set[str] = set()
        for entry in self.entries.values():
            if isinstance(entry, FieldEntry):
                out.update(c.variable for c in entry.conditions)
            if entry.children is not None:
                out.update(entry.children.variables())
        return out
