# ruff: noqa: E501 - the join and link spec definitions are kept as Apollo prints them
"""Prints the merged schema as a supergraph SDL in Apollo's format (`join` v0.5).

The output is deterministic: subgraphs in name order, types in name order, fields in the
order the subgraphs declare them, so a composed supergraph can be checked in and diffed.
"""

from __future__ import annotations

import json
import re

from graphql import DirectiveNode, print_ast

from gateway.composition.merge import (
    MergedArgument,
    MergedField,
    MergedSchema,
    MergedType,
    named,
)
from gateway.supergraph.sdl_kinds import EXECUTABLE_LOCATIONS

LINK_HEADER = """directive @link(url: String, as: String, for: link__Purpose, import: [link__Import]) repeatable on SCHEMA

directive @join__enumValue(graph: join__Graph!) repeatable on ENUM_VALUE

directive @join__field(graph: join__Graph, requires: join__FieldSet, provides: join__FieldSet, type: String, external: Boolean, override: String, usedOverridden: Boolean, overrideLabel: String, contextArguments: [join__ContextArgument!]) repeatable on FIELD_DEFINITION | INPUT_FIELD_DEFINITION

directive @join__graph(name: String!, url: String!) on ENUM_VALUE

directive @join__implements(graph: join__Graph!, interface: String!) repeatable on OBJECT | INTERFACE

directive @join__type(graph: join__Graph!, key: join__FieldSet, extension: Boolean! = false, resolvable: Boolean! = true, isInterfaceObject: Boolean! = false) repeatable on OBJECT | INTERFACE | UNION | ENUM | INPUT_OBJECT | SCALAR

directive @join__unionMember(graph: join__Graph!, member: String!) repeatable on UNION

input join__ContextArgument {
  name: String!
  type: String!
  context: String!
  selection: join__FieldValue!
}

scalar join__FieldSet

scalar join__FieldValue

scalar link__Import

enum link__Purpose {
  \"\"\"
  `SECURITY` features provide metadata necessary to securely resolve fields.
  \"\"\"
  SECURITY

  \"\"\"
  `EXECUTION` features provide metadata necessary for operation execution.
  \"\"\"
  EXECUTION
}"""

INACCESSIBLE_DEFINITION = (
    "directive @inaccessible on FIELD_DEFINITION | OBJECT | INTERFACE | UNION | "
    "ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | INPUT_FIELD_DEFINITION"
)
TAG_DEFINITION = (
    "directive @tag(name: String!) repeatable on FIELD_DEFINITION | OBJECT | INTERFACE | "
    "UNION | ARGUMENT_DEFINITION | SCALAR | ENUM | ENUM_VALUE | INPUT_OBJECT | "
    "INPUT_FIELD_DEFINITION | SCHEMA"
)
_NON_NAME = re.compile(r"[^A-Za-z0-9_]")


def graph_enum_values(names: list[str]) -> dict[str, str]:
    """Subgraph name -> its `join__Graph` value (upper case, made a valid and unique name)."""
    out: dict[str, str] = {}
    used: set[str] = set()
    for name in names:
        value = _NON_NAME.sub("_", name).upper()
        if not value or value[0].isdigit():
            value = "_" + value
        candidate, counter = value, 1
        while candidate in used:
            candidate = f"{value}_{counter}"
            counter += 1
        used.add(candidate)
        out[name] = candidate
    return out


def print_supergraph(schema: MergedSchema, overrides: dict[tuple[str, str], dict[str, str]]) -> str:
    """`overrides`: (type, field) -> {graph: "used" | "dropped"} for overridden sources."""
    return _Printer(schema, overrides).print()


