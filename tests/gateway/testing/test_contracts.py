"""The contract-test pytest plugin (gateway/testing/contracts.py) as front-end and brand teams
use it in their own repositories: run inside pytest's own `pytester`, with the plugin loaded
by its `pytest11` entry point as in any repository that installs brand-matrix."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.gateway.checks.sdl_edit import drop_field

pytest_plugins = ["pytester"]

ROOT = Path(__file__).resolve().parents[3]

FRONT_END_TESTS = """
from gateway.testing.contracts import assert_operation_valid, assert_operations_valid

def test_every_operation(brand_matrix_supergraph, brand_matrix_operations):
    results = assert_operations_valid(brand_matrix_supergraph, brand_matrix_operations)
    assert len(results) >= 10

def test_one(brand_matrix_supergraph, brand_matrix_operation):
    assert_operation_valid(brand_matrix_supergraph, brand_matrix_operation)
"""


@pytest.fixture
def front_end(pytester: pytest.Pytester) -> pytest.Pytester:
    """A front-end repository: the platform's supergraph and its own operations."""
    shutil.copy(ROOT / "schema" / "supergraph.graphql", pytester.path / "supergraph.graphql")
    shutil.copytree(ROOT / "schema" / "operations", pytester.path / "operations")
    ini(
        pytester,
        "brand_matrix_supergraph = supergraph.graphql\nbrand_matrix_operations = operations",
    )
    pytester.makepyfile(test_contract=FRONT_END_TESTS)
    return pytester


def ini(pytester: pytest.Pytester, settings: str = "") -> None:
    # pytest-asyncio (installed here) warns about an unset loop scope in every inner run.
    pytester.makeini(f"[pytest]\nasyncio_default_fixture_loop_scope = function\n{settings}\n")


def operation_count() -> int:
    from gateway.checks.operations import load_operations

    return len(load_operations(ROOT / "schema" / "operations"))


def test_a_front_end_repository_validates_its_operations(front_end) -> None:
    result = front_end.runpytest()
    result.assert_outcomes(passed=1 + operation_count())
    result = front_end.runpytest("--collect-only", "-q")
    result.stdout.fnmatch_lines(["*test_one?lumen-miniprogram/home.graphql::Home?*"])


def test_a_broken_operation_fails_naming_its_front_end_file_and_error(front_end) -> None:
    home = front_end.path / "operations" / "lumen-miniprogram" / "home.graphql"
    home.write_text(home.read_text().replace("priceFen", "priceInFen", 1))
    result = front_end.runpytest()
    result.assert_outcomes(passed=operation_count() - 1, failed=2)
    result.stdout.fnmatch_lines(
        [
            "*1 operations no longer valid:*",
            "*lumen-miniprogram: operations/lumen-miniprogram/home.graphql Home*",
            "*Cannot query field 'priceInFen' on type 'Product'*(at *)*",
        ]
    )


def test_the_command_line_overrides_the_ini(front_end) -> None:
    (front_end.path / "empty").mkdir()
    result = front_end.runpytest("--brand-matrix-operations", "empty", "-k", "every")
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*no operations found in empty*"])


def test_an_unconfigured_fixture_fails_with_what_to_set(pytester: pytest.Pytester) -> None:
    ini(pytester)
    pytester.makepyfile("def test_it(brand_matrix_supergraph):\n    pass\n")
    result = pytester.runpytest()
    result.assert_outcomes(errors=1)
    result.stdout.fnmatch_lines(["*give --brand-matrix-supergraph FILE or set*"])


BRAND_TESTS = """
from pathlib import Path

import pytest

from gateway.testing.contracts import assert_subgraph_satisfies

SCHEMAS = Path(__file__).parent / "schemas"
OTHERS = {p.stem: p for p in SCHEMAS.glob("*.graphql")}


def test_our_catalogue_still_satisfies_the_front_ends():
    proposed = Path("catalogue.graphql")  # what our subgraph prints now
    dependent = assert_subgraph_satisfies("catalogue", proposed, "operations", OTHERS)
    assert {r.operation for r in dependent} >= {"Home", "ProductPage"}
    assert all("catalogue" in r.subgraphs for r in dependent)
"""


@pytest.fixture
def brand_team(pytester: pytest.Pytester) -> pytest.Pytester:
    """A brand team's repository: its catalogue SDL, the platform's subgraph schemas (the
    catalogue's current one among them) and the registered operations."""
    (pytester.path / "schemas").mkdir()
    for name in ("member", "loyalty", "order", "catalogue", "content"):
        sdl = ROOT / "schema" / f"{name}.graphql"
        shutil.copy(sdl, pytester.path / "schemas" / f"{name}.graphql")
    shutil.copy(ROOT / "schema" / "catalogue.graphql", pytester.path / "catalogue.graphql")
    shutil.copytree(ROOT / "schema" / "operations", pytester.path / "operations")
    ini(pytester)
    pytester.makepyfile(test_catalogue=BRAND_TESTS)
    return pytester


def test_a_subgraph_that_still_satisfies_its_operations_passes(brand_team) -> None:
    brand_team.runpytest().assert_outcomes(passed=1)


def test_a_subgraph_change_that_breaks_an_operation_fails(brand_team) -> None:
    proposed = brand_team.path / "catalogue.graphql"
    proposed.write_text(drop_field(proposed.read_text(), "Product", "priceFen"))
    result = brand_team.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(
        [
            "*operations catalogue no longer satisfies:*",
            "*lumen-miniprogram: operations/lumen-miniprogram/home.graphql Home*",
        ]
    )


def test_a_subgraph_change_that_does_not_compose_fails_with_the_code(brand_team) -> None:
    proposed = brand_team.path / "catalogue.graphql"
    proposed.write_text(proposed.read_text().replace('@key(fields: "id")', '@key(fields: "sku")'))
    result = brand_team.runpytest()
    result.assert_outcomes(failed=1)
    result.stdout.fnmatch_lines(["*the subgraphs do not compose:*", "*KEY_INVALID_FIELDS*"])


def test_the_plugin_does_no_work_for_a_suite_that_does_not_use_it(
    pytester: pytest.Pytester,
) -> None:
    pytester.makepyfile(
        """
        import sys

        def test_nothing_loaded():
            assert "gateway.testing.contracts" in sys.modules  # the plugin is loaded ...
            assert "gateway.checks" not in sys.modules  # ... and has imported nothing more
            assert "graphql" not in sys.modules
        """
    )
    pytester.runpytest_subprocess("-p", "no:cacheprovider").assert_outcomes(passed=1)
