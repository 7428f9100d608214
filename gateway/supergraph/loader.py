"""Builds the typed supergraph model from an Apollo-format supergraph SDL."""

from __future__ import annotations

from typing import Any

from graphql import (
    DirectiveNode,
    DocumentNode,
    EnumTypeDefinitionNode,
    GraphQLError,
    ListTypeNode,
    NonNullTypeNode,
    SchemaDefinitionNode,
    TypeNode,
    UnionTypeDefinitionNode,
    UnionTypeExtensionNode,
    parse,
    value_from_ast_untyped,
)

from gateway.errors import SupergraphError
from gateway.limits.cost import read_cost_directives
from gateway.supergraph.access import AccessRequirement, combine, requirement
from gateway.supergraph.api_schema import build_api_schema
from gateway.supergraph.fieldset import parse_field_set
from gateway.supergraph.links import LinkedSpecs, read_links
from gateway.supergraph.model import EntityKey, FieldDef, FieldJoin, Graph, Supergraph, TypeDef
from gateway.supergraph.sdl_kinds import TYPE_KINDS


def load_supergraph(sdl: str) -> Supergraph:
    """Parse and index a supergraph; raise SupergraphError with a clear message if unusable."""
    try:
        document = parse(sdl, no_location=False)
    except GraphQLError as error:
        raise SupergraphError(f"supergraph SDL does not parse: {error.message}") from None
    specs = read_links(document)
    return _Loader(document, specs).load()


def named_type(node: TypeNode) -> str:
    while isinstance(node, NonNullTypeNode | ListTypeNode):
        node = node.type
    return node.name.value  # type: ignore[attr-defined]


def _args(directive: DirectiveNode, *required: str) -> dict[str, Any]:
    args = {a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()}
    for name in required:
        if args.get(name) is None:
            raise SupergraphError(f"@{directive.name.value} is missing its '{name}' argument")
    return args