class _Printer:
    def __init__(
        self, schema: MergedSchema, overrides: dict[tuple[str, str], dict[str, str]]
    ) -> None:
        self.schema = schema
        self.overrides = overrides
        self.graphs = graph_enum_values(list(schema.subgraphs))

    def print(self) -> str:
        types = self.schema.types
        uses_inaccessible = any(_uses_inaccessible(t) for t in types.values())
        uses_tag = any(_uses_tag(t) for t in types.values())
        links = [
            '@link(url: "https://specs.apollo.dev/link/v1.0")',
            '@link(url: "https://specs.apollo.dev/join/v0.5", for: EXECUTION)',
        ]
        if uses_inaccessible:
            links.append('@link(url: "https://specs.apollo.dev/inaccessible/v0.2", for: SECURITY)')
        if uses_tag:
            links.append('@link(url: "https://specs.apollo.dev/tag/v0.3")')
        applied = _applied_names(self.schema)
        links.extend(
            _APPLIED_SPECS[spec][0]
            for spec in ("authenticated", "requiresScopes", "policy", "cost")
            if spec in applied
        )
        roots = [
            f"  {op}: {name}"
            for op, name in (
                ("query", "Query"),
                ("mutation", "Mutation"),
                ("subscription", "Subscription"),
            )
            if name in types
        ]
        blocks = ["schema\n  " + "\n  ".join(links) + "\n{\n" + "\n".join(roots) + "\n}"]
        blocks.append(LINK_HEADER)
        if uses_inaccessible:
            blocks.append(INACCESSIBLE_DEFINITION)
        if uses_tag:
            blocks.append(TAG_DEFINITION)
        for spec in ("authenticated", "requiresScopes", "policy", "cost"):
            if spec in applied:
                blocks.extend(_APPLIED_SPECS[spec][1])
        blocks.extend(self._executable_directives())
        graph_lines = [
            f'  {value} @join__graph(name: "{name}", url: {json.dumps(self.schema.subgraphs[name].url)})'
            for name, value in self.graphs.items()
        ]
        blocks.append("enum join__Graph {\n" + "\n".join(graph_lines) + "\n}")
        for name in sorted(types):
            blocks.append(self._type(types[name]))
        return "\n\n".join(blocks) + "\n"

    def _executable_directives(self) -> list[str]:
        """Executable directives every subgraph defines (clients may use them anywhere)."""
        subgraphs = list(self.schema.subgraphs.values())
        if not subgraphs:
            return []
        common = set(subgraphs[0].directive_definitions)
        for subgraph in subgraphs[1:]:
            common &= set(subgraph.directive_definitions)
        out = []
        for name in sorted(common):
            definitions = [s.directive_definitions[name] for s in subgraphs]
            locations = [
                loc.value
                for loc in definitions[0].locations
                if loc.value in EXECUTABLE_LOCATIONS
                and all(loc.value in {x.value for x in d.locations} for d in definitions)
            ]
            if not locations:
                continue
            args = ""
            if definitions[0].arguments:
                args = "(" + ", ".join(print_ast(a) for a in definitions[0].arguments) + ")"
            repeatable = " repeatable" if definitions[0].repeatable else ""
            out.append(f"directive @{name}{args}{repeatable} on {' | '.join(locations)}")
        return out

    # -- types -----------------------------------------------------------------------------

    def _type(self, merged: MergedType) -> str:
        keyword = {
            "object": "type",
            "interface": "interface",
            "union": "union",
            "enum": "enum",
            "input": "input",
            "scalar": "scalar",
        }[merged.kind]
        head = _description(merged.description, "") + f"{keyword} {merged.name}"
        if merged.kind in ("object", "interface") and merged.interfaces:
            head += " implements " + " & ".join(merged.interfaces)
        directives = self._type_directives(merged)
        head += "".join(f"\n  {d}" for d in directives)
        if merged.kind == "union":
            return head + (" = " + " | ".join(merged.members) if merged.members else "")
        if merged.kind == "scalar":
            return head
        if merged.kind == "enum":
            body = [self._enum_value(merged, name) for name in merged.values]
        elif merged.kind == "input":
            body = [self._input_field(f) for f in merged.fields.values()]
        else:
            body = [self._field(merged, f) for f in merged.fields.values()]
        return head + "\n{\n" + "\n".join(body) + "\n}"

    def _type_directives(self, merged: MergedType) -> list[str]:
        out: list[str] = []
        graphs = list(merged.per_graph)
        if merged.name == "Query":
            graphs = list(self.schema.subgraphs)
        for graph in graphs:
            value = self.graphs[graph]
            sub_type = merged.per_graph.get(graph)
            if sub_type is None or not sub_type.keys:
                extra = ""
                if sub_type is not None and sub_type.interface_object:
                    extra += ", isInterfaceObject: true"
                if sub_type is not None and _extends(sub_type):
                    extra += ", extension: true"
                out.append(f"@join__type(graph: {value}{extra})")
                continue
            for key in sub_type.keys:
                extra = ""
                if _extends(sub_type):
                    extra += ", extension: true"
                if not key.resolvable:
                    extra += ", resolvable: false"
                if sub_type.interface_object:
                    extra += ", isInterfaceObject: true"
                out.append(f"@join__type(graph: {value}, key: {json.dumps(key.fields)}{extra})")
        if merged.kind in ("object", "interface"):
            for graph, sub_type in merged.per_graph.items():
                for interface in sub_type.interfaces:
                    out.append(
                        f'@join__implements(graph: {self.graphs[graph]}, interface: "{interface}")'
                    )
        if merged.kind == "union":
            for graph, sub_type in merged.per_graph.items():
                for member in sub_type.members:
                    out.append(
                        f'@join__unionMember(graph: {self.graphs[graph]}, member: "{member}")'
                    )
        out.extend(_security(merged.inaccessible, merged.tags))
        out.extend(_applied([t.applied for t in merged.per_graph.values()]))
        if merged.specified_by is not None:
            out.append(print_ast(merged.specified_by))  # type: ignore[arg-type]
        return out

    def _field(self, parent: MergedType, merged: MergedField) -> str:
        text = _description(merged.description, "  ") + "  " + merged.name
        if merged.arguments:
            text += "(" + ", ".join(self._argument(a) for a in merged.arguments.values()) + ")"
        text += ": " + print_ast(merged.type)
        directives = self._join_fields(parent, merged)
        directives.extend(_security(merged.inaccessible, merged.tags))
        resolving = [f for f in merged.per_graph.values() if not f.external]
        directives.extend(_applied([f.applied for f in resolving or merged.per_graph.values()]))
        if isinstance(merged.deprecated, DirectiveNode):
            directives.append(print_ast(merged.deprecated))
        return text + "".join(" " + d for d in directives)

    def _join_fields(self, parent: MergedType, merged: MergedField) -> list[str]:
        if merged.via_interface_object:
            return ["@join__field"]
        overridden = self.overrides.get((parent.name, merged.name), {})
        type_graphs = (
            list(self.schema.subgraphs) if parent.name == "Query" else list(parent.per_graph)
        )
        # Progressive overrides: the label goes on both the overriding and the overridden copy.
        labels = {
            sub_field.override: sub_field.override_label
            for sub_field in merged.per_graph.values()
            if sub_field.override in overridden and sub_field.override_label
        }
        needed = (
            merged.types_differ
            or bool(overridden)
            or any(f.external or f.requires or f.provides for f in merged.per_graph.values())
            or any(g not in merged.per_graph for g in type_graphs)
        )
        if not needed:
            return []
        out = []
        for graph, sub_field in merged.per_graph.items():
            state = overridden.get(graph)
            if state == "dropped" and graph not in labels:
                continue
            args = [f"graph: {self.graphs[graph]}"]
            if sub_field.requires:
                args.append(f"requires: {json.dumps(sub_field.requires)}")
            if sub_field.provides:
                args.append(f"provides: {json.dumps(sub_field.provides)}")
            if merged.types_differ:
                args.append(f"type: {json.dumps(print_ast(sub_field.type))}")
            if sub_field.external:
                args.append("external: true")
            if sub_field.override:  # printed as Apollo does, even when it names no subgraph
                args.append(f"override: {json.dumps(sub_field.override)}")
                if sub_field.override_label and sub_field.override in overridden:
                    args.append(f"overrideLabel: {json.dumps(sub_field.override_label)}")
            if state == "used":
                args.append("usedOverridden: true")
            if graph in labels:
                args.append(f"overrideLabel: {json.dumps(labels[graph])}")
            out.append(f"@join__field({', '.join(args)})")
        return out

    def _argument(self, argument: MergedArgument) -> str:
        text = (
            _inline_description(argument.description)
            + f"{argument.name}: {print_ast(argument.type)}"
        )
        if argument.default is not None:
            text += f" = {print_ast(argument.default)}"  # type: ignore[arg-type]
        extra = _security(argument.inaccessible, argument.tags)
        extra.extend(_applied([a.applied for a in argument.per_graph.values()]))
        if isinstance(argument.deprecated, DirectiveNode):
            extra.append(print_ast(argument.deprecated))
        return text + "".join(" " + d for d in extra)

    def _input_field(self, merged: MergedField) -> str:
        text = _description(merged.description, "  ") + f"  {merged.name}: {print_ast(merged.type)}"
        if merged.default is not None:
            text += f" = {print_ast(merged.default)}"  # type: ignore[arg-type]
        directives = _security(merged.inaccessible, merged.tags)
        directives.extend(_applied([f.applied for f in merged.per_graph.values()]))
        if isinstance(merged.deprecated, DirectiveNode):
            directives.append(print_ast(merged.deprecated))
        return text + "".join(" " + d for d in directives)

    def _enum_value(self, merged: MergedType, name: str) -> str:
        value = merged.values[name]
        directives = [f"@join__enumValue(graph: {self.graphs[g]})" for g in value.graphs]
        directives.extend(_security(value.inaccessible, value.tags))
        if isinstance(value.deprecated, DirectiveNode):
            directives.append(print_ast(value.deprecated))
        return (
            _description(value.description, "  ")
            + f"  {name}"
            + "".join(" " + d for d in directives)
        )


