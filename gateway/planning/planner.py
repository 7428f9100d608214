"""Turns a normalised operation into a query plan over the supergraph.

The planner walks the operation while staying in the current subgraph as long as that
subgraph can resolve what is asked; where it cannot, it jumps through an entity key (with any
key the current subgraph can provide, through intermediate subgraphs when needed) into a
subgraph that can, fetching `@requires` fields first. Jumps to the same subgraph at the same
point with the same dependencies share one fetch, so each plan step sends one `_entities`
call per subgraph and path.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field

from gateway.errors import RequestError, graphql_error
from gateway.planning.operation import Field, Fragment, Operation, Selection, collect_fields
from gateway.planning.plan import (
    EntityRepresentation,
    EntitySection,
    FetchNode,
    FlattenNode,
    ParallelNode,
    PlanNode,
    QueryPlan,
    RepresentationField,
    SequenceNode,
)
from gateway.planning.selection import SelectionNode
from gateway.supergraph.fieldset import FieldSet, FieldSetField
from gateway.supergraph.model import EntityKey, FieldDef, Supergraph, TypeDef

INTROSPECTION_FIELDS = frozenset({"__schema", "__type"})
_COMPOSITE = frozenset({"object", "interface", "union"})


@dataclass(eq=False)
class _Group:
    """A subgraph fetch under construction."""

    id: int
    graph: str
    path: tuple[str, ...]
    display: tuple[str, ...]
    is_entity: bool
    selection: SelectionNode = field(default_factory=SelectionNode)
    deps: set[_Group] = field(default_factory=set)
    variables: set[str] = field(default_factory=set)
    entities: dict[str, EntityRepresentation] = field(default_factory=dict)
    stage: int = 0

    def __hash__(self) -> int:
        return self.id


class Planner:
    def __init__(self, supergraph: Supergraph, *, batch: bool = True) -> None:
        self.supergraph = supergraph
        # Send independent entity fetches to one subgraph in one plan step as one request.
        self.batch = batch
        self.types = supergraph.types
        self._graph_order = {name: i for i, name in enumerate(supergraph.graphs)}

    def plan(self, operation: Operation) -> QueryPlan:
        return _PlanBuilder(self, operation).build()

    # -- schema questions, shared by all plans ---------------------------------------------

    def is_subtype(self, type_name: str, condition: str | None) -> bool:
        if condition is None or condition == type_name:
            return True
        return type_name in self.supergraph.possible_types.get(condition, ())

    def runtime_types(self, abstract: TypeDef, graph: str) -> list[str]:
        """Object types a subgraph may return for an interface or union."""
        out: list[str] = []
        for name in self.supergraph.possible_types.get(abstract.name, ()):
            type_def = self.types[name]
            if graph not in type_def.graphs:
                continue
            if abstract.kind == "union":
                members = abstract.members_in.get(graph)
                if members is not None and name not in members:
                    continue
            else:
                implemented = type_def.implements_in.get(graph)
                if type_def.implements_in and (
                    implemented is None or abstract.name not in implemented
                ):
                    continue
            out.append(name)
        return out

    def is_composite(self, type_name: str) -> bool:
        type_def = self.types.get(type_name)
        return type_def is not None and type_def.kind in _COMPOSITE

    def sorted_graphs(self, graphs: set[str] | frozenset[str]) -> list[str]:
        return sorted(graphs, key=lambda g: self._graph_order.get(g, 0))

    def can_provide(
        self, graph: str, type_name: str, fields: FieldSet, provided: FieldSet | None
    ) -> bool:
        """Whether `graph` can return every field of a key/field set at this point."""
        type_def = self.types[type_name]
        for item in fields.fields_for(type_name, self.is_subtype):
            if item.name == "__typename":
                continue
            field_def = type_def.fields.get(item.name)
            if field_def is None:
                return False
            own_key = graph in field_def.external_in and any(
                item.name in {f.name for f in k.fields.fields_for(type_name)}
                for k in type_def.keys_in(graph)
            )
            if not (
                graph in field_def.resolvable_in
                or own_key
                or _provided_field(provided, type_name, item.name, self) is not None
            ):
                return False
            if item.selections is not None and not self.can_provide(
                graph,
                field_def.type_name,
                item.selections,
                _provided_child(provided, type_name, item.name, self),
            ):
                return False
        return True

    def route(
        self,
        source: str,
        type_name: str,
        target: str,
        provided: FieldSet | None,
        *,
        fields_type: str | None = None,
        unresolvable_target: bool = False,
    ) -> tuple[tuple[str, EntityKey], ...] | None:
        """Shortest chain of key jumps from `source` to `target` for entities of a type.

        `fields_type`: the type of the object at hand when it differs from the entity type
        jumped to (an implementation reaching its interface's @interfaceObject): the first
        key's fields are looked up there. `unresolvable_target`: a subgraph computing a
        @requires field receives its own entities even through a `resolvable: false` key.
        """
        type_def = self.types[type_name]
        start = (source, ())
        queue: deque[tuple[str, tuple[tuple[str, EntityKey], ...]]] = deque([start])
        seen = {source}
        while queue:
            graph, hops = queue.popleft()
            for candidate in self.sorted_graphs(set(type_def.graphs)):
                if candidate in seen and candidate != target:
                    continue
                only_resolvable = not (unresolvable_target and candidate == target)
                for key in type_def.keys_in(candidate, resolvable_only=only_resolvable):
                    if hops:
                        providable = self.can_provide(graph, type_name, key.fields, None)
                    else:
                        providable = self.can_provide(
                            graph, fields_type or type_name, key.fields, provided
                        )
                    if providable:
                        new_hops = (*hops, (candidate, key))
                        if candidate == target:
                            return new_hops
                        seen.add(candidate)
                        queue.append((candidate, new_hops))
                        break
        return None


def _provided_field(
    provided: FieldSet | None, type_name: str, name: str, planner: Planner
) -> FieldSetField | None:
    if provided is None:
        return None
    for item in provided.fields_for(type_name, planner.is_subtype):
        if item.name == name:
            return item
    return None


def _provided_child(
    provided: FieldSet | None, type_name: str, name: str, planner: Planner
) -> FieldSet | None:
    item = _provided_field(provided, type_name, name, planner)
    return item.selections if item is not None else None


class _PlanBuilder:
    def __init__(self, planner: Planner, operation: Operation) -> None:
        self.planner = planner
        self.types = planner.types
        self.operation = operation
        self.groups: list[_Group] = []
        self.index: dict[tuple[object, ...], _Group] = {}
        self.stage = 0

    # -- entry -----------------------------------------------------------------------------

    def build(self) -> QueryPlan:
        operation = self.operation
        root_name = self.planner.supergraph.root_type(operation.kind)
        if root_name is None or root_name not in self.types:
            raise RequestError([graphql_error(f"the schema has no {operation.kind} type")])
        root_type = self.types[root_name]
        fields = collect_fields(operation.selections, root_name, self.planner.is_subtype)
        previous_graph: str | None = None
        for root_field in fields:
            if root_field.name == "__typename" or root_field.name in INTROSPECTION_FIELDS:
                continue
            field_def = root_type.fields[root_field.name]
            candidates = self.planner.sorted_graphs(field_def.resolvable_in)
            if not candidates:
                raise RequestError(
                    [graphql_error(f"no subgraph resolves {root_name}.{root_field.name}")]
                )
            if operation.kind == "mutation":
                graph = previous_graph if previous_graph in candidates else candidates[0]
                if graph != previous_graph:
                    self.stage += 1
                group = self._group(("mutation-root", self.stage), graph, (), (), False, set())
            else:
                graph = self._root_graph(root_type, field_def, root_field, candidates)
                group = self._group(("root", graph), graph, (), (), False, set())
            previous_graph = graph
            self._plan_object(group, graph, root_name, [root_field], (), (), group.selection, None)
        return self._finish()

    def _root_graph(
        self, root_type: TypeDef, field_def: FieldDef, item: Field, candidates: list[str]
    ) -> str:
        """A query root field's subgraph: one already fetched from that can answer the whole
        selection, else any that can, else the one that can answer the most of it."""
        used = [g for g in candidates if ("root", g) in self.index]
        for graph in [*used, *candidates]:
            if self._subtree_local(graph, root_type.name, field_def, item, None):
                return graph
        return max(
            candidates,
            key=lambda g: self._local_share(g, root_type.name, field_def, item, None),
        )

    def _group(
        self,
        key: tuple[object, ...],
        graph: str,
        path: tuple[str, ...],
        display: tuple[str, ...],
        is_entity: bool,
        deps: set[_Group],
    ) -> _Group:
        group = self.index.get(key)
        if group is None:
            group = _Group(len(self.groups), graph, path, display, is_entity, deps=set(deps))
            group.stage = max((d.stage for d in deps), default=self.stage)
            self.groups.append(group)
            self.index[key] = group
        return group

    # -- walking the operation -------------------------------------------------------------

    def _plan_selections(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        selections: list[Selection],
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
    ) -> set[_Group]:
        type_def = self.types[type_name]
        if type_def.kind == "object":
            fields = collect_fields(selections, type_name, self.planner.is_subtype)
            return self._plan_object(group, graph, type_name, fields, path, display, sel, provided)
        if graph in type_def.interface_object_in:
            return self._plan_interface_object(
                group, graph, type_def, selections, path, display, sel, provided
            )
        touched: set[_Group] = set()
        sel.add_field("__typename", "__typename")
        for runtime in self.planner.runtime_types(type_def, graph):
            fields = collect_fields(selections, runtime, self.planner.is_subtype)
            if not fields:
                continue
            fragment = sel.add_fragment(runtime)
            touched |= self._plan_object(
                group, graph, runtime, fields, path, display, fragment, provided
            )
        return touched

    def _is_local(
        self,
        graph: str,
        type_name: str,
        field_def: FieldDef,
        provided: FieldSet | None,
        requires_ready: frozenset[str],
    ) -> bool:
        if _provided_field(provided, type_name, field_def.name, self.planner) is not None:
            return True
        if graph not in field_def.resolvable_in:
            return False
        return graph not in field_def.requires or field_def.name in requires_ready

    def _subtree_local(
        self,
        graph: str,
        type_name: str,
        field_def: FieldDef,
        item: Field,
        provided: FieldSet | None,
    ) -> bool:
        """Whether a field's value type can be completed in `graph`.

        Below a value type (no key) there is nowhere to jump, so a field whose selection
        reaches outside what `graph` offers there must be fetched from elsewhere whole.
        """
        if item.selections is None:
            return True
        child_type = self.types.get(self._local_type(field_def, graph))
        if child_type is None or child_type.kind not in _COMPOSITE or child_type.keys:
            return True
        child_provided = field_def.provides.get(graph) or _provided_child(
            provided, type_name, item.name, self.planner
        )
        runtimes = (
            [child_type.name]
            if child_type.kind == "object" or graph in child_type.interface_object_in
            else self.planner.runtime_types(child_type, graph)
        )
        for runtime in runtimes:
            runtime_def = self.types[runtime]
            if runtime_def.keys:
                continue  # an entity: whatever is missing can be fetched through its key
            for child in collect_fields(item.selections, runtime, self.planner.is_subtype):
                if child.name == "__typename":
                    continue
                child_def = runtime_def.fields.get(child.name)
                if child_def is None or not self._is_local(
                    graph, runtime, child_def, child_provided, frozenset()
                ):
                    return False
                if not self._subtree_local(graph, runtime, child_def, child, child_provided):
                    return False
        return True

    def _split_field(
        self,
        graph: str,
        type_name: str,
        field_def: FieldDef,
        item: Field,
        provided: FieldSet | None,
    ) -> tuple[Field, Field | None] | None:
        """Split a value-typed field's selection into what `graph` resolves and the rest."""
        child_name = self._local_type(field_def, graph)
        child = self.types.get(child_name)
        if child is None or child.kind != "object" or child.keys or item.selections is None:
            return None
        child_provided = field_def.provides.get(graph) or _provided_child(
            provided, type_name, item.name, self.planner
        )
        here: list[Selection] = []
        rest: list[Selection] = []
        for sub in collect_fields(item.selections, child_name, self.planner.is_subtype):
            if sub.name == "__typename":
                here.append(sub)
                continue
            sub_def = child.fields.get(sub.name)
            if sub_def is None or not self._is_local(
                graph, child_name, sub_def, child_provided, frozenset()
            ):
                rest.append(sub)
            elif self._subtree_local(graph, child_name, sub_def, sub, child_provided):
                here.append(sub)
            else:
                split = self._split_field(graph, child_name, sub_def, sub, child_provided)
                if split is None:
                    rest.append(sub)
                    continue
                here.append(split[0])
                if split[1] is not None:
                    rest.append(split[1])
        if not any(isinstance(s, Field) and s.name != "__typename" for s in here):
            return None
        return _with_selections(item, here), (_with_selections(item, rest) if rest else None)

    def _local_share(
        self,
        graph: str,
        type_name: str,
        field_def: FieldDef,
        item: Field,
        provided: FieldSet | None,
    ) -> int:
        """How many of a field's leaves `graph` can resolve here (to choose among subgraphs).

        @requires does not count against a subgraph: a jump fetches the required fields.
        """
        if graph not in field_def.resolvable_in and (
            _provided_field(provided, type_name, field_def.name, self.planner) is None
        ):
            return 0
        if item.selections is None or self._subtree_local(
            graph, type_name, field_def, item, provided
        ):
            return _leaf_count(item)
        split = self._split_field(graph, type_name, field_def, item, provided)
        return _leaf_count(split[0]) if split is not None else 0

    def _plan_object(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        fields: list[Field],
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
        requires_ready: frozenset[str] = frozenset(),
    ) -> set[_Group]:
        type_def = self.types[type_name]
        touched: set[_Group] = set()
        remaining: list[Field] = []
        for item in fields:
            if item.name == "__typename":
                sel.add_field(item.response_key, "__typename", conditions=item.conditions)
                continue
            field_def = type_def.fields.get(item.name)
            if field_def is None:
                raise RequestError(
                    [graphql_error(f"Cannot query field '{item.name}' on type '{type_name}'.")]
                )
            if not self._is_local(graph, type_name, field_def, provided, requires_ready):
                remaining.append(item)
                continue
            if not self._subtree_local(graph, type_name, field_def, item, provided):
                # A value type only partly here: take what this subgraph has, fetch the rest
                # of the same field from another subgraph; the answers merge.
                split = self._split_field(graph, type_name, field_def, item, provided)
                if split is None:
                    remaining.append(item)
                    continue
                item, rest = split
                if rest is not None:
                    remaining.append(rest)
            touched |= self._add_client_field(
                group, graph, type_name, field_def, item, path, display, sel, provided
            )
        if remaining:
            touched |= self._plan_jumps(
                group, graph, type_name, remaining, fields, path, display, sel, provided
            )
        return touched

    def _add_client_field(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        field_def: FieldDef,
        item: Field,
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
    ) -> set[_Group]:
        composite = self.planner.is_composite(field_def.type_name)
        child = sel.add_field(
            item.response_key,
            item.name,
            item.arguments,
            directives=item.directives,
            conditions=item.conditions,
            composite=composite,
        )
        group.variables |= item.variables
        if child is None or item.selections is None:
            return set()
        child_provided = field_def.provides.get(graph) or _provided_child(
            provided, type_name, item.name, self.planner
        )
        child_path = (*path, item.response_key)
        child_display = (*display, item.response_key, *self._list_marks(type_name, item.name))
        child_type = self._local_type(field_def, graph)
        selections = item.selections
        if child_type != field_def.type_name:
            # The subgraph types this field differently (`@join__field(type:)`): the client's
            # fields apply to the supergraph's type, so say so for the subgraph's runtime types.
            selections = [Fragment(field_def.type_name, (), item.selections)]
            if self.types[field_def.type_name].is_abstract:
                # The projector picks fragments by the runtime __typename.
                child.add_field("__typename", "__typename")
        return self._plan_selections(
            group,
            graph,
            child_type,
            selections,
            child_path,
            child_display,
            child,
            child_provided,
        )

    def _local_type(self, field_def: FieldDef, graph: str) -> str:
        """The field's named type as `graph` declares it (`@join__field(type:)`)."""
        for join in field_def.joins:
            if join.graph == graph and join.type:
                local = join.type.strip("[]! ")
                if local in self.types and self.types[local].kind in _COMPOSITE:
                    return local
        return field_def.type_name

    def _list_marks(self, type_name: str, field_name: str) -> tuple[str, ...]:
        api_type = self.planner.supergraph.api_schema.get_type(type_name)
        api_field = getattr(api_type, "fields", {}).get(field_name)
        marks: list[str] = []
        field_type = api_field.type if api_field is not None else None
        while field_type is not None and hasattr(field_type, "of_type"):
            if type(field_type).__name__ == "GraphQLList":
                marks.append("@")
            field_type = field_type.of_type
        return tuple(marks)

    # -- interface objects -----------------------------------------------------------------

    def _plan_interface_object(
        self,
        group: _Group,
        graph: str,
        interface: TypeDef,
        selections: list[Selection],
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
    ) -> set[_Group]:
        """`graph` knows this interface only as an object: concrete types need a jump."""
        name = interface.name
        own_fields = collect_fields(selections, name, lambda t, cond: cond in (None, t))
        touched = self._plan_object(group, graph, name, own_fields, path, display, sel, provided)
        concrete = _concrete_selections(selections, name)
        if not concrete:
            return touched
        target = next(
            (
                g
                for g in self.planner.sorted_graphs(set(interface.graphs))
                if g not in interface.interface_object_in
                and interface.keys_in(g, resolvable_only=True)
            ),
            None,
        )
        if target is None:
            raise RequestError(
                [graphql_error(f"no subgraph can resolve the concrete type of '{name}'")]
            )
        hops = self.planner.route(graph, name, target, provided)
        if hops is None:
            raise RequestError([graphql_error(f"no key of '{name}' reaches subgraph '{target}'")])
        final, fragment = self._jump_chain(
            group, graph, name, hops, path, display, sel, provided, set(), name
        )
        touched.add(final)
        touched |= self._plan_selections(
            final, target, name, concrete, path, display, fragment, None
        )
        return touched

    # -- entity jumps ----------------------------------------------------------------------

    def _plan_jumps(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        fields: list[Field],
        all_fields: list[Field],
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
    ) -> set[_Group]:
        type_def = self.types[type_name]
        by_target: dict[tuple[str, str], list[Field]] = {}
        for item in fields:
            target, rep_type = self._choose_target(graph, type_def, item, provided, by_target)
            by_target.setdefault((target, rep_type), []).append(item)
        client_keys = {f.response_key: (f.name, f.arguments) for f in all_fields}
        touched: set[_Group] = set()
        if self._is_root_type(type_name) and not path:
            # The query root needs no key: the rest is another root fetch.
            for (target, _), target_fields in by_target.items():
                root = self._group(("root", target), target, (), (), False, set())
                touched.add(root)
                touched |= self._plan_object(
                    root, target, type_name, target_fields, (), (), root.selection, None
                )
            return touched
        for (target, rep_type), target_fields in by_target.items():
            hops = self.planner.route(
                graph,
                rep_type,
                target,
                provided,
                fields_type=type_name,
                unresolvable_target=target == graph,
            )
            if hops is None:
                names = ", ".join(f"{type_name}.{f.name}" for f in target_fields)
                raise RequestError(
                    [
                        graphql_error(
                            f"cannot plan {names}: no key of '{rep_type}' that subgraph "
                            f"'{graph}' can provide leads to subgraph '{target}'"
                        )
                    ]
                )
            # @requires: fetch the required fields first, from where we are.
            required: list[FieldSet] = []
            requires_deps: set[_Group] = set()
            ready: set[str] = set()
            for item in target_fields:
                field_def = self._field_def(type_def, rep_type, item.name)
                requirement = field_def.requires.get(target)
                if requirement is None:
                    continue
                ready.add(item.name)
                required.append(requirement)
                requires_deps |= self._plan_field_set(
                    group, graph, type_name, requirement, path, display, sel, provided, client_keys
                )
                requires_deps.add(group)
            final, fragment = self._jump_chain(
                group,
                graph,
                type_name,
                hops,
                path,
                display,
                sel,
                provided,
                requires_deps,
                rep_type,
                required,
                client_keys,
            )
            touched.add(final)
            touched |= requires_deps
            touched |= self._plan_object(
                final,
                target,
                rep_type,
                target_fields,
                path,
                display,
                fragment,
                None,
                frozenset(ready),
            )
        return touched

    def _field_def(self, type_def: TypeDef, rep_type: str, name: str) -> FieldDef:
        if rep_type != type_def.name:
            return self.types[rep_type].fields[name]
        return type_def.fields[name]

    def _choose_target(
        self,
        graph: str,
        type_def: TypeDef,
        item: Field,
        provided: FieldSet | None,
        chosen: dict[tuple[str, str], list[Field]],
    ) -> tuple[str, str]:
        field_def = type_def.fields[item.name]
        rep_type = type_def.name
        candidates = self.planner.sorted_graphs(field_def.resolvable_in)
        if not candidates:
            # Declared on the object but served through an @interfaceObject of an interface.
            for interface in type_def.interfaces:
                iface = self.types.get(interface)
                iface_field = iface.fields.get(item.name) if iface else None
                if iface and iface_field and iface_field.resolvable_in & iface.interface_object_in:
                    rep_type = interface
                    candidates = self.planner.sorted_graphs(
                        iface_field.resolvable_in & iface.interface_object_in
                    )
                    break
        if not candidates:
            raise RequestError([graphql_error(f"no subgraph resolves {type_def.name}.{item.name}")])
        if graph in candidates:
            if graph in field_def.requires:
                return graph, rep_type  # a self-jump: fetch the required fields first
            candidates.remove(graph)  # here already, yet part of its selection is elsewhere
        if rep_type == type_def.name:
            # Prefer subgraphs that can answer more of the field's selection.
            shares = {
                c: self._local_share(c, type_def.name, field_def, item, None) for c in candidates
            }
            best = max(shares.values(), default=0)
            if not best:
                raise RequestError(
                    [
                        graphql_error(
                            f"cannot plan {type_def.name}.{item.name}: no other subgraph "
                            "resolves any of its selection"
                        )
                    ]
                )
            candidates = [c for c in candidates if shares[c] == best]
        if not candidates:
            raise RequestError([graphql_error(f"no subgraph resolves {type_def.name}.{item.name}")])
        for candidate in candidates:
            if (candidate, rep_type) in chosen:
                return candidate, rep_type
        if self._is_root_type(type_def.name):
            return candidates[0], rep_type
        routes = {
            c: self.planner.route(graph, rep_type, c, provided, fields_type=type_def.name)
            for c in candidates
        }
        reachable = [c for c in candidates if routes[c] is not None]
        direct = [c for c in reachable if len(routes[c] or ()) == 1]
        pick = (direct or reachable or candidates)[0]
        return pick, rep_type

    def _is_root_type(self, type_name: str) -> bool:
        return self.operation.kind == "query" and type_name == self.planner.supergraph.query_type

    def _jump_chain(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        hops: tuple[tuple[str, EntityKey], ...],
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
        extra_deps: set[_Group],
        rep_type: str,
        required: list[FieldSet] | None = None,
        client_keys: dict[str, tuple[str, str]] | None = None,
    ) -> tuple[_Group, SelectionNode]:
        """Create the fetch groups of a chain of key jumps; return the last and its selection."""
        previous, previous_sel, previous_graph = group, sel, graph
        previous_provided = provided
        data_types = self._data_typenames(type_name, rep_type)
        for index, (hop_graph, key) in enumerate(hops):
            last = index == len(hops) - 1
            previous_sel.add_field("__typename", "__typename")
            rep_fields = list(
                self._add_internal_fields(
                    previous,
                    previous_graph,
                    type_name,
                    key.fields,
                    previous_sel,
                    previous_provided,
                    client_keys if previous is group else None,
                )
            )
            deps = {previous}
            if last:
                deps |= extra_deps
                for requirement in required or ():
                    rep_fields.extend(
                        self._representation_fields(type_name, requirement, client_keys)
                    )
            key_id = ("entity", hop_graph, path, frozenset(d.id for d in deps))
            hop = self._group(key_id, hop_graph, path, display, True, deps)
            representation = EntityRepresentation(rep_type, _merge_rep_fields(rep_fields))
            for data_type in data_types:
                existing = hop.entities.get(data_type)
                if existing is not None:
                    representation = EntityRepresentation(
                        rep_type, _merge_rep_fields([*existing.fields, *representation.fields])
                    )
                hop.entities[data_type] = representation
            previous_sel = hop.selection.add_fragment(rep_type)
            previous, previous_graph, previous_provided = hop, hop_graph, None
        return previous, previous_sel

    def _data_typenames(self, type_name: str, rep_type: str) -> list[str]:
        """Which __typename values in the data this jump applies to."""
        type_def = self.types[type_name]
        if type_def.kind == "object":
            return [type_name]
        # An interface (object) position: its own name, or any implementation once resolved.
        return [type_name, *self.planner.supergraph.possible_types.get(type_name, ())]

    def _add_internal_fields(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        fields: FieldSet,
        sel: SelectionNode,
        provided: FieldSet | None,
        client_keys: dict[str, tuple[str, str]] | None,
    ) -> list[RepresentationField]:
        """Add key fields to a fetch (they are always local there); return how to read them."""
        out: list[RepresentationField] = []
        type_def = self.types[type_name]
        for item in fields.fields_for(type_name, self.planner.is_subtype):
            response_key = self._internal_key(item, client_keys)
            field_def = type_def.fields.get(item.name)
            composite = item.selections is not None
            child = sel.add_field(response_key, item.name, item.arguments, composite=composite)
            children = None
            if child is not None and item.selections is not None and field_def is not None:
                children = tuple(
                    self._add_internal_fields(
                        group,
                        graph,
                        field_def.type_name,
                        item.selections,
                        child,
                        _provided_child(provided, type_name, item.name, self.planner),
                        None,
                    )
                )
            out.append(RepresentationField(item.name, response_key, children))
        return out

    def _plan_field_set(
        self,
        group: _Group,
        graph: str,
        type_name: str,
        fields: FieldSet,
        path: tuple[str, ...],
        display: tuple[str, ...],
        sel: SelectionNode,
        provided: FieldSet | None,
        client_keys: dict[str, tuple[str, str]] | None,
    ) -> set[_Group]:
        """Plan a @requires field set as if the client had asked for it here."""
        selections = _field_set_selections(fields, client_keys)
        return self._plan_selections(
            group, graph, type_name, selections, path, display, sel, provided
        )

    def _representation_fields(
        self, type_name: str, fields: FieldSet, client_keys: dict[str, tuple[str, str]] | None
    ) -> list[RepresentationField]:
        out: list[RepresentationField] = []
        for item in fields.fields_for(type_name, self.planner.is_subtype):
            children = None
            by_type = None
            if item.selections is not None:
                child_type = self.types[type_name].fields[item.name].type_name
                if self.types[child_type].is_abstract:
                    # Fragments in the field set apply by each object's runtime type.
                    by_type = tuple(
                        (
                            runtime,
                            tuple(self._representation_fields(runtime, item.selections, None)),
                        )
                        for runtime in self.planner.supergraph.possible_types.get(child_type, ())
                    )
                    children = ()
                else:
                    children = tuple(self._representation_fields(child_type, item.selections, None))
            out.append(
                RepresentationField(
                    item.name,
                    self._internal_key(item, client_keys),
                    children,
                    is_key=False,
                    by_type=by_type,
                )
            )
        return out

    @staticmethod
    def _internal_key(item: FieldSetField, client_keys: dict[str, tuple[str, str]] | None) -> str:
        """The response key for a field the gateway needs; aliased if the client uses the name."""
        used = (client_keys or {}).get(item.name)
        if used is None or used == (item.name, item.arguments):
            return item.name
        return f"__bm_{item.name}"

    # -- output ----------------------------------------------------------------------------

    def _finish(self) -> QueryPlan:
        """Order the fetch groups into plan steps and render each step's fetches.

        A group's step is one more than its deepest dependency's, so everything a fetch
        needs is merged before it starts. Within a step, entity fetches to the same subgraph
        are sent as one request (when batching is on).
        """
        depth: dict[int, int] = {}

        def level(group: _Group) -> int:
            if group.id not in depth:
                depth[group.id] = 1 + max((level(d) for d in group.deps), default=-1)
            return depth[group.id]

        steps: dict[tuple[int, int], list[_Group]] = {}
        for group in self.groups:
            steps.setdefault((group.stage, level(group)), []).append(group)
        sequence: list[PlanNode] = []
        fetch_count = 0
        for step in sorted(steps):
            batches: dict[tuple[str, bool], list[_Group]] = {}
            for group in steps[step]:
                batch_key = (
                    (group.graph, group.is_entity)
                    if self.planner.batch
                    else (
                        str(group.id),
                        group.is_entity,
                    )
                )
                batches.setdefault(batch_key, []).append(group)
            items = [self._plan_node(batch) for batch in batches.values()]
            fetch_count += len(items)
            sequence.append(items[0] if len(items) == 1 else ParallelNode(items))
        root: PlanNode | None
        if not sequence:
            root = None
        elif len(sequence) == 1:
            root = sequence[0]
        else:
            root = SequenceNode(sequence)
        return QueryPlan(self.operation.kind, root, fetch_count)

    def _plan_node(self, batch: list[_Group]) -> PlanNode:
        fetch = self._fetch_node(batch)
        if len(fetch.sections) == 1:
            section = fetch.sections[0]
            return FlattenNode(section.path, section.display_path, fetch)
        return fetch

    def _fetch_node(self, batch: list[_Group]) -> FetchNode:
        first = batch[0]
        variable_set: set[str] = set()
        for group in batch:
            variable_set |= group.variables | group.selection.variables()
        variables = sorted(variable_set & set(self.operation.variable_definitions))
        declared = [f"${v}: {self.operation.variable_definitions[v]}" for v in variables]
        sections: list[EntitySection] = []
        if first.is_entity:
            # Sections asking the same selection share one `_entities` field (and one
            # deduplicated representation list); the others get aliased fields of their own.
            by_selection: dict[str, int] = {}
            for group in batch:
                by_selection.setdefault(group.selection.print(), len(by_selection))
            single = len(by_selection) == 1
            fields: list[str] = []
            for selection_text, index in by_selection.items():
                variable = "representations" if single else f"r{index}"
                declared.insert(index, f"${variable}: [_Any!]!")
                target = "_entities" if single else f"_e{index}: _entities"
                fields.append(f"{target}(representations: ${variable}) {selection_text}")
            for group in batch:
                index = by_selection[group.selection.print()]
                alias = "_entities" if single else f"_e{index}"
                variable = "representations" if single else f"r{index}"
                response_keys = tuple(
                    key
                    for entry in group.selection.entries.values()
                    for key in entry.children.used_keys()  # type: ignore[union-attr]
                )
                sections.append(
                    EntitySection(
                        alias=alias,
                        variable=variable,
                        path=group.path,
                        display_path=".".join(group.display),
                        entities=dict(group.entities),
                        response_keys=tuple(dict.fromkeys(response_keys)),
                    )
                )
            body = "{ " + " ".join(fields) + " }"
            root_keys: tuple[str, ...] = ()
            kind = "query"
        else:
            body = first.selection.print()
            root_keys = tuple(dict.fromkeys(first.selection.used_keys()))
            kind = self.operation.kind
        name = ""
        if self.operation.name:
            name = f"{self.operation.name}__{first.graph}__{first.id}"
        header = kind + (f" {name}" if name else "")
        if declared:
            header += "(" + ", ".join(declared) + ")"
        dependencies = {d.id for group in batch for d in group.deps}
        return FetchNode(
            id=first.id,
            subgraph=first.graph,
            operation=f"{header} {body}",
            operation_kind=kind,
            variable_names=tuple(variables),
            sections=tuple(sections),
            response_keys=root_keys,
            depends_on=tuple(sorted(dependencies)),
        )


def _merge_rep_fields(fields: list[RepresentationField]) -> tuple[RepresentationField, ...]:
    merged: dict[str, RepresentationField] = {}
    for item in fields:
        existing = merged.get(item.name)
        if existing is None or existing.children is None or item.children is None:
            merged.setdefault(item.name, item)
            continue
        merged[item.name] = RepresentationField(
            item.name,
            existing.response_key,
            _merge_rep_fields([*existing.children, *item.children]),
        )
    return tuple(merged.values())


def _field_set_selections(
    fields: FieldSet, client_keys: dict[str, tuple[str, str]] | None
) -> list[Selection]:
    out: list[Selection] = []
    for item in fields.items:
        if isinstance(item, FieldSetField):
            response_key = _PlanBuilder._internal_key(item, client_keys)
            out.append(
                Field(
                    response_key,
                    item.name,
                    item.arguments,
                    "",
                    (),
                    _field_set_selections(item.selections, None)
                    if item.selections is not None
                    else None,
                    frozenset(),
                )
            )
        else:
            out.append(
                Fragment(item.type_condition, (), _field_set_selections(item.selections, None))
            )
    return out


def _with_selections(item: Field, selections: list[Selection]) -> Field:
    return Field(
        item.response_key,
        item.name,
        item.arguments,
        item.directives,
        item.conditions,
        selections,
        item.variables,
    )


def _leaf_count(item: Field) -> int:
    if item.selections is None:
        return 1
    total = 0
    for sub in item.selections:
        total += (
            _leaf_count(sub)
            if isinstance(sub, Field)
            else sum(_leaf_count(f) for f in sub.selections if isinstance(f, Field))
        )
    return total


def _concrete_selections(selections: list[Selection], interface: str) -> list[Selection]:
    """The parts of a selection that need the concrete type behind an interface object."""
    out: list[Selection] = []
    for item in selections:
        if isinstance(item, Field):
            if item.name == "__typename":
                out.append(item)
        elif item.type_condition in (None, interface):
            inner = _concrete_selections(item.selections, interface)
            if inner:
                out.append(Fragment(item.type_condition, item.conditions, inner))
        else:
            out.append(item)
    return out
