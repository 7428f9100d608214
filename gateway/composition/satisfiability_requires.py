"""@requires conditions as Apollo's satisfiability judges them: from the subgraph that has
the @requires field.

The gateway's planner fetches required fields from wherever the query stands, but
composition demands more: every field of a @requires field set must be reachable starting
from the entity in the subgraph declaring the @requires (its own non-external fields, or
fields of subgraphs it can jump to through a key whose fields it has). A supergraph where
only other subgraphs can reach them is refused, so that is checked here.
"""

from __future__ import annotations

from gateway.planning.planner import Planner
from gateway.supergraph.fieldset import FieldSet
from gateway.supergraph.model import Supergraph

_MAX_DEPTH = 8  # @requires of @requires of ...


class RequiresConditions:
    def __init__(self, supergraph: Supergraph, planner: Planner) -> None:
        self.supergraph = supergraph
        self.types = supergraph.types
        self.planner = planner
        self._cache: dict[tuple[str, str, str], list[str]] = {}

    def unreachable(self, type_name: str, field_name: str, graph: str) -> list[str]:
        """The required fields of `type_name.field_name`'s @requires in `graph` that cannot
        be fetched starting from `graph` ([] when all can, or the field has no @requires)."""
        key = (type_name, field_name, graph)
        if key not in self._cache:
            field_def = self.types[type_name].fields.get(field_name)
            requirement = field_def.requires.get(graph) if field_def else None
            self._cache[key] = (
                []
                if requirement is None
                else self._missing(graph, type_name, requirement, 0, frozenset({key}))
            )
        return self._cache[key]

    def _missing(
        self,
        graph: str,
        type_name: str,
        fields: FieldSet,
        depth: int,
        active: frozenset[tuple[str, str, str]],
    ) -> list[str]:
        type_def = self.types.get(type_name)
        if type_def is None:
            return [type_name]
        runtimes = (
            self.planner.runtime_types(type_def, graph)
            if type_def.is_abstract and graph not in type_def.interface_object_in
            else [type_name]
        )
        missing: list[str] = []
        for runtime in runtimes:
            runtime_def = self.types[runtime]
            for item in fields.fields_for(runtime, self.planner.is_subtype):
                if item.name == "__typename":
                    continue
                label = f"{runtime}.{item.name}"
                field_def = runtime_def.fields.get(item.name)
                if field_def is None:
                    missing.append(label)
                    continue
                sources = self._sources(graph, runtime, item.name, depth, active)
                child = field_def.type_name
                reachable = any(
                    item.selections is None
                    or not self._missing(source, child, item.selections, depth, active)
                    for source in sources
                )
                if not reachable and label not in missing:
                    missing.append(label)
        return missing

    def _sources(
        self,
        graph: str,
        type_name: str,
        field_name: str,
        depth: int,
        active: frozenset[tuple[str, str, str]],
    ) -> list[str]:
        """Subgraphs that can return the field for an entity the query holds in `graph`."""
        field_def = self.types[type_name].fields[field_name]
        out: list[str] = []
        for candidate in self.planner.sorted_graphs(field_def.resolvable_in):
            if candidate != graph and (
                not self.types[type_name].keys
                or self.planner.route(graph, type_name, candidate, None) is None
            ):
                continue
            requirement = field_def.requires.get(candidate)
            if requirement is not None:
                key = (type_name, field_name, candidate)
                if depth >= _MAX_DEPTH or key in active:
                    continue
                if self._missing(candidate, type_name, requirement, depth + 1, active | {key}):
                    continue
            out.append(candidate)
        return out