def _extends(sub_type: object) -> bool:
    return bool(getattr(sub_type, "extends_directive", False))


def _security(inaccessible: bool, tags: list[str]) -> list[str]:
    out = ["@inaccessible"] if inaccessible else []
    out.extend(f"@tag(name: {json.dumps(t)})" for t in tags)
    return out


_ACCESS_LOCATIONS = "FIELD_DEFINITION | OBJECT | INTERFACE | SCALAR | ENUM"
# spec -> (its @link in the supergraph, its definitions)
_APPLIED_SPECS = {
    "authenticated": (
        '@link(url: "https://specs.apollo.dev/authenticated/v0.1", for: SECURITY)',
        [f"directive @authenticated on {_ACCESS_LOCATIONS}"],
    ),
    "requiresScopes": (
        '@link(url: "https://specs.apollo.dev/requiresScopes/v0.1", for: SECURITY)',
        [
            "directive @requiresScopes(scopes: [[requiresScopes__Scope!]!]!) on "
            + _ACCESS_LOCATIONS,
            "scalar requiresScopes__Scope",
        ],
    ),
    "policy": (
        '@link(url: "https://specs.apollo.dev/policy/v0.1", for: SECURITY)',
        [
            f"directive @policy(policies: [[policy__Policy!]!]!) on {_ACCESS_LOCATIONS}",
            "scalar policy__Policy",
        ],
    ),
    "cost": (
        '@link(url: "https://specs.apollo.dev/cost/v0.1", import: ["@listSize"])',
        [
            "directive @cost(weight: Int!) on ARGUMENT_DEFINITION | ENUM | FIELD_DEFINITION | "
            "INPUT_FIELD_DEFINITION | OBJECT | SCALAR",
            "directive @listSize(assumedSize: Int, slicingArguments: [String!], "
            "sizedFields: [String!], requireOneSlicingArgument: Boolean = true) "
            "on FIELD_DEFINITION",
        ],
    ),
}


