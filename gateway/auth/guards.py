"""Which selections of an operation carry access requirements, found once per operation.

A guard is a selection of the normalised operation (a field, or a fragment on a protected
type) with the requirement it needs, and the response path template where its data would
be. Operations without guards (most, and every one on a supergraph without access
directives) are never looked at again.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from gateway.planning.operation import Field, Fragment, Operation, Selection
from gateway.supergraph.access import AccessRequirement, combine
from gateway.supergraph.model import Supergraph


@dataclass(frozen=True, slots=True)
class Step:
    """A response key, read from objects whose runtime type is in `on` (None: any)."""

    key: str
    on: frozenset[str] | None = None


Path = tuple[Step, ...]


@dataclass(eq=False, slots=True)
class Guard:
    requirement: AccessRequirement
    # field: the value at `path` is nulled; objects: the objects at `path` whose runtime type
    # is in `types` are nulled (a protected type reached through an interface or union).
    kind: Literal["field", "objects"]
    path: Path
    selection: Selection | None  # taken out of the planned operation when unmet
    types: frozenset[str] = frozenset()


@dataclass(eq=False, slots=True)
class OperationGuards:
    operation: Operation
    guards: tuple[Guard, ...]
    policies: frozenset[str]
    # Paths of composite fields, for fields whose whole selection ends up removed.
    paths: dict[int, Path]


def find_guards(supergraph: Supergraph, operation: Operation) -> OperationGuards:
    finder = _Finder(supergraph)
    root = supergraph.root_type(operation.kind) or supergraph.query_type
    finder.walk(operation.selections, root, root, (), None)
    guards = tuple(finder.guards)
    policies = frozenset(name for g in guards for name in g.requirement.policy_names)
    return OperationGuards(operation, guards, policies, finder.paths if guards else {})


class _Finder:
    def __init__(self, supergraph: Supergraph) -> None:
        self.types = supergraph.types
        self.possible_types = supergraph.possible_types
        self.guards: list[Guard] = []
        self.paths: dict[int, Path] = {}

    def possible(self, type_name: str) -> frozenset[str]:
        type_def = self.types.get(type_name)
        if type_def is not None and type_def.is_abstract:
            return frozenset(self.possible_types.get(type_name, ()))
        return frozenset((type_name,))

    def walk(
        self,
        selections: list[Selection],
        context: str,  # the type fields are looked up on (a fragment's condition inside it)
        base: str,  # the type of the field these selections belong to
        path: Path,
        on: frozenset[str] | None,  # runtime types these selections apply to (None: all)
    ) -> None:
        for item in selections:
            if isinstance(item, Fragment):
                self.fragment(item, context, base, path, on)
            elif not item.name.startswith("__"):  # __typename and introspection stay open
                self.field(item, context, path, on)

    def fragment(
        self, item: Fragment, context: str, base: str, path: Path, on: frozenset[str] | None
    ) -> None:
        condition = item.type_condition
        if condition is None or condition == context:
            self.walk(item.selections, context, base, path, on)
            return
        narrowed = self.possible(condition) & (on if on is not None else self.possible(base))
        type_def = self.types.get(condition)
        if type_def is not None and type_def.access and path:
            self.guards.append(Guard(type_def.access, "objects", path, item, narrowed))
        inner = None if narrowed == self.possible(base) else narrowed
        self.walk(item.selections, condition, base, path, inner)

    def field(self, item: Field, context: str, path: Path, on: frozenset[str] | None) -> None:
        parent = self.types.get(context)
        definition = parent.fields.get(item.name) if parent is not None else None
        if definition is None:
            return
        returned = self.types.get(definition.type_name)
        implementations = []
        if parent is not None and parent.is_abstract:
            # The field is resolved on each runtime type: their own requirements hold too.
            for name in self.possible(context) & (on or self.possible(context)):
                implementation = self.types[name].fields.get(item.name)
                implementations.append(implementation.access if implementation else None)
        requirement = combine(
            definition.access, returned.access if returned else None, *implementations
        )
        here = (*path, Step(item.response_key, on))
        if requirement is not None:
            self.guards.append(Guard(requirement, "field", here, item))
        if item.selections is None or returned is None:
            return
        self.paths[id(item)] = here
        if returned.is_abstract:
            for name in sorted(self.possible(returned.name)):
                access = self.types[name].access
                if access:
                    self.guards.append(Guard(access, "objects", here, None, frozenset((name,))))
        self.walk(item.selections, returned.name, returned.name, here, None)
