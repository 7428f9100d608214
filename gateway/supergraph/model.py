"""The typed model of a supergraph: which subgraph serves which type and field, and how."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graphql import GraphQLSchema

from gateway.supergraph.access import AccessRequirement
from gateway.supergraph.fieldset import FieldSet


@dataclass(frozen=True, slots=True)
class Graph:
    """A subgraph as the supergraph names it (`join__Graph` value) and where it is served."""

    enum_value: str
    name: str
    url: str


@dataclass(frozen=True, slots=True)
class EntityKey:
    graph: str
    fields: FieldSet
    resolvable: bool


@dataclass(slots=True)
class FieldJoin:
    """One `@join__field` of a field (graph None: the field is declared but in no subgraph)."""

    graph: str | None
    requires: FieldSet | None = None
    provides: FieldSet | None = None
    type: str | None = None
    external: bool = False
    override: str | None = None
    override_label: str | None = None
    used_overridden: bool = False


@dataclass(slots=True)
class FieldDef:
    name: str
    type_name: str  # the named (innermost) type
    joins: list[FieldJoin] = field(default_factory=list)
    # Filled by the loader: graphs that resolve the field for client selections.
    resolvable_in: frozenset[str] = frozenset()
    # Graphs where the field exists but only as external (usable through @provides or as key).
    external_in: frozenset[str] = frozenset()
    requires: dict[str, FieldSet] = field(default_factory=dict)
    provides: dict[str, FieldSet] = field(default_factory=dict)
    inaccessible: bool = False
    # @authenticated / @requiresScopes / @policy on the field definition.
    access: AccessRequirement | None = None


@dataclass(slots=True)
class TypeDef:
    name: str
    kind: str  # object | interface | union | enum | input | scalar
    graphs: list[str] = field(default_factory=list)  # graphs that define the type
    keys: list[EntityKey] = field(default_factory=list)
    interface_object_in: set[str] = field(default_factory=set)
    extension_in: set[str] = field(default_factory=set)
    fields: dict[str, FieldDef] = field(default_factory=dict)
    interfaces: list[str] = field(default_factory=list)  # supergraph-wide
    implements_in: dict[str, set[str]] = field(default_factory=dict)  # graph -> interfaces
    members: list[str] = field(default_factory=list)  # union members, supergraph-wide
    members_in: dict[str, set[str]] = field(default_factory=dict)  # graph -> union members
    inaccessible: bool = False
    # @authenticated / @requiresScopes / @policy on the type: they guard fields returning it.
    access: AccessRequirement | None = None

    @property
    def is_abstract(self) -> bool:
        return self.kind in ("interface", "union")

    def keys_in(self, graph: str, *, resolvable_only: bool = False) -> list[EntityKey]:
        return [k for k in self.keys if k.graph == graph and (k.resolvable or not resolvable_only)]


@dataclass(slots=True)
class Supergraph:
    graphs: dict[str, Graph]  # by subgraph name
    types: dict[str, TypeDef]
    query_type: str
    mutation_type: str | None
    subscription_type: str | None
    api_schema: GraphQLSchema
    join_version: str
    # interface (or union) name -> object types implementing it (supergraph-wide)
    possible_types: dict[str, list[str]] = field(default_factory=dict)
    # True when any type or field carries an access directive (else authorization is skipped).
    has_access_control: bool = False
    # @cost / @listSize by schema coordinate (gateway.limits.cost), for the cost budget.
    costs: Any = None

    def root_type(self, operation: str) -> str | None:
        return {
            "query": self.query_type,
            "mutation": self.mutation_type,
            "subscription": self.subscription_type,
        }[operation]
