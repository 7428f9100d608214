"""A subgraph's SDL read into what composition needs: types, fields and their federation
directives under their canonical names, whatever the subgraph imported or renamed.

Federation 2 SDL names its directives through `@link(url: ".../federation/v2.x", import:)`
(bare when imported, `@federation__key` otherwise, renamed with `as`); Federation 1 SDL uses
them bare and marks entity extensions with `extend type` or `@extends`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from graphql import (
    DirectiveDefinitionNode,
    DirectiveNode,
    DocumentNode,
    EnumTypeExtensionNode,
    GraphQLError,
    InputObjectTypeExtensionNode,
    InputValueDefinitionNode,
    InterfaceTypeExtensionNode,
    ObjectTypeExtensionNode,
    ScalarTypeExtensionNode,
    SchemaDefinitionNode,
    SchemaExtensionNode,
    TypeNode,
    UnionTypeExtensionNode,
    parse,
    value_from_ast_untyped,
)

from gateway.composition.errors import CompositionError
from gateway.composition.subgraph_validation import graphql_errors
from gateway.supergraph.sdl_kinds import TYPE_KINDS

FEDERATION_DIRECTIVES = (
    "key",
    "requires",
    "provides",
    "external",
    "shareable",
    "override",
    "inaccessible",
    "tag",
    "extends",
    "interfaceObject",
    "composeDirective",
    "authenticated",
    "requiresScopes",
    "policy",
    "cost",
    "listSize",
    "context",
    "fromContext",
)
# Types and fields every subgraph library adds for the gateway; never part of a supergraph.
FEDERATION_TYPES = frozenset(
    {"_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "link__Import", "link__Purpose"}
)
FEDERATION_ROOT_FIELDS = frozenset({"_entities", "_service"})
_FEDERATION_URL = re.compile(r"^https?://[^/]+/federation/v(?P<version>\d+\.\d+)$")
_EXTENSIONS = (
    ObjectTypeExtensionNode,
    InterfaceTypeExtensionNode,
    UnionTypeExtensionNode,
    EnumTypeExtensionNode,
    InputObjectTypeExtensionNode,
    ScalarTypeExtensionNode,
)


# Federation directives the supergraph keeps, merged across subgraphs (access control, cost).
APPLIED_DIRECTIVES = ("authenticated", "requiresScopes", "policy", "cost", "listSize")
# canonical name -> the arguments of each application
Applied = dict[str, list[dict[str, Any]]]


@dataclass(frozen=True, slots=True)
class SubgraphInput:
    name: str
    url: str
    sdl: str


@dataclass(slots=True)
class Key:
    fields: str
    resolvable: bool = True


@dataclass(slots=True)
class SubArgument:
    name: str
    type: TypeNode
    default: Any  # an AST value node, or None
    description: str | None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: DirectiveNode | None = None
    applied: Applied = field(default_factory=dict)


@dataclass(slots=True)
class SubField:
    name: str
    type: TypeNode
    description: str | None = None
    arguments: dict[str, SubArgument] = field(default_factory=dict)
    external: bool = False
    requires: str | None = None
    provides: str | None = None
    shareable: bool = False
    override: str | None = None
    override_label: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: DirectiveNode | None = None
    default: Any = None  # input fields
    other_directives: list[DirectiveNode] = field(default_factory=list)
    applied: Applied = field(default_factory=dict)


@dataclass(slots=True)
class SubEnumValue:
    name: str
    description: str | None = None
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    deprecated: DirectiveNode | None = None


@dataclass(slots=True)
class SubType:
    name: str
    kind: str
    description: str | None = None
    keys: list[Key] = field(default_factory=list)
    extension: bool = False  # only extended here (`extend type` or `@extends`)
    external: bool = False  # type-level @external (Federation 2)
    extends_directive: bool = False  # marked `@extends` (printed as join__type extension)
    shareable: bool = False
    interface_object: bool = False
    inaccessible: bool = False
    tags: list[str] = field(default_factory=list)
    interfaces: list[str] = field(default_factory=list)
    members: list[str] = field(default_factory=list)
    values: dict[str, SubEnumValue] = field(default_factory=dict)
    fields: dict[str, SubField] = field(default_factory=dict)
    specified_by: DirectiveNode | None = None
    applied: Applied = field(default_factory=dict)


@dataclass(slots=True)
class Subgraph:
    name: str
    url: str
    types: dict[str, SubType]
    roots: dict[str, str]  # operation -> the subgraph's own root type name
    federation_version: str | None  # None for Federation 1 SDL
    directive_definitions: dict[str, DirectiveDefinitionNode] = field(default_factory=dict)

    @property
    def is_fed1(self) -> bool:
        return self.federation_version is None


def read_subgraph(source: SubgraphInput) -> Subgraph:
    try:
        document = parse(source.sdl)
    except GraphQLError as error:
        raise CompositionError(
            "INVALID_GRAPHQL",
            f"[{source.name}] the schema does not parse: {error.message}",
            subgraphs=(source.name,),
            hint="fix the subgraph's SDL syntax",
        ) from None
    return _Reader(source, document).read()


def _string(node: Any) -> str | None:
    return node.value if node is not None else None


class _Reader:
    def __init__(self, source: SubgraphInput, document: DocumentNode) -> None:
        self.source = source
        self.document = document
        self.names: dict[str, str] = {}  # local directive name -> canonical federation name
        self.federation_version: str | None = None
        self.link_names: set[str] = set()

    def read(self) -> Subgraph:
        self._read_links()
        problems = graphql_errors(self.document, self.names)
        if problems:
            raise CompositionError(
                "INVALID_GRAPHQL",
                f'[{self.source.name}] the schema of subgraph "{self.source.name}" is not valid '
                "GraphQL: " + " ".join(problems),
                subgraphs=(self.source.name,),
                hint="fix the subgraph's schema: define every type and directive it uses "
                "(federation's own are known by the names its @link imports), and make "
                "every type implement all fields of its interfaces",
            )
        roots = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
        types: dict[str, SubType] = {}
        definitions: dict[str, DirectiveDefinitionNode] = {}
        defined: set[str] = set()
        for node in self.document.definitions:
            if isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
                for op in node.operation_types or ():
                    roots[op.operation.value] = op.type.name.value
                continue
            if isinstance(node, DirectiveDefinitionNode):
                definitions[node.name.value] = node
                continue
            kind = TYPE_KINDS.get(type(node))
            if kind is None:
                continue
            name = node.name.value  # type: ignore[attr-defined]
            if name in FEDERATION_TYPES or name.startswith(("federation__", "link__")):
                continue
            sub_type = types.get(name)
            if sub_type is None:
                sub_type = SubType(name, kind)
                types[name] = sub_type
            elif sub_type.kind != kind:
                raise CompositionError(
                    "TYPE_KIND_MISMATCH",
                    f"[{self.source.name}] type {name} is declared as both "
                    f"{sub_type.kind} and {kind}",
                    subgraphs=(self.source.name,),
                    type_name=name,
                    hint="use one kind for the type",
                )
            if not isinstance(node, _EXTENSIONS):
                defined.add(name)
            self._read_type(sub_type, node)
        for sub_type in types.values():
            if sub_type.external:
                for sub_field in sub_type.fields.values():
                    sub_field.external = True
        for name, sub_type in types.items():
            if name not in defined:
                sub_type.extension = True  # only ever extended in this subgraph
        # Root types are known by their default names in the supergraph.
        renamed = {own: default for default, own in _defaults(roots).items() if own != default}
        for own, default in renamed.items():
            if own in types:
                sub_type = types.pop(own)
                sub_type.name = default
                types[default] = sub_type
        query = types.get("Query")
        if query is not None:
            for name in FEDERATION_ROOT_FIELDS:
                query.fields.pop(name, None)
            if not query.fields:
                del types["Query"]
        defaults = {"query": "Query", "mutation": "Mutation", "subscription": "Subscription"}
        return Subgraph(
            self.source.name,
            self.source.url,
            types,
            {op: name for op, name in defaults.items() if name in types},
            self.federation_version,
            {
                k: v
                for k, v in definitions.items()
                if k not in self.names and k not in self.link_names
            },
        )

    def _read_links(self) -> None:
        fed2 = False
        for node in self.document.definitions:
            if not isinstance(node, SchemaDefinitionNode | SchemaExtensionNode):
                continue
            for directive in node.directives or ():
                if directive.name.value != "link":
                    continue
                args = {
                    a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()
                }
                url = str(args.get("url") or "")
                match = _FEDERATION_URL.match(url)
                if not match:
                    if "/link/" in url:
                        self.link_names.add("link")
                    continue
                fed2 = True
                self.federation_version = match["version"]
                prefix = (args.get("as") or "federation") + "__"
                for name in FEDERATION_DIRECTIVES:
                    self.names[prefix + name] = name
                for imported in args.get("import") or ():
                    if isinstance(imported, str):
                        local = target = imported
                    else:
                        target = imported.get("name", "")
                        local = imported.get("as", target)
                    target, local = target.lstrip("@"), local.lstrip("@")
                    if target in FEDERATION_DIRECTIVES:
                        self.names[local] = target
        if not fed2:
            # Federation 1: the directives are used bare.
            for name in FEDERATION_DIRECTIVES:
                self.names[name] = name

    def _federation(self, node: Any) -> dict[str, list[dict[str, Any]]]:
        found: dict[str, list[dict[str, Any]]] = {}
        for directive in node.directives or ():
            canonical = self.names.get(directive.name.value)
            if canonical is None:
                continue
            args = {
                a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()
            }
            found.setdefault(canonical, []).append(args)
        return found

    def _others(self, node: Any) -> list[DirectiveNode]:
        return [
            d
            for d in node.directives or ()
            if d.name.value not in self.names and d.name.value not in ("deprecated", "link")
        ]

    def _read_type(self, sub_type: SubType, node: Any) -> None:
        federation = self._federation(node)
        if sub_type.description is None:
            sub_type.description = _string(getattr(node, "description", None))
        for args in federation.get("key", ()):
            fields = args.get("fields", "")
            if isinstance(fields, list) and self.federation_version is None:
                fields = " ".join(str(f) for f in fields)  # Federation 1 accepted a list
            sub_type.keys.append(Key(str(fields), args.get("resolvable", True)))
        if "extends" in federation:
            sub_type.extension = True
            sub_type.extends_directive = True
        sub_type.shareable = sub_type.shareable or "shareable" in federation
        sub_type.interface_object = sub_type.interface_object or "interfaceObject" in federation
        _add_applied(sub_type.applied, federation)
        sub_type.inaccessible = sub_type.inaccessible or "inaccessible" in federation
        sub_type.tags.extend(str(a.get("name")) for a in federation.get("tag", ()))
        for directive in node.directives or ():
            if directive.name.value == "specifiedBy":
                sub_type.specified_by = directive
        sub_type.interfaces.extend(i.name.value for i in getattr(node, "interfaces", None) or ())
        sub_type.members.extend(t.name.value for t in getattr(node, "types", None) or ())
        for value in getattr(node, "values", None) or ():
            value_federation = self._federation(value)
            sub_type.values[value.name.value] = SubEnumValue(
                value.name.value,
                _string(value.description),
                "inaccessible" in value_federation,
                [str(a.get("name")) for a in value_federation.get("tag", ())],
                _deprecated(value),
            )
        type_shareable = "shareable" in federation
        if "external" in federation and self.federation_version is not None:
            sub_type.external = True  # every field of the type, as Apollo applies it
        for field_node in getattr(node, "fields", None) or ():
            sub_type.fields[field_node.name.value] = self._read_field(field_node, type_shareable)

    def _read_field(self, node: Any, type_shareable: bool) -> SubField:
        federation = self._federation(node)
        override = federation.get("override", [{}])[0] if "override" in federation else {}
        sub_field = SubField(
            name=node.name.value,
            type=node.type,
            description=_string(node.description),
            external="external" in federation,
            requires=_field_set(federation, "requires"),
            provides=_field_set(federation, "provides"),
            shareable=type_shareable or "shareable" in federation,
            override=override.get("from"),
            override_label=override.get("label"),
            inaccessible="inaccessible" in federation,
            tags=[str(a.get("name")) for a in federation.get("tag", ())],
            deprecated=_deprecated(node),
            default=node.default_value if isinstance(node, InputValueDefinitionNode) else None,
            other_directives=self._others(node),
            applied=_applied(federation),
        )
        for argument in getattr(node, "arguments", None) or ():
            argument_federation = self._federation(argument)
            sub_field.arguments[argument.name.value] = SubArgument(
                argument.name.value,
                argument.type,
                argument.default_value,
                _string(argument.description),
                "inaccessible" in argument_federation,
                [str(a.get("name")) for a in argument_federation.get("tag", ())],
                _deprecated(argument),
                _applied(argument_federation),
            )
        return sub_field


def _applied(federation: dict[str, list[dict[str, Any]]]) -> Applied:
    return {name: list(federation[name]) for name in APPLIED_DIRECTIVES if name in federation}


def _add_applied(target: Applied, federation: dict[str, list[dict[str, Any]]]) -> None:
    for name, applications in _applied(federation).items():
        target.setdefault(name, []).extend(applications)


def _field_set(federation: dict[str, list[dict[str, Any]]], name: str) -> str | None:
    values = federation.get(name)
    if not values:
        return None
    return str(values[0].get("fields", ""))


def _deprecated(node: Any) -> DirectiveNode | None:
    for directive in node.directives or ():
        if directive.name.value == "deprecated":
            return directive  # type: ignore[no-any-return]
    return None


def _defaults(roots: dict[str, str]) -> dict[str, str]:
    """Map each default root name to the subgraph's own root type name."""
    return {
        "Query": roots["query"],
        "Mutation": roots["mutation"],
        "Subscription": roots["subscription"],
    }
