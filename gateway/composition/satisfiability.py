"""Satisfiability: every field of the API schema can be fetched along every path a client
can query it (Apollo's SATISFIABILITY_ERROR).

The check runs on the printed supergraph and asks the gateway's own planner rather than
re-implementing federation routing. It walks the API schema breadth-first from the root
types; every position (a path of fields, with inline fragments where a field's type is
abstract) is checked with one operation selecting every field of the type there, each
under a probe alias. A field whose probe reaches no subgraph fetch, or whose operation the
planner refuses, is planned again on its own to tell which field fails and why.

Positions are bounded: each (parent type, field, fragment) edge yields one path into its
type, and more only for other ways the gateway may stand there (which subgraphs resolve or
provide the field, and where the query stood when several do), up to EDGE_CAP per edge, so
large schemas stay fast. Fields below a failing field are not explored (their error would
only repeat it). Apollo's rule that a @requires be satisfiable from its own subgraph is
checked on top of the plan (satisfiability_requires); the explanation of each error is
built by satisfiability_explain.
"""

from __future__ import annotations

import re
from collections import deque
from dataclasses import dataclass

from graphql import (
    GraphQLAbstractType,
    GraphQLField,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    GraphQLUnionType,
    get_named_type,
    is_composite_type,
    is_required_argument,
    parse,
    print_ast,
)

from gateway.composition.errors import CompositionIssue, Issues
from gateway.composition.satisfiability_explain import explain
from gateway.composition.satisfiability_requires import RequiresConditions
from gateway.errors import RequestError, SupergraphError
from gateway.planning.operation import Field, Fragment, Operation, Selection
from gateway.planning.plan import iter_fetches
from gateway.planning.planner import Planner
from gateway.supergraph import Supergraph, load_supergraph

CODE = "SATISFIABILITY_ERROR"
# Paths kept per (parent type, field, fragment) edge: one for each way the gateway may
# stand in the parent (the first always; distinct later ones up to the cap).
EDGE_CAP = 4
# A safety net for pathological schemas: positions checked at most.
POSITION_CAP = 20_000


@dataclass(frozen=True, slots=True)
class Step:
    """One field of a path, then (for an abstract type) the fragment that narrows it."""

    field: str
    arguments: tuple[tuple[str, str], ...]  # required arguments: (name, type as written)
    type_condition: str | None


@dataclass(frozen=True, slots=True)
class Position:
    type_name: str  # the type the selection set at the end of `path` is on
    path: tuple[Step, ...]
    kind: str  # the root operation: query | mutation | subscription
    parent: str | None  # the type owning the last step's field (None at the root)
    way: object = None  # who resolves and provides the last step's field


@dataclass(slots=True)
class Outcome:
    """What planning one operation gave: the probes fetched, or the planner's refusal."""

    fetched: dict[str, set[str]]  # probe alias -> subgraphs whose fetches select it
    error: str | None


@dataclass(slots=True)
class Failure:
    position: Position
    field: str
    query: str
    planner_message: str
    # Set when the plan works but Apollo's rule on @requires does not: the subgraph with
    # the @requires and the required fields it cannot reach.
    requires_graph: str | None = None
    requires_missing: tuple[str, ...] = ()


def check_satisfiability(supergraph_sdl: str) -> list[CompositionIssue]:
    """SATISFIABILITY_ERRORs of a composed supergraph (empty when every field is reachable)."""
    try:
        supergraph = load_supergraph(supergraph_sdl)
    except SupergraphError:
        return []  # composition reports a supergraph it cannot load on its own
    return _Checker(supergraph).run()


