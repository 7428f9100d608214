"""Why a field cannot be fetched along a path: the subgraphs involved, the reasons (worded
like Apollo's: from each subgraph the query may stand in, why it cannot find the field or
move to a subgraph that has it) and how to fix it."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from gateway.composition.errors import Issues
from gateway.planning.planner import Planner
from gateway.supergraph import Supergraph
from gateway.supergraph.fieldset import FieldSet
from gateway.supergraph.model import FieldDef, TypeDef

if TYPE_CHECKING:
    from gateway.composition.satisfiability import Failure

CODE = "SATISFIABILITY_ERROR"
_PROBE_ALIAS = re.compile(r"\bsat_probe_\d+: ")


def explain(supergraph: Supergraph, planner: Planner, failure: Failure, issues: Issues) -> None:
    """Report one SATISFIABILITY_ERROR for a field that failed along a path."""
    _Explainer(supergraph, planner, failure).report(issues)


class _Explainer:
    def __init__(self, supergraph: Supergraph, planner: Planner, failure: Failure) -> None:
        self.supergraph = supergraph
        self.planner = planner
        self.failure = failure
        self.type_name = failure.position.type_name
        self.field = failure.field
        self.label = f"{self.type_name}.{self.field}"
        # Reasons by the subgraph the query stands in (None: not tied to one).
        self.reasons: dict[str | None, list[str]] = {}
        self.hints: list[str] = []
        self.subgraphs: set[str] = set()

    def report(self, issues: Issues) -> None:
        type_def = self.supergraph.types.get(self.type_name)
        field_def = type_def.fields.get(self.field) if type_def else None
        sources = self._sources()
        self.subgraphs |= set(sources)
        if type_def is not None and field_def is not None:
            rep_type, targets = self._targets(type_def, field_def)
            if self.failure.requires_graph is not None:
                self._requires_unmet(sources, targets, field_def)
            else:
                self.subgraphs |= set(targets)
                if not targets:
                    self._resolved_nowhere(field_def)
                for source in sources:
                    self._from(source, field_def, rep_type, targets)
                self._concrete_type(field_def, targets)
        if not self.reasons:
            self._reason(None, f"the gateway cannot plan it: {self.failure.planner_message}")
        if not self.hints:
            self.hints.append(
                f'check the @key, @requires and @provides of "{self.label}" and of the types '
                f"on its path in {_subgraphs(self.subgraphs) or 'the subgraphs'}"
            )
        query = _PROBE_ALIAS.sub("", self.failure.query)
        message = (
            f"The following supergraph API query:\n{query}\n"
            "cannot be satisfied by the subgraphs because:\n" + self._render()
        )
        issues.error(
            CODE,
            message,
            subgraphs=sorted(self.subgraphs),
            type_name=self.type_name,
            field_name=self.field,
            hint="; or ".join(dict.fromkeys(self.hints)),
        )

    def _reason(self, source: str | None, text: str) -> None:
        self.reasons.setdefault(source, []).append(text)

    def _render(self) -> str:
        lines: list[str] = []
        for source, reasons in self.reasons.items():
            if source is None:
                lines.extend(f"- {reason}" for reason in reasons)
            elif len(reasons) == 1:
                lines.append(f'- from subgraph "{source}": {reasons[0]}')
            else:
                lines.append(f'- from subgraph "{source}":')
                lines.extend(f"  - {reason}" for reason in reasons)
        return "\n".join(lines)

    # -- where the query stands and where the field is --------------------------------------

    def _sources(self) -> list[str]:
        """The subgraphs that may resolve the field leading to this position."""
        position = self.failure.position
        if not position.path or position.parent is None:
            return []
        parent = self.supergraph.types.get(position.parent)
        leading = parent.fields.get(position.path[-1].field) if parent else None
        if leading is None:
            return []
        return self.planner.sorted_graphs(leading.resolvable_in)

    def _targets(self, type_def: TypeDef, field_def: FieldDef) -> tuple[str, list[str]]:
        """The type jumped with (an interface for @interfaceObject fields) and the subgraphs
        that resolve the field."""
        if field_def.resolvable_in:
            return type_def.name, self.planner.sorted_graphs(field_def.resolvable_in)
        for interface in type_def.interfaces:
            iface = self.supergraph.types.get(interface)
            iface_field = iface.fields.get(self.field) if iface else None
            if iface and iface_field:
                graphs = iface_field.resolvable_in & iface.interface_object_in
                if graphs:
                    return interface, self.planner.sorted_graphs(graphs)
        return type_def.name, []

    # -- reasons -----------------------------------------------------------------------------

    def _resolved_nowhere(self, field_def: FieldDef) -> None:
        external = sorted(field_def.external_in)
        if external:
            self._reason(
                None,
                f'no subgraph resolves field "{self.label}": it is @external in '
                f"{_subgraphs(external)} and defined in no other subgraph.",
            )
        else:
            self._reason(None, f'no subgraph resolves field "{self.label}".')
        self.hints.append(
            f'resolve "{self.label}" in a subgraph (declared there without @external)'
        )

    def _from(self, source: str, field_def: FieldDef, rep_type: str, targets: list[str]) -> None:
        if source in targets:
            type_def = self.supergraph.types[rep_type]
            requirement = field_def.requires.get(source)
            if requirement is not None and not type_def.keys_in(source, resolvable_only=True):
                self._reason(
                    source,
                    f'the gateway fetches the fields of @requires(fields: "{requirement.source}") '
                    f'and must then come back to subgraph "{source}" for "{self.label}", but no '
                    f'@key of "{rep_type}" there is resolvable (the gateway does not yet re-enter '
                    "a subgraph through a key declared resolvable: false).",
                )
                self.hints.append(
                    f'make a @key of "{rep_type}" in subgraph "{source}" resolvable (drop '
                    "resolvable: false and give the type a reference resolver)"
                )
            return
        if source in field_def.external_in:
            self._reason(
                source,
                f'field "{self.label}" is @external there and not provided on this path.',
            )
            self._provides_hint(source)
        else:
            self._reason(source, f'cannot find field "{self.label}".')
        for target in targets:
            self._jump(source, rep_type, target)

    def _jump(self, source: str, rep_type: str, target: str) -> None:
        type_def = self.supergraph.types[rep_type]
        move = f'cannot move to subgraph "{target}", which has field "{self.label}", because'
        keys = type_def.keys_in(target)
        if not keys:
            self._reason(
                source, f'{move} type "{rep_type}" has no @key defined in subgraph "{target}".'
            )
            self.hints.append(
                f'add a @key to "{rep_type}" in subgraph "{target}" (on fields subgraph '
                f'"{source}" also resolves) so the gateway can jump there'
            )
            self._shareable_hint(source)
            return
        resolvable = [k for k in keys if k.resolvable]
        if not resolvable:
            self._reason(
                source,
                f'{move} every @key of type "{rep_type}" in subgraph "{target}" is '
                '"resolvable: false".',
            )
            self.hints.append(
                f'add a resolvable key to "{rep_type}" in subgraph "{target}" (drop '
                "resolvable: false and give the type a reference resolver)"
            )
            self._shareable_hint(source)
            return
        if self.planner.route(source, rep_type, target, None) is not None:
            return
        if rep_type != self.type_name and source not in type_def.graphs:
            # A jump from the object type to its interface's @interfaceObject.
            fields_here = [
                k
                for k in resolvable
                if not self._missing_key_fields(source, self.type_name, k.fields)
            ]
            if fields_here:
                self._reason(
                    source,
                    f'{move} the gateway cannot yet jump from "{self.type_name}" in subgraph '
                    f'"{source}" to the @interfaceObject "{rep_type}" in subgraph "{target}", '
                    f'though "{self.type_name}" has the fields of @key(fields: '
                    f'"{fields_here[0].fields.source}") there '
                    f"({self.failure.planner_message}).",
                )
                self.hints.append(
                    f'define interface "{rep_type}" in subgraph "{source}" (with its key fields) '
                    f'and make "{self.type_name}" implement it there'
                )
                return
        for key in resolvable:
            missing = self._missing_key_fields(source, rep_type, key.fields)
            self._reason(
                source,
                f'{move} no @key of type "{rep_type}" in subgraph "{target}" can be used: '
                f'@key(fields: "{key.fields.source}") needs '
                f'{_quoted(missing) or "fields"}, which subgraph "{source}" cannot provide '
                "(nor can any subgraph it can jump to).",
            )
            self.hints.append(
                f'add the key fields {_quoted(missing)} to "{rep_type}" in subgraph '
                f'"{source}", or add to "{rep_type}" in subgraph "{target}" a @key on '
                f'fields subgraph "{source}" resolves'
            )

    def _requires_unmet(self, sources: list[str], targets: list[str], field_def: FieldDef) -> None:
        """Apollo's rule: a @requires field set is fetched starting from the subgraph with the
        @requires (its own fields, or subgraphs it can jump to with its own key fields)."""
        graph = self.failure.requires_graph
        assert graph is not None
        requirement = field_def.requires[graph]
        missing = list(self.failure.requires_missing)
        self.subgraphs.add(graph)
        for source in sources:
            if source not in targets:
                self._reason(source, f'cannot find field "{self.label}".')
        details = []
        for label in missing:
            owner, _, name = label.partition(".")
            owner_def = self.supergraph.types.get(owner)
            required = owner_def.fields.get(name) if owner_def else None
            holders = self.planner.sorted_graphs(required.resolvable_in) if required else []
            self.subgraphs |= set(holders)
            state = (
                "is @external there"
                if required is not None and graph in required.external_in
                else "is not there"
            )
            elsewhere = (
                f"resolved only in {_subgraphs(holders)}, which it cannot jump to"
                if holders
                else "resolved by no subgraph"
            )
            details.append(f'"{label}" {state}, {elsewhere}')
            if owner_def is not None and holders:
                keys = [
                    k.fields.source
                    for holder in holders
                    for k in owner_def.keys_in(holder, resolvable_only=True)
                ]
                if keys:
                    self.hints.append(
                        f'give "{owner}" in subgraph "{graph}" the fields of a key it has in '
                        f"{_subgraphs(holders)} ({_quoted(keys)}) so the gateway can fetch "
                        f'"{label}" from there'
                    )
                else:
                    self.hints.append(
                        f'add a resolvable @key to "{owner}" in {_subgraphs(holders)} on fields '
                        f'subgraph "{graph}" has'
                    )
        self._reason(
            graph,
            f'cannot satisfy @requires conditions on field "{self.label}": '
            f'@requires(fields: "{requirement.source}") must be fetched starting from subgraph '
            f'"{graph}", and ' + "; ".join(details) + ".",
        )
        self.hints.append(
            f'resolve the required fields in subgraph "{graph}" (@shareable) instead of '
            "marking them @external"
        )

    def _concrete_type(self, field_def: FieldDef, targets: list[str]) -> None:
        """A field returning an interface that a subgraph resolving it knows only as an
        @interfaceObject: each object's concrete type (`__typename`) comes from a subgraph
        that defines the interface, through a key of the interface."""
        interface = self.supergraph.types.get(field_def.type_name)
        if interface is None or interface.kind != "interface":
            return
        owners = [g for g in interface.graphs if g not in interface.interface_object_in]
        name = interface.name
        for graph in targets:
            if graph not in interface.interface_object_in:
                continue
            knows = (
                f'field "{self.label}" returns interface "{name}", which subgraph "{graph}" '
                "knows only as an @interfaceObject, so the concrete type of each object must "
                f"come from a subgraph that defines the interface ({_quoted(owners)})"
            )
            resolvable = [g for g in owners if interface.keys_in(g, resolvable_only=True)]
            if not resolvable:
                self.subgraphs |= {graph, *owners}
                self._reason(None, f'{knows}, and no @key of "{name}" there is resolvable.')
                self.hints.append(
                    f'add a resolvable @key to interface "{name}" in '
                    f"{_subgraphs(owners) or 'the subgraph that defines it'}"
                )
            elif all(self.planner.route(graph, name, g, None) is None for g in resolvable):
                self.subgraphs |= {graph, *owners}
                self._reason(
                    None,
                    f'{knows}, and subgraph "{graph}" cannot provide the fields of any '
                    f'resolvable @key of "{name}" there.',
                )
                self.hints.append(
                    f'give interface "{name}" in subgraph "{graph}" the key fields of a '
                    f"resolvable @key it has in {_subgraphs(resolvable)}"
                )

    def _missing_key_fields(self, source: str, rep_type: str, fields: FieldSet) -> list[str]:
        missing = []
        for item in fields.fields_for(rep_type, self.planner.is_subtype):
            single = FieldSet(item.name, (item,))
            if not self.planner.can_provide(source, rep_type, single, None):
                missing.append(item.name)
        return missing

    def _shareable_hint(self, source: str) -> None:
        self.hints.append(f'resolve "{self.label}" in subgraph "{source}" too (@shareable in both)')

    def _provides_hint(self, source: str) -> None:
        position = self.failure.position
        if position.parent is None or not position.path:
            return
        leading = f"{position.parent}.{position.path[-1].field}"
        self.hints.append(
            f'add @provides(fields: "{self.field}") to "{leading}" in subgraph "{source}"'
        )


def _quoted(names: list[str] | set[str]) -> str:
    return ", ".join(f'"{n}"' for n in sorted(names))


def _subgraphs(names: list[str] | set[str]) -> str:
    if not names:
        return ""
    return ("subgraph " if len(names) == 1 else "subgraphs ") + _quoted(names)