def _applied_names(schema: MergedSchema) -> set[str]:
    """The specs of the access-control and cost directives any subgraph applies."""
    names: set[str] = set()
    for subgraph in schema.subgraphs.values():
        for sub_type in subgraph.types.values():
            names.update(sub_type.applied)
            for sub_field in sub_type.fields.values():
                names.update(sub_field.applied)
                for argument in sub_field.arguments.values():
                    names.update(argument.applied)
    if "listSize" in names:
        names.add("cost")
    return names


def _applied(per_graph: list[dict[str, list[dict[str, object]]]]) -> list[str]:
    """Access-control and cost directives merged as Apollo's composition merges them: any
    @authenticated; scope and policy requirements of all subgraphs combined (each subgraph's
    requirement must hold); the highest @cost; @listSize's largest assumed size and the union
    of its slicing arguments and sized fields."""
    out: list[str] = []
    merged: dict[str, list[dict[str, object]]] = {}
    for applied in per_graph:
        for name, applications in applied.items():
            merged.setdefault(name, []).extend(applications)
    if "authenticated" in merged:
        out.append("@authenticated")
    for name, argument in (("requiresScopes", "scopes"), ("policy", "policies")):
        if name in merged:
            requirement = _all_of([a.get(argument) or [] for a in merged[name]])
            out.append(f"@{name}({argument}: {json.dumps(requirement, separators=(', ', ': '))})")
    if "listSize" in merged:
        out.append(_list_size(merged["listSize"]))
    if "cost" in merged:
        weights = [int(a["weight"]) for a in merged["cost"] if a.get("weight") is not None]
        if weights:
            out.append(f"@cost(weight: {max(weights)})")
    return out