class _Checker:
    def __init__(self, supergraph: Supergraph) -> None:
        self.supergraph = supergraph
        self.schema: GraphQLSchema = supergraph.api_schema
        self.planner = Planner(supergraph)
        self.requires = RequiresConditions(supergraph, self.planner)
        self.failures: dict[tuple[str, str], Failure] = {}
        self.reached: set[str] = set()

    # -- walking the API schema ------------------------------------------------------------

    def run(self) -> list[CompositionIssue]:
        queue: deque[Position] = deque()
        paths_per_edge: dict[tuple[str, str, str | None], int] = {}
        seen_ways: set[tuple[object, ...]] = set()
        for kind, root in (
            ("query", self.schema.query_type),
            ("mutation", self.schema.mutation_type),
            ("subscription", self.schema.subscription_type),
        ):
            if root is not None:
                queue.append(Position(root.name, (), kind, None))
        root_names = {position.type_name for position in queue}
        checked = 0
        while queue and checked < POSITION_CAP:
            position = queue.popleft()
            checked += 1
            self.reached.add(position.type_name)
            for field_name in self._check_position(position):
                parent_type = self.schema.get_type(position.type_name)
                field = parent_type.fields[field_name]  # type: ignore[union-attr]
                child = get_named_type(field.type)
                if not is_composite_type(child) or child.name in root_names:
                    continue
                way = self._way_in(position, field_name)
                for type_condition, target in self._children(child, position, field_name):
                    edge = (position.type_name, field_name, type_condition)
                    count = paths_per_edge.get(edge, 0)
                    if count and ((edge, way) in seen_ways or count >= EDGE_CAP):
                        continue
                    paths_per_edge[edge] = count + 1
                    seen_ways.add((edge, way))
                    step = Step(field_name, _required_arguments(field), type_condition)
                    path = (*position.path, step)
                    queue.append(Position(target, path, position.kind, position.type_name, way))
        issues = Issues()
        for failure in self.failures.values():
            explain(self.supergraph, self.planner, failure, issues)
        self._unreachable(issues)
        return [i for i in issues.items if i.code == CODE]

    def _way_in(self, position: Position, field_name: str) -> object:
        """What decides where the gateway stands below a field: the subgraphs that resolve
        it and provide on it, and, when several resolve it (or it is @external somewhere, so
        a @provides may serve it), where it stood before."""
        type_def = self.supergraph.types.get(position.type_name)
        field_def = type_def.fields.get(field_name) if type_def else None
        if field_def is None:
            return position.way
        ambiguous = len(field_def.resolvable_in) != 1 or field_def.external_in
        before = position.way if ambiguous else None
        return (field_def.resolvable_in, frozenset(field_def.provides), before)

    def _children(
        self, child: GraphQLNamedType, position: Position, field_name: str
    ) -> list[tuple[str | None, str]]:
        """(type condition, type) of the positions below a field of composite type."""
        if isinstance(child, GraphQLObjectType):
            return [(None, child.name)]
        assert isinstance(child, GraphQLAbstractType)
        possible = [t.name for t in self.schema.get_possible_types(child)]
        returned = self._returned_types(position.type_name, field_name, child.name, possible)
        out: list[tuple[str | None, str]] = []
        if isinstance(child, GraphQLInterfaceType):
            out.append((None, child.name))
        out.extend((name, name) for name in possible if name in returned)
        return out

    def _returned_types(
        self, parent: str, field_name: str, abstract: str, possible: list[str]
    ) -> set[str]:
        """Object types some subgraph resolving the field may return for its abstract type."""
        type_def = self.supergraph.types.get(parent)
        field_def = type_def.fields.get(field_name) if type_def else None
        abstract_def = self.supergraph.types.get(abstract)
        if field_def is None or abstract_def is None or not field_def.resolvable_in:
            return set(possible)
        out: set[str] = set()
        for graph in field_def.resolvable_in:
            if graph in abstract_def.interface_object_in:
                return set(possible)
            out.update(self.planner.runtime_types(abstract_def, graph))
        return out

    # -- checking a position ---------------------------------------------------------------

    def _check_position(self, position: Position) -> list[str]:
        """Check every field at a position; return the fields fetched (to walk below)."""
        api_type = self.schema.get_type(position.type_name)
        if isinstance(api_type, GraphQLUnionType) or api_type is None:
            return []
        fields: dict[str, GraphQLField] = api_type.fields  # type: ignore[union-attr]
        names = [name for name in fields if not name.startswith("__")]
        if not names:
            return []
        outcome = self._plan(build_operation(position, [(name, fields[name]) for name in names]))
        narrowed = any(step.type_condition for step in position.path)
        ok: list[str] = []
        for index, name in enumerate(names):
            fetched_by = outcome.fetched.get(_probe(index)) if outcome.error is None else None
            if fetched_by is None:
                alone = self._plan(build_operation(position, [(name, fields[name])]))
                fetched_by = alone.fetched.get(_probe(0)) if alone.error is None else None
                if fetched_by is None:
                    if alone.error is None and narrowed:
                        # The fragment was dropped: no subgraph serving the path returns this
                        # type there, so a client never gets one (nothing to fetch or walk).
                        continue
                    self._fail(
                        Failure(
                            position,
                            name,
                            build_query(position, [(name, fields[name])]),
                            alone.error or "the query plan fetches it from no subgraph",
                        )
                    )
                    continue
            if self._requires_met(position, name, fields[name], fetched_by):
                ok.append(name)
        return ok

    def _requires_met(
        self, position: Position, name: str, field: GraphQLField, fetched_by: set[str]
    ) -> bool:
        """Apollo's rule: a @requires must be satisfiable from its own subgraph."""
        type_def = self.supergraph.types.get(position.type_name)
        field_def = type_def.fields.get(name) if type_def else None
        if type_def is None or field_def is None or type_def.kind != "object":
            return True  # interface positions: their object types are checked one by one
        if not field_def.requires:
            return True
        unmet = {g: self.requires.unreachable(position.type_name, name, g) for g in fetched_by}
        unmet = {g: missing for g, missing in unmet.items() if missing}
        if len(unmet) < len(fetched_by):
            return True
        # The planner's subgraph fails the rule: fine if another one resolving it passes.
        if any(
            not self.requires.unreachable(position.type_name, name, graph)
            for graph in field_def.resolvable_in
        ):
            return True
        graph = sorted(unmet)[0]
        self._fail(
            Failure(
                position,
                name,
                build_query(position, [(name, field)]),
                "",
                requires_graph=graph,
                requires_missing=tuple(unmet[graph]),
            )
        )
        return False

    def _plan(self, operation: Operation) -> Outcome:
        try:
            plan = self.planner.plan(operation)
        except RequestError as error:
            return Outcome({}, str(error))
        except Exception as error:  # a planner bug must not crash composition
            return Outcome({}, f"the gateway's planner failed: {error!r}")
        fetched: dict[str, set[str]] = {}
        for fetch in iter_fetches(plan.root):
            for probe in _PROBE.findall(fetch.operation):
                fetched.setdefault(probe, set()).add(fetch.subgraph)
        return Outcome(fetched, None)

    def _fail(self, failure: Failure) -> None:
        self.failures.setdefault((failure.position.type_name, failure.field), failure)

    # -- types no query reaches ------------------------------------------------------------

    def _unreachable(self, issues: Issues) -> None:
        """Object types outside every path: report only fields that no subgraph resolves."""
        for name, api_type in self.schema.type_map.items():
            if name.startswith("__") or name in self.reached:
                continue
            if not isinstance(api_type, GraphQLObjectType):
                continue
            type_def = self.supergraph.types.get(name)
            if type_def is None:
                continue
            for field_name in api_type.fields:
                field_def = type_def.fields.get(field_name)
                if field_def is None or field_def.resolvable_in:
                    continue
                if _served_by_interface_object(self.supergraph, name, field_name):
                    continue
                declared = sorted(
                    {j.graph for j in field_def.joins if j.graph is not None}
                    | set(field_def.external_in)
                )
                where = (
                    f" (declared only as @external, in {_subgraphs(declared)})" if declared else ""
                )
                issues.error(
                    CODE,
                    f'No subgraph resolves field "{name}.{field_name}"{where}, and no query '
                    f'reaches type "{name}" from a root type.',
                    subgraphs=declared,
                    type_name=name,
                    field_name=field_name,
                    hint=f'resolve "{name}.{field_name}" in a subgraph (declare it without '
                    "@external), or remove it",
                )


