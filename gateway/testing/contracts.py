"""Contract tests for front-end and brand repositories: a pytest plugin (entry point
`brand_matrix`, loaded automatically once `brand-matrix` is installed).

Front-end teams keep their operations in `operations/<front-end>/*.graphql`; brand teams keep
their subgraph's SDL. Their tests then assert, without any service running:

- every operation still validates against the supergraph's API schema and can be planned
  (`assert_operations_valid(brand_matrix_supergraph, brand_matrix_operations)`), or one test
  per operation with the `brand_matrix_operation` fixture;
- a proposed subgraph SDL still composes with the others and still satisfies every operation
  that depends on it (`assert_subgraph_satisfies(...)`).

Options (command line, or ini keys of the same name with underscores):
`--brand-matrix-supergraph FILE` (a supergraph SDL) and `--brand-matrix-operations DIR`.
Nothing happens at import or collection unless a test asks for these fixtures, so the plugin
costs other test suites nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:
    from graphql import GraphQLSchema

    from gateway.checks.operations import OperationResult, RegisteredOperation

SUPERGRAPH_OPTION = "brand_matrix_supergraph"
OPERATIONS_OPTION = "brand_matrix_operations"


@dataclass(frozen=True)
class LoadedSupergraph:
    """A supergraph ready for checks: its SDL, its API schema and a planner over it."""

    sdl: str
    api_schema: GraphQLSchema
    planner: Any


# -- helpers (importable: `from gateway.testing.contracts import ...`) ----------------------


def load_supergraph(path: str | Path) -> LoadedSupergraph:
    """A supergraph SDL file (e.g. the platform's schema/supergraph.graphql)."""
    try:
        sdl = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise AssertionError(f"cannot read supergraph {path}: {error.strerror or error}") from None
    return supergraph_from_sdl(sdl, where=str(path))


def supergraph_from_sdl(sdl: str, *, where: str = "supergraph") -> LoadedSupergraph:
    from graphql import GraphQLError

    from gateway.errors import SupergraphError
    from gateway.supergraph_state import build_supergraph

    try:
        built = build_supergraph(sdl)
    except (SupergraphError, GraphQLError) as error:
        raise AssertionError(f"{where} is not a usable supergraph: {error}") from None
    return LoadedSupergraph(sdl, built.api_schema, built.planner)


def compose_supergraph(subgraphs: Mapping[str, str | Path]) -> LoadedSupergraph:
    """Compose subgraphs, name -> SDL text (a `str`) or SDL file (a `Path`); an
    AssertionError lists every composition error."""
    from gateway.composition import SubgraphInput, compose

    inputs = [
        SubgraphInput(name, f"http://{name}/graphql", _sdl(v)) for name, v in subgraphs.items()
    ]
    result = compose(inputs)
    if not result.ok or result.supergraph_sdl is None:
        lines = [f"  {' '.join(str(issue).split())}" for issue in result.errors]
        raise AssertionError("the subgraphs do not compose:\n" + "\n".join(lines))
    return supergraph_from_sdl(result.supergraph_sdl, where="the composed supergraph")


def check_operations(
    supergraph: LoadedSupergraph | GraphQLSchema, operations: str | Path | list[Any]
) -> list[OperationResult]:
    """Validate (and, given a supergraph, plan) every operation of a directory laid out as
    `<dir>/<front-end>/*.graphql`, or of a list of `RegisteredOperation`."""
    from gateway.checks.operations import check_operations as check

    schema, planner = _schema_and_planner(supergraph)
    registered = _operations(operations)
    return check(registered, lambda _front_end: ("api", schema), planner)


def assert_operations_valid(
    supergraph: LoadedSupergraph | GraphQLSchema, operations: str | Path | list[Any]
) -> list[OperationResult]:
    """AssertionError naming each operation (front-end, file, name, errors with locations)
    that no longer validates or plans; the results otherwise."""
    results = check_operations(supergraph, operations)
    if not results:
        raise AssertionError(f"no operations found in {operations} (<dir>/<front-end>/*.graphql)")
    _fail_on([r for r in results if not r.ok], "operations no longer valid")
    return results


def assert_operation_valid(
    supergraph: LoadedSupergraph | GraphQLSchema, operation: RegisteredOperation
) -> OperationResult:
    """One operation (e.g. the `brand_matrix_operation` fixture's) validates and plans."""
    (result,) = check_operations(supergraph, [operation])
    _fail_on([result] if not result.ok else [], "operation no longer valid")
    return result


def assert_subgraph_satisfies(
    subgraph_name: str,
    proposed_sdl: str | Path,
    operations_dir: str | Path,
    subgraphs: Mapping[str, str | Path],
) -> list[OperationResult]:
    """Compose `proposed_sdl` as `subgraph_name` with `subgraphs` (name -> SDL text or
    file; the other subgraphs, and optionally `subgraph_name`'s current SDL) and assert that
    every operation depending on it still validates and plans. An operation depends on the
    subgraph when its plan fetches from it, now or (given its current SDL) before the change;
    without the current SDL, every failing operation counts (only this subgraph changed).
    Returns the results of the dependent operations."""
    proposed = compose_supergraph({**subgraphs, subgraph_name: proposed_sdl})
    results = check_operations(proposed, operations_dir)
    before: dict[tuple[str, str | None], set[str]] = {}
    if subgraph_name in subgraphs:
        from gateway.checks.operations import plan_subgraphs

        current = compose_supergraph(subgraphs)
        for registered in _operations(operations_dir):
            if registered.document is not None:
                used = plan_subgraphs(current.planner, registered.document)[0]
                before[(registered.file, registered.name)] = set(used)
    dependent = [
        r
        for r in results
        if subgraph_name in r.subgraphs
        or subgraph_name in before.get((r.file, r.operation), ())
        or (not r.ok and not before)
    ]
    _fail_on([r for r in dependent if not r.ok], f"operations {subgraph_name} no longer satisfies")
    return dependent


def registered_operations(directory: str | Path) -> list[RegisteredOperation]:
    from gateway.checks.operations import load_operations

    directory = Path(directory)
    if not directory.is_dir():
        raise AssertionError(f"operations directory {directory} does not exist")
    return load_operations(directory)


# -- the pytest plugin ----------------------------------------------------------------------


def pytest_addoption(parser: pytest.Parser) -> None:
    group = parser.getgroup("brand-matrix", "Brand Matrix contract tests")
    group.addoption(
        "--brand-matrix-supergraph",
        dest=SUPERGRAPH_OPTION,
        metavar="FILE",
        help="supergraph SDL for the brand_matrix_supergraph fixture",
    )
    group.addoption(
        "--brand-matrix-operations",
        dest=OPERATIONS_OPTION,
        metavar="DIR",
        help="registered operations (DIR/<front-end>/*.graphql) for brand_matrix_operations",
    )
    parser.addini(SUPERGRAPH_OPTION, "supergraph SDL file (relative to the rootdir)")
    parser.addini(OPERATIONS_OPTION, "operations directory (relative to the rootdir)")


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """One test per registered operation for tests asking for `brand_matrix_operation`."""
    if "brand_matrix_operation" not in metafunc.fixturenames:
        return
    directory = _configured(metafunc.config, OPERATIONS_OPTION)
    found = registered_operations(directory) if directory is not None else []
    ids = [f"{op.front_end}/{Path(op.file).name}::{op.name or 'unparsable'}" for op in found]
    metafunc.parametrize("brand_matrix_operation", found, ids=ids)


@pytest.fixture(scope="session")
def brand_matrix_supergraph(request: pytest.FixtureRequest) -> LoadedSupergraph:
    """The supergraph of `--brand-matrix-supergraph` / `brand_matrix_supergraph` (ini)."""
    path = _required(request.config, SUPERGRAPH_OPTION, "FILE")
    try:
        return load_supergraph(path)
    except AssertionError as error:
        pytest.fail(str(error), pytrace=False)


@pytest.fixture(scope="session")
def brand_matrix_operations(request: pytest.FixtureRequest) -> Path:
    """The operations directory of `--brand-matrix-operations` / `brand_matrix_operations`."""
    path = _required(request.config, OPERATIONS_OPTION, "DIR")
    if not path.is_dir():
        pytest.fail(f"brand_matrix_operations: {path} is not a directory", pytrace=False)
    return path


# -- internals --------------------------------------------------------------------------


def _required(config: pytest.Config, name: str, metavar: str) -> Path:
    path = _configured(config, name)
    if path is None:
        option = "--" + name.replace("_", "-")
        message = f"{name}: give {option} {metavar} or set {name} in the pytest ini"
        pytest.fail(message, pytrace=False)
    return path


def _configured(config: pytest.Config, name: str) -> Path | None:
    # The command line is relative to where pytest runs; the ini value to the rootdir.
    given = config.getoption(name)
    if given:
        return Path(given)
    value = config.getini(name)
    return Path(config.rootpath, value) if value else None


def _schema_and_planner(supergraph: Any) -> tuple[Any, Any]:
    if isinstance(supergraph, LoadedSupergraph):
        return supergraph.api_schema, supergraph.planner
    return supergraph, None  # a plain API schema: validation only, nothing to plan over


def _operations(operations: str | Path | list[Any]) -> list[Any]:
    return list(operations) if isinstance(operations, list) else registered_operations(operations)


def _sdl(value: str | Path) -> str:
    if not isinstance(value, Path):
        return value
    try:
        return value.read_text(encoding="utf-8")
    except OSError as error:
        raise AssertionError(f"cannot read SDL file {value}: {error.strerror or error}") from None


def _fail_on(failing: list[OperationResult], title: str) -> None:
    if not failing:
        return
    from gateway.errors import located_message

    lines = [f"{len(failing)} {title}:"]
    for result in failing:
        lines.append(f"  {result.front_end}: {result.file} {result.operation or '(unparsable)'}")
        lines += [f"    {located_message(error)}" for error in result.errors]
    raise AssertionError("\n".join(lines))