def _all_of(requirements: list[object]) -> list[list[str]]:
    """The conjunction of requirements in disjunctive normal form (lists of alternatives, each
    a list of names that must all hold), reduced: no alternative containing another."""
    result: list[frozenset[str]] = [frozenset()]
    for requirement in requirements:
        alternatives = [frozenset(str(n) for n in group) for group in requirement or []]  # type: ignore[union-attr]
        result = [r | a for r in result for a in alternatives]
    reduced = {r for r in result if not any(o < r for o in result)}
    return sorted((sorted(r) for r in reduced), key=lambda r: (len(r), r))


def _list_size(applications: list[dict[str, object]]) -> str:
    args: list[str] = []
    sizes = [int(a["assumedSize"]) for a in applications if a.get("assumedSize") is not None]  # type: ignore[call-overload]
    if sizes:
        args.append(f"assumedSize: {max(sizes)}")
    for name in ("slicingArguments", "sizedFields"):
        values: list[str] = []
        for application in applications:
            for value in application.get(name) or []:  # type: ignore[attr-defined]
                if value not in values:
                    values.append(str(value))
        if values:
            args.append(f"{name}: {json.dumps(values, separators=(', ', ': '))}")
    if any(a.get("requireOneSlicingArgument") is False for a in applications):
        args.append("requireOneSlicingArgument: false")
    return "@listSize" + (f"({', '.join(args)})" if args else "")


def _uses_inaccessible(merged: MergedType) -> bool:
    if merged.inaccessible or any(v.inaccessible for v in merged.values.values()):
        return True
    return any(
        f.inaccessible or any(a.inaccessible for a in f.arguments.values())
        for f in merged.fields.values()
    )


def _uses_tag(merged: MergedType) -> bool:
    if merged.tags or any(v.tags for v in merged.values.values()):
        return True
    return any(f.tags or any(a.tags for a in f.arguments.values()) for f in merged.fields.values())


def _description(text: str | None, indent: str) -> str:
    if not text:
        return ""
    body = text.replace('"""', '\\"""')
    lines = "\n".join(indent + line if line else "" for line in body.split("\n"))
    return f'{indent}"""\n{lines}\n{indent}"""\n'


def _inline_description(text: str | None) -> str:
    if not text:
        return ""
    return json.dumps(text) + " "


__all__ = ["graph_enum_values", "named", "print_supergraph"]
