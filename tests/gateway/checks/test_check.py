"""`run_check` (gateway/checks/check.py): what goes into the report, on a copy of the
repository's config, schemas and operations."""

from __future__ import annotations

import shutil
import textwrap
from pathlib import Path

import pytest

from gateway.checks.check import CheckOptions, run_check
from gateway.checks.inputs import CheckInputError
from tests.gateway.checks.sdl_edit import drop_field

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "brand-matrix.toml", tmp_path / "brand-matrix.toml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def sdl(project: Path, name: str) -> str:
    return (project / "schema" / f"{name}.graphql").read_text(encoding="utf-8")


def write(project: Path, name: str, text: str) -> str:
    (project / name).write_text(text, encoding="utf-8")
    return str(project / name)


def test_several_subgraphs_change_at_once(project) -> None:
    catalogue = write(
        project, "c.graphql", drop_field(sdl(project, "catalogue"), "Product", "active")
    )
    content = write(project, "b.graphql", drop_field(sdl(project, "content"), "Banner", "title"))
    report = run_check(
        CheckOptions(
            config=str(project / "brand-matrix.toml"),
            subgraphs=[("catalogue", catalogue), ("content", content)],
        )
    )
    assert report.changed == ["catalogue", "content"]
    assert {c.change.coordinate for c in report.blocking_changes} == {
        "Product.active",
        "Banner.title",
    }
    failing = {(o.front_end, o.operation) for o in report.failing_operations}
    assert failing == {("lumen-miniprogram", "Home")}  # vitalis shows articles, not banners
    assert report.exit_code == 1


def test_front_ends_of_a_contract_are_checked_against_the_contract_schema(project) -> None:
    # An operator field (tagged "operator", excluded by [contracts.miniprogram]) is in the
    # API schema but not in the contract the mini-programs are served.
    (project / "schema" / "operations" / "lumen-miniprogram" / "erasure.graphql").write_text(
        'query Erasure { erasureRequest(id: "e1") { id } }\n', encoding="utf-8"
    )
    (project / "schema" / "operations" / "ops-console").mkdir()
    (project / "schema" / "operations" / "ops-console" / "erasure.graphql").write_text(
        'query OpsErasure { erasureRequest(id: "e1") { id } }\n', encoding="utf-8"
    )
    same = str(project / "schema" / "member.graphql")
    report = run_check(
        CheckOptions(config=str(project / "brand-matrix.toml"), subgraphs=[("member", same)])
    )
    by_name = {o.operation: o for o in report.operations}
    assert by_name["Erasure"].schema == "contract:miniprogram" and not by_name["Erasure"].ok
    assert "erasureRequest" in by_name["Erasure"].errors[0]["message"]
    assert by_name["OpsErasure"].schema == "api" and by_name["OpsErasure"].ok
    assert by_name["OpsErasure"].subgraphs == ["member"] and by_name["OpsErasure"].touches_changed


def test_all_prints_each_working_copy_in_a_subprocess(project) -> None:
    # Stand-in print modules: every subgraph prints its checked-in SDL, catalogue without a field.
    package = project / "printing"
    package.mkdir()
    (package / "__init__.py").write_text("")
    for name in ("member", "loyalty", "order", "catalogue", "content"):
        text = sdl(project, name)
        if name == "catalogue":
            text = drop_field(text, "Product", "active")
        (package / f"{name}.graphql").write_text(text, encoding="utf-8")
        (package / f"{name}.py").write_text(
            textwrap.dedent(
                f"""
                from pathlib import Path

                def main(argv):
                    source = Path(__file__).with_name("{name}.graphql").read_text()
                    Path(argv[0]).write_text(source)
                    print("wrote", argv[0])  # the real modules say so too; not the caller's
                    return 0
                """
            )
        )
    report = run_check(
        CheckOptions(
            config=str(project / "brand-matrix.toml"), all=True, print_module="printing.{name}"
        )
    )
    assert report.mode == "all" and report.changed == ["catalogue"]
    assert [c.change.coordinate for c in report.changes] == ["Product.active"]


def test_a_print_module_pattern_without_the_name_is_refused(project) -> None:
    with pytest.raises(CheckInputError, match="must contain"):
        run_check(
            CheckOptions(config=str(project / "brand-matrix.toml"), all=True, print_module="x")
        )


def test_a_subgraph_without_a_schema_file_is_an_input_error(tmp_path) -> None:
    (tmp_path / "c.toml").write_text(
        '[subgraphs.live]\nurl = "http://127.0.0.1:1/graphql"\nintrospect = true\n'
    )
    with pytest.raises(CheckInputError, match=r"subgraphs\.live has no schema file"):
        run_check(CheckOptions(config=str(tmp_path / "c.toml"), all=True))