_PROBE = re.compile(r"\b(sat_probe_\d+):")


def _probe(index: int) -> str:
    return f"sat_probe_{index}"


def _required_arguments(field: GraphQLField) -> tuple[tuple[str, str], ...]:
    return tuple(
        (name, str(argument.type))
        for name, argument in field.args.items()
        if is_required_argument(argument)
    )


def build_operation(position: Position, fields: list[tuple[str, GraphQLField]]) -> Operation:
    """The normalised operation selecting `fields` (probe-aliased) at a position.

    Built directly (no parsing): the same operation `build_query` prints, as `normalize`
    would give it. Required arguments are variables of the argument's type.
    """
    variable_definitions: dict[str, str] = {}

    def arguments(prefix: str, items: tuple[tuple[str, str], ...]) -> tuple[str, frozenset[str]]:
        if not items:
            return "", frozenset()
        names = []
        for name, type_text in items:
            variable_definitions[f"{prefix}_{name}"] = type_text
            names.append(f"{prefix}_{name}")
        text = "(" + ", ".join(f"{a}: ${v}" for (a, _), v in zip(items, names, strict=True)) + ")"
        return text, frozenset(names)

    selections: list[Selection] = []
    for index, (name, field) in enumerate(fields):
        text, used = arguments(f"f{index}", _required_arguments(field))
        children: list[Selection] | None = None
        if is_composite_type(get_named_type(field.type)):
            children = [_field("__typename", "__typename", "", None, frozenset())]
        selections.append(_field(_probe(index), name, text, children, used))
    for depth in range(len(position.path) - 1, -1, -1):
        step = position.path[depth]
        if step.type_condition is not None:
            selections = [Fragment(step.type_condition, (), selections)]
        text, used = arguments(f"p{depth}", step.arguments)
        selections = [_field(step.field, step.field, text, selections, used)]
    return Operation(position.kind, None, selections, variable_definitions)


