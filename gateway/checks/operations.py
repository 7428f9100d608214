"""Registered front-end operations (`<dir>/<front-end>/*.graphql`) against a composed schema:
does each still validate against the API schema (or its front-end's contract schema), and can
the planner still satisfy it? Which subgraphs does its plan touch?

Shared by `brand-matrix check` and the contract-test pytest plugin (gateway/testing).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import (
    DocumentNode,
    FragmentDefinitionNode,
    FragmentSpreadNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    parse,
    validate,
)
from graphql.language import Visitor, visit


@dataclass(frozen=True)
class RegisteredOperation:
    front_end: str
    file: str  # for reports: relative to the root given to load_operations
    name: str | None  # None: the file does not parse (the parse error is in `problem`)
    document: DocumentNode | None = None  # this operation and the fragments it uses
    problem: dict[str, Any] | None = None


@dataclass
class OperationResult:
    front_end: str
    file: str
    operation: str | None
    errors: list[dict[str, Any]] = field(default_factory=list)
    subgraphs: list[str] = field(default_factory=list)  # those its plan fetches from
    schema: str = "api"  # "api", or "contract:<name>" when validated against a contract
    touches_changed: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors

    def to_json(self) -> dict[str, Any]:
        return {
            "front_end": self.front_end,
            "file": self.file,
            "operation": self.operation,
            "ok": self.ok,
            "schema": self.schema,
            "subgraphs": self.subgraphs,
            "touches_changed_subgraph": self.touches_changed,
            "errors": self.errors,
        }


def load_operations(directory: Path, root: Path | None = None) -> list[RegisteredOperation]:
    """Every operation of every `<directory>/<front-end>/*.graphql`, one per operation; files
    are named relative to `root` (default: the directory's parent)."""
    found: list[RegisteredOperation] = []
    base = (root or directory.parent).resolve()
    for path in sorted(directory.glob("*/*.graphql")):
        label = _label(path, base)
        front_end = path.parent.name
        try:
            document = parse(path.read_text(encoding="utf-8"))
        except GraphQLError as error:
            found.append(RegisteredOperation(front_end, label, None, problem=_error(error)))
            continue
        for operation in _operations(document):
            name = operation.name.value if operation.name else None
            found.append(
                RegisteredOperation(front_end, label, name, _own_document(document, operation))
            )
    return found


def check_operations(
    operations: list[RegisteredOperation],
    schema_for: Callable[[str], tuple[str, GraphQLSchema | str]],
    planner: Any | None,
) -> list[OperationResult]:
    """Validate each operation against `schema_for(front_end)` -> (label, schema, or why there
    is none) and, when it validates and a planner is given, plan it over the supergraph."""
    results: list[OperationResult] = []
    for registered in operations:
        result = OperationResult(registered.front_end, registered.file, registered.name)
        results.append(result)
        if registered.document is None:
            result.errors.append(registered.problem or {"message": "cannot be read"})
            continue
        label, schema = schema_for(registered.front_end)
        result.schema = label
        if isinstance(schema, str):  # the front-end's contract cannot be built
            result.errors.append({"message": schema})
            continue
        result.errors = [_error(e) for e in validate(schema, registered.document)]
        if result.errors or planner is None:
            continue
        subgraphs, problem = plan_subgraphs(planner, registered.document)
        if problem is not None:
            result.errors.append(problem)
        result.subgraphs = subgraphs
    return results


def plan_subgraphs(planner: Any, document: DocumentNode) -> tuple[list[str], dict[str, Any] | None]:
    """(subgraphs the plan fetches from, None), or ([], the planning error)."""
    from gateway.errors import RequestError
    from gateway.planning.operation import find_operation, normalize

    definition = find_operation(document, None)
    if definition is None:
        return [], {"message": "the document holds no single operation to plan"}
    try:
        plan = planner.plan(normalize(document, definition))
    except RequestError as error:
        return [], {"message": f"cannot be planned: {error}"}
    except Exception as error:  # a planner failure is this operation's problem, not a crash
        return [], {"message": f"cannot be planned: {type(error).__name__}: {error}"}
    return sorted(set(_fetched(plan.root))), None


def _fetched(node: Any) -> Iterator[str]:
    from gateway.planning.plan import FetchNode, FlattenNode

    if node is None:
        return
    if isinstance(node, FetchNode):
        yield node.subgraph
    elif isinstance(node, FlattenNode):
        yield node.node.subgraph
    else:
        for child in node.nodes:
            yield from _fetched(child)


def _label(path: Path, base: Path) -> str:
    try:
        return path.resolve().relative_to(base).as_posix()
    except ValueError:  # outside the root: as given
        return path.as_posix()


def _operations(document: DocumentNode) -> list[OperationDefinitionNode]:
    return [d for d in document.definitions if isinstance(d, OperationDefinitionNode)]


def _own_document(document: DocumentNode, operation: OperationDefinitionNode) -> DocumentNode:
    """The operation with just the fragments it uses (transitively), so each operation of a
    file is validated alone and its errors are its own."""
    fragments = {
        d.name.value: d for d in document.definitions if isinstance(d, FragmentDefinitionNode)
    }
    used: list[str] = []
    pending = _spreads(operation)
    while pending:
        name = pending.pop()
        if name in used or name not in fragments:
            continue  # an unknown fragment is left for validation to report
        used.append(name)
        pending.extend(_spreads(fragments[name]))
    definitions = [operation, *(fragments[n] for n in sorted(used))]
    return DocumentNode(definitions=tuple(definitions))


def _spreads(node: Any) -> list[str]:
    names: list[str] = []

    class _Spreads(Visitor):
        def enter_fragment_spread(self, spread: FragmentSpreadNode, *_: Any) -> None:
            names.append(spread.name.value)

    visit(node, _Spreads())
    return names


def _error(error: GraphQLError) -> dict[str, Any]:
    out: dict[str, Any] = {"message": error.message}
    if error.locations:
        out["locations"] = [{"line": loc.line, "column": loc.column} for loc in error.locations]
    return out
