"""A query plan as data: Fetch, Flatten, Sequence and Parallel nodes, printable."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RepresentationField:
    """One field of a representation: sent as `name`, read from the data at `response_key`."""

    name: str
    response_key: str
    children: tuple[RepresentationField, ...] | None = None
    is_key: bool = True  # a null key means the entity cannot be fetched; a null @requires can


@dataclass(frozen=True, slots=True)
class EntityRepresentation:
    """How to turn an object found at a Flatten path into an `_entities` representation."""

    typename: str  # the __typename the subgraph expects (an interface for interface objects)
    fields: tuple[RepresentationField, ...]


@dataclass(slots=True)
class FetchNode:
    id: int
    subgraph: str
    operation: str  # the GraphQL document sent to the subgraph
    operation_kind: str
    variable_names: tuple[str, ...]  # client variables forwarded
    # For entity fetches: data __typename -> representation; None for root fetches.
    entities: dict[str, EntityRepresentation] | None = None
    # Response keys this fetch fills at its merge point (for errors when it fails).
    response_keys: tuple[str, ...] = ()
    depends_on: tuple[int, ...] = ()


@dataclass(slots=True)
class FlattenNode:
    path: tuple[str, ...]  # response keys from the root; lists are walked through
    display_path: str  # with `@` for lists, as the mature gateways print it
    node: FetchNode


@dataclass(slots=True)
class SequenceNode:
    nodes: list[PlanNode] = field(default_factory=list)


@dataclass(slots=True)
class ParallelNode:
    nodes: list[PlanNode] = field(default_factory=list)


PlanNode = FetchNode | FlattenNode | SequenceNode | ParallelNode


@dataclass(slots=True)
class QueryPlan:
    operation_kind: str
    root: PlanNode | None
    fetch_count: int

    def __str__(self) -> str:
        if self.root is None:
            return "QueryPlan {}"
        return "QueryPlan {\n" + _print(self.root, 1) + "\n}"


def _print(node: PlanNode, depth: int) -> str:
    pad = "  " * depth
    if isinstance(node, FetchNode):
        lines = [f'{pad}Fetch(service: "{node.subgraph}", id: {node.id}) {{']
        if node.entities:
            reps = ", ".join(sorted({r.typename for r in node.entities.values()}))
            lines.append(f"{pad}  representations of {reps}")
        lines.append(f"{pad}  {node.operation}")
        lines.append(f"{pad}}}")
        return "\n".join(lines)
    if isinstance(node, FlattenNode):
        return (
            f'{pad}Flatten(path: "{node.display_path}") {{\n'
            + _print(node.node, depth + 1)
            + f"\n{pad}}}"
        )
    name = "Sequence" if isinstance(node, SequenceNode) else "Parallel"
    inner = ",\n".join(_print(child, depth + 1) for child in node.nodes)
    return f"{pad}{name} {{\n{inner}\n{pad}}}"


def iter_fetches(node: PlanNode | None) -> list[FetchNode]:
    if node is None:
        return []
    if isinstance(node, FetchNode):
        return [node]
    if isinstance(node, FlattenNode):
        return [node.node]
    out: list[FetchNode] = []
    for child in node.nodes:
        out.extend(iter_fetches(child))
    return out