def _field(
    key: str, name: str, arguments: str, children: list[Selection] | None, used: frozenset[str]
) -> Field:
    return Field(key, name, arguments, "", (), children, used)


def build_query(position: Position, fields: list[tuple[str, GraphQLField]]) -> str:
    """The operation selecting `fields` (probe-aliased) at a position, pretty-printed."""
    variables: list[str] = []

    def arguments(prefix: str, items: tuple[tuple[str, str], ...]) -> str:
        if not items:
            return ""
        parts = []
        for name, type_text in items:
            variables.append(f"${prefix}_{name}: {type_text}")
            parts.append(f"{name}: ${prefix}_{name}")
        return "(" + ", ".join(parts) + ")"

    path_arguments = [arguments(f"p{d}", step.arguments) for d, step in enumerate(position.path)]
    leaves = []
    for index, (name, field) in enumerate(fields):
        text = f"{_probe(index)}: {name}{arguments(f'f{index}', _required_arguments(field))}"
        if is_composite_type(get_named_type(field.type)):
            text += " { __typename }"
        leaves.append(text)
    body = " ".join(leaves)
    for depth in range(len(position.path) - 1, -1, -1):
        step = position.path[depth]
        if step.type_condition is not None:
            body = f"... on {step.type_condition} {{ {body} }}"
        body = f"{step.field}{path_arguments[depth]} {{ {body} }}"
    header = position.kind
    if variables:
        header += "(" + ", ".join(variables) + ")"
    return print_ast(parse(f"{header} {{ {body} }}", no_location=True))


def _served_by_interface_object(supergraph: Supergraph, type_name: str, field_name: str) -> bool:
    type_def = supergraph.types[type_name]
    for interface in type_def.interfaces:
        iface = supergraph.types.get(interface)
        field_def = iface.fields.get(field_name) if iface else None
        if iface and field_def and field_def.resolvable_in & iface.interface_object_in:
            return True
    return False


def _subgraphs(names: list[str]) -> str:
    quoted = ", ".join(f'"{n}"' for n in sorted(names))
    return ("subgraph " if len(names) == 1 else "subgraphs ") + quoted