class _Loader:
    def __init__(self, document: DocumentNode, specs: LinkedSpecs) -> None:
        self.document = document
        self.specs = specs
        self.join_type = specs.directive("join", "type")
        self.join_field = specs.directive("join", "field")
        self.join_graph = specs.directive("join", "graph")
        self.join_implements = specs.directive("join", "implements")
        self.join_union_member = specs.directive("join", "unionMember")
        self.join_owner = specs.directive("join", "owner")  # join v0.1
        self.inaccessible = specs.directive("inaccessible", "inaccessible")
        self.graph_enum = f"{specs.prefixes['join']}__Graph"
        self._type_directives = {
            self.join_type,
            self.join_owner,
            self.join_implements,
            self.join_union_member,
        }
        self.graphs_by_enum: dict[str, Graph] = {}
        # Local directive name -> (spec, argument) of the linked access-control specs.
        self.access_directives = {
            specs.directive(spec, spec): (spec, argument)
            for spec, argument in (
                ("authenticated", ""),
                ("requiresScopes", "scopes"),
                ("policy", "policies"),
            )
            if spec in specs.versions
        }
        self.has_access_control = False

    def load(self) -> Supergraph:
        self._read_graphs()
        types: dict[str, TypeDef] = {}
        roots = {"query": "Query", "mutation": None, "subscription": None}
        explicit_roots = False
        for definition in self.document.definitions:
            if isinstance(definition, SchemaDefinitionNode):
                explicit_roots = True
                roots = {"query": None, "mutation": None, "subscription": None}
                for op in definition.operation_types:
                    roots[op.operation.value] = op.type.name.value
            kind = TYPE_KINDS.get(type(definition))
            if kind is None:
                continue
            name = definition.name.value  # type: ignore[attr-defined]
            if self.specs.is_spec_element(name):
                continue
            type_def = types.get(name) or TypeDef(name=name, kind=kind)
            types[name] = type_def
            self._read_type(type_def, definition)
        if not explicit_roots:
            roots["mutation"] = "Mutation" if "Mutation" in types else None
            roots["subscription"] = "Subscription" if "Subscription" in types else None
        if not roots["query"] or roots["query"] not in types:
            raise SupergraphError("supergraph has no query root type")
        self._resolve_fields(types)
        possible = _possible_types(types)
        try:
            api_schema = build_api_schema(self.document, self.specs)
        except (GraphQLError, TypeError) as error:
            raise SupergraphError(f"supergraph is not a valid schema: {error}") from None
        return Supergraph(
            graphs={g.name: g for g in self.graphs_by_enum.values()},
            types=types,
            query_type=roots["query"],  # type: ignore[arg-type]
            mutation_type=roots["mutation"],
            subscription_type=roots["subscription"],
            api_schema=api_schema,
            join_version=self.specs.versions["join"],
            possible_types=possible,
            has_access_control=self.has_access_control,
            costs=read_cost_directives(self.document, self.specs),
        )

    def _read_graphs(self) -> None:
        for definition in self.document.definitions:
            if (
                isinstance(definition, EnumTypeDefinitionNode)
                and definition.name.value == self.graph_enum
            ):
                for value in definition.values or ():
                    for directive in value.directives or ():
                        if directive.name.value == self.join_graph:
                            args = _args(directive, "name")
                            graph = Graph(value.name.value, args["name"], args.get("url") or "")
                            self.graphs_by_enum[value.name.value] = graph
        if not self.graphs_by_enum:
            raise SupergraphError(f"supergraph declares no subgraphs ({self.graph_enum} is empty)")

    def _graph(self, enum_value: Any) -> str:
        graph = self.graphs_by_enum.get(str(enum_value))
        if graph is None:
            raise SupergraphError(f"unknown subgraph {enum_value!r} in a join directive")
        return graph.name

    def _is_inaccessible(self, node: Any) -> bool:
        return any(d.name.value == self.inaccessible for d in node.directives or ())

    def _access(self, node: Any) -> AccessRequirement | None:
        if not self.access_directives:
            return None
        found: list[AccessRequirement] = []
        for directive in node.directives or ():
            spec = self.access_directives.get(directive.name.value)
            if spec is not None:
                found.append(requirement(spec[0], _args(directive).get(spec[1])))
        result = combine(*found)
        self.has_access_control = self.has_access_control or result is not None
        return result

    def _read_type(self, type_def: TypeDef, node: Any) -> None:
        type_def.inaccessible = type_def.inaccessible or self._is_inaccessible(node)
        type_def.access = combine(type_def.access, self._access(node))
        for directive in node.directives or ():
            name = directive.name.value
            if name not in self._type_directives:
                continue
            args = _args(directive, "graph")
            if name == self.join_type:
                graph = self._graph(args["graph"])
                if graph not in type_def.graphs:
                    type_def.graphs.append(graph)
                if args.get("key"):
                    type_def.keys.append(
                        EntityKey(graph, parse_field_set(args["key"]), args.get("resolvable", True))
                    )
                if args.get("isInterfaceObject"):
                    type_def.interface_object_in.add(graph)
                if args.get("extension"):
                    type_def.extension_in.add(graph)
            elif name == self.join_owner:
                graph = self._graph(args["graph"])
                if graph not in type_def.graphs:
                    type_def.graphs.append(graph)
            elif name == self.join_implements:
                interface = _args(directive, "interface")["interface"]
                type_def.implements_in.setdefault(self._graph(args["graph"]), set()).add(interface)
            elif name == self.join_union_member:
                member = _args(directive, "member")["member"]
                type_def.members_in.setdefault(self._graph(args["graph"]), set()).add(member)
        for interface in getattr(node, "interfaces", None) or ():
            type_def.interfaces.append(interface.name.value)
        if isinstance(node, UnionTypeDefinitionNode | UnionTypeExtensionNode):
            type_def.members.extend(t.name.value for t in node.types or ())
        for field_node in getattr(node, "fields", None) or ():
            if type_def.kind == "input":
                continue
            field_def = FieldDef(field_node.name.value, named_type(field_node.type))
            field_def.inaccessible = self._is_inaccessible(field_node)
            field_def.access = self._access(field_node)
            for directive in field_node.directives or ():
                if directive.name.value != self.join_field:
                    continue
                args = _args(directive)
                field_def.joins.append(
                    FieldJoin(
                        graph=self._graph(args["graph"]) if args.get("graph") else None,
                        requires=parse_field_set(args["requires"])
                        if args.get("requires")
                        else None,
                        provides=parse_field_set(args["provides"])
                        if args.get("provides")
                        else None,
                        type=args.get("type"),
                        external=bool(args.get("external")),
                        override=args.get("override"),
                        override_label=args.get("overrideLabel"),
                        used_overridden=bool(args.get("usedOverridden")),
                    )
                )
            type_def.fields[field_def.name] = field_def

    def _resolve_fields(self, types: dict[str, TypeDef]) -> None:
        """Work out, per field, which subgraphs resolve it (join spec defaulting rules)."""
        for type_def in types.values():
            for field_def in type_def.fields.values():
                if not field_def.joins:
                    # No @join__field: the field lives in every subgraph that defines the type.
                    field_def.resolvable_in = frozenset(type_def.graphs)
                    continue
                resolvable: set[str] = set()
                external: set[str] = set()
                for join in field_def.joins:
                    if join.graph is None:
                        continue
                    if join.external:
                        external.add(join.graph)
                    elif not join.used_overridden:
                        resolvable.add(join.graph)
                    if join.requires is not None:
                        field_def.requires[join.graph] = join.requires
                    if join.provides is not None:
                        field_def.provides[join.graph] = join.provides
                field_def.resolvable_in = frozenset(resolvable)
                field_def.external_in = frozenset(external)


def _possible_types(types: dict[str, TypeDef]) -> dict[str, list[str]]:
    possible: dict[str, list[str]] = {}
    for type_def in types.values():
        if type_def.kind == "object":
            for interface in type_def.interfaces:
                possible.setdefault(interface, []).append(type_def.name)
        elif type_def.kind == "union":
            possible.setdefault(type_def.name, []).extend(type_def.members)
    return possible
