"""`brand-matrix check` end to end on a copy of the repository's config, schemas and
registered operations (the subgraph SDL edits are made on the copy)."""

from __future__ import annotations

import json
import shutil
from datetime import UTC, datetime
from pathlib import Path

import pytest

from gateway.cli import main
from tests.gateway.checks.sdl_edit import drop_field

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    shutil.copy(ROOT / "brand-matrix.toml", tmp_path / "brand-matrix.toml")
    shutil.copytree(ROOT / "schema", tmp_path / "schema")
    return tmp_path


def check(project: Path, *args: str) -> list[str]:
    return ["check", "--config", str(project / "brand-matrix.toml"), *args]


def proposed(project: Path, sdl: str, name: str = "next.graphql") -> str:
    path = project / name
    path.write_text(sdl, encoding="utf-8")
    return str(path)


def catalogue(project: Path) -> str:
    return (project / "schema" / "catalogue.graphql").read_text(encoding="utf-8")


def test_unchanged_schemas_pass_with_no_changes(project, capsys) -> None:
    same = str(project / "schema" / "catalogue.graphql")
    assert main(check(project, "--subgraph", "catalogue", "--schema", same)) == 0
    out = capsys.readouterr().out
    assert "API schema: no changes" in out
    assert "result: ok (no changes)" in out
    assert "0 failing" in out


def test_removing_a_field_a_registered_operation_uses_fails_naming_front_end_and_file(
    project, capsys
) -> None:
    schema = proposed(project, drop_field(catalogue(project), "Product", "priceFen"))
    assert main(check(project, "--subgraph", "catalogue", "--schema", schema)) == 1
    out = capsys.readouterr().out
    assert "BREAKING  Product.priceFen" in out
    assert (
        "FAIL lumen-miniprogram: schema/operations/lumen-miniprogram/home.graphql Home "
        "[contract:miniprogram] (uses catalogue)"
    ) in out
    assert "Cannot query field 'priceFen' on type 'Product'. (at " in out
    assert "result: FAILED with 1 breaking change and 1 failing registered operation" in out


def test_a_broken_registered_operation_passes_only_acknowledged_and_is_still_printed(
    project, capsys
) -> None:
    schema = proposed(project, drop_field(catalogue(project), "Product", "priceFen"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema)
    assert main([*args, "--allow-breaking", "home page redesign ships first"]) == 0
    out = capsys.readouterr().out
    assert "FAIL lumen-miniprogram: schema/operations/lumen-miniprogram/home.graphql Home" in out
    assert "acknowledged with --allow-breaking: home page redesign ships first" in out


def test_removing_an_unused_field_is_breaking_until_acknowledged(project, capsys) -> None:
    schema = proposed(project, drop_field(catalogue(project), "Product", "active"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema)
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "BREAKING  Product.active" in out and "0 failing" in out
    assert "acknowledge with --allow-breaking REASON" in out

    assert main([*args, "--allow-breaking", "no client reads Product.active"]) == 0
    out = capsys.readouterr().out
    assert "acknowledged with --allow-breaking: no client reads Product.active" in out
    assert "result: ok, with 1 breaking change acknowledged" in out


def test_adding_an_optional_field_is_safe(project, capsys) -> None:
    sdl = catalogue(project).replace(
        "  description: String!\n", "  description: String!\n  subtitle: String\n", 1
    )
    schema = proposed(project, sdl)
    assert main(check(project, "--subgraph", "catalogue", "--schema", schema)) == 0
    out = capsys.readouterr().out
    assert "SAFE      Product.subtitle" in out
    assert "0 breaking, 0 dangerous, 1 safe" in out


def test_a_composition_error_fails_with_its_code_even_when_acknowledged(project, capsys) -> None:
    content = (project / "schema" / "content.graphql").read_text(encoding="utf-8")
    schema = proposed(project, drop_field(content, "Member", "id"))
    args = check(project, "--subgraph", "content", "--schema", schema)
    assert main([*args, "--allow-breaking", "trying"]) == 1
    out = capsys.readouterr().out
    assert "composition: FAILED with 1 composition error" in out
    assert "error[KEY_INVALID_FIELDS] Member.id (subgraph content)" in out
    assert "composition errors cannot be acknowledged" in out


def test_invalid_sdl_is_one_line_and_exit_2(project, capsys) -> None:
    schema = proposed(project, "type Product {\n  id: ID!\n")
    assert main(check(project, "--subgraph", "catalogue", "--schema", schema)) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    (line,) = captured.err.splitlines()
    assert line.startswith(f"brand-matrix: error: {schema} is not valid GraphQL SDL at line 3")


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--subgraph", "nope", "--schema", "schema/member.graphql"], "unknown subgraph 'nope'"),
        (["--subgraph", "member", "--schema", "missing.graphql"], "cannot read missing.graphql"),
        (["--subgraph", "member"], "give one --schema FILE for each --subgraph NAME"),
        ([], "give --subgraph NAME --schema FILE (repeatable) or --all"),
        (["--all", "--subgraph", "member", "--schema", "x"], "not both"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(project, capsys, monkeypatch, args, message) -> None:
    monkeypatch.chdir(project)
    assert main(check(project, *args)) == 2
    err = capsys.readouterr().err
    assert message in err and len(err.splitlines()) == 1, err
    assert "Traceback" not in err


def test_a_bad_usage_window_is_a_usage_error(project, capsys) -> None:
    assert main(check(project, "--all", "--usage-days", "0")) == 2
    assert "--usage-days: must be 1 or more: 0" in capsys.readouterr().err


def test_missing_config_is_exit_2(tmp_path, capsys) -> None:
    missing = str(tmp_path / "nope.toml")
    assert main(["check", "--config", missing, "--all"]) == 2
    assert f"cannot read config file {missing}" in capsys.readouterr().err


def test_json_output_shape(project, capsys) -> None:
    schema = proposed(project, drop_field(catalogue(project), "Product", "priceFen"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema, "--format", "json")
    assert main([*args, "--allow-breaking", "accepted by the lumen team"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert set(report) == {
        "ok", "exit_code", "mode", "subgraphs", "api_schema", "composition", "changes",
        "summary", "operations", "operations_checked", "acknowledged", "usage",
    }  # fmt: skip
    assert report["ok"] is True and report["exit_code"] == 0
    assert report["acknowledged"] == "accepted by the lumen team"
    assert report["mode"] == "subgraph" and report["subgraphs"]["changed"] == ["catalogue"]
    assert report["composition"] == {"ok": True, "errors": [], "hints": []}
    assert report["changes"] == [
        {
            "criticality": "BREAKING",
            "kind": "FIELD_REMOVED",
            "coordinate": "Product.priceFen",
            "message": "Field 'Product.priceFen' was removed from object type 'Product'",
            "unused": False,
        }
    ]
    assert report["summary"]["breaking"] == 1 and report["summary"]["failing_operations"] == 1
    (home,) = [o for o in report["operations"] if not o["ok"]]
    assert home["front_end"] == "lumen-miniprogram" and home["operation"] == "Home"
    assert home["file"] == "schema/operations/lumen-miniprogram/home.graphql"
    assert home["touches_changed_subgraph"] is True
    assert home["errors"][0]["locations"][0]["line"] > 0
    assert report["usage"] == {
        "sink": None, "days": 30, "checked": False, "error": None, "unused": [],
    }  # fmt: skip


def test_json_composition_error_and_input_error(project, capsys) -> None:
    content = (project / "schema" / "content.graphql").read_text(encoding="utf-8")
    schema = proposed(project, drop_field(content, "Member", "id"))
    args = check(project, "--subgraph", "content", "--schema", schema, "--format", "json")
    assert main(args) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["composition"]["ok"] is False
    assert report["composition"]["errors"][0]["code"] == "KEY_INVALID_FIELDS"
    assert report["changes"] == [] and report["operations_checked"] is False

    args = check(project, "--subgraph", "nope", "--schema", schema, "--format", "json")
    assert main(args) == 2
    report = json.loads(capsys.readouterr().out)
    assert report["ok"] is False and report["exit_code"] == 2
    assert "unknown subgraph 'nope'" in report["input_errors"][0]["message"]


def write_usage(path: Path, counts: dict[str, int], recording_days: int = 40) -> str:
    """A SQLite sink with `counts` today, recording for `recording_days` (an older use of
    Query.me marks its first day)."""
    from datetime import timedelta

    from gateway.usage.sinks import open_sink

    url = f"sqlite:///{path}"
    sink = open_sink(url)
    try:
        today = datetime.now(UTC).date()
        first = today - timedelta(days=recording_days - 1)
        sink.write({(first, "Query.me"): 1})
        sink.write({(today, coordinate): count for coordinate, count in counts.items()})
    finally:
        sink.close()
    return url


def test_usage_data_marks_an_unused_breaking_change_safe_to_ship(project, capsys) -> None:
    sink = write_usage(project / "usage.db", {"Product.name": 40, "Product.priceFen": 12})
    schema = proposed(project, drop_field(catalogue(project), "Product", "active"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema, "--usage", sink)
    assert main([*args, "--usage-days", "7"]) == 0
    out = capsys.readouterr().out
    assert "BREAKING  Product.active: " in out and "(unused in the last 7 days)" in out
    assert "result: ok" in out

    assert main([*args, "--format", "json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["usage"]["checked"] is True and report["usage"]["unused"] == ["Product.active"]
    assert report["summary"]["breaking_unused"] == 1


def test_usage_data_keeps_a_used_field_breaking(project, capsys) -> None:
    sink = write_usage(project / "usage.db", {"Product.active": 3})
    schema = proposed(project, drop_field(catalogue(project), "Product", "active"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema, "--usage", sink)
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "BREAKING  Product.active" in out and "unused" not in out


def test_an_unreadable_usage_sink_is_exit_2_unless_allowed(project, capsys) -> None:
    sink = f"sqlite:///{project / 'empty.db'}"  # no usage table
    schema = str(project / "schema" / "catalogue.graphql")
    args = check(project, "--subgraph", "catalogue", "--schema", schema, "--usage", sink)
    assert main(args) == 2
    err = capsys.readouterr().err
    assert len(err.splitlines()) == 1 and "--allow-missing-usage" in err

    assert main([*args, "--allow-missing-usage"]) == 0
    assert "usage: not checked:" in capsys.readouterr().out


def test_a_sink_without_usage_in_the_window_applies_no_usage(project, capsys) -> None:
    from datetime import timedelta

    from gateway.usage.sinks import open_sink

    url = f"sqlite:///{project / 'old.db'}"
    sink = open_sink(url)
    try:  # the gateway recorded Product.name 60 days ago, and nothing since
        sink.write({(datetime.now(UTC).date() - timedelta(days=60), "Product.name"): 5})
    finally:
        sink.close()
    schema = proposed(project, drop_field(catalogue(project), "Product", "active"))
    args = check(project, "--subgraph", "catalogue", "--schema", schema, "--usage", url)
    assert main(args) == 1
    out = capsys.readouterr().out
    assert "usage: not checked: the sink holds no usage in the last 30 days" in out
    assert "unused in the last" not in out


def test_all_on_the_untouched_repository_passes(capsys) -> None:
    assert main(["check", "--config", str(ROOT / "brand-matrix.toml"), "--all"]) == 0
    out = capsys.readouterr().out
    assert "differs from the checked-in SDL: none" in out
    assert "API schema: no changes" in out and "0 failing" in out


def test_all_reports_a_subgraph_whose_code_cannot_print_its_schema(project, capsys) -> None:
    package = project / "broken_pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "member.py").write_text("raise RuntimeError('no database url')\n")
    args = check(project, "--all", "--print-module", "broken_pkg.{name}")
    assert main(args) == 2
    err = capsys.readouterr().err
    assert "subgraph member: broken_pkg.member failed: RuntimeError: no database url" in err


class _NoSubgraphs:
    """Answers every fetch with nothing: usage is recorded before any fetch runs."""

    async def fetch(self, request: object) -> dict[str, object]:
        return {"data": None}

    async def aclose(self) -> None:
        return None


async def test_usage_a_gateway_records_decides_what_check_lets_ship(project, capsys) -> None:
    """The whole loop: a gateway serves operations and flushes field usage to its sink; `check`
    reads that sink and lets a removal ship only when no served operation used the field."""
    from gateway.service import Gateway, GraphQLRequest
    from gateway.usage import UsageFlusher, UsageRecorder, open_sink

    supergraph = (project / "schema" / "supergraph.graphql").read_text(encoding="utf-8")
    names = ("member", "loyalty", "order", "catalogue", "content")
    recorder = UsageRecorder()
    url = f"sqlite:///{project / 'usage.db'}"
    flusher = UsageFlusher(recorder, open_sink(url))
    gateway = Gateway(
        supergraph, transports={n: _NoSubgraphs() for n in names}, usage=recorder, auth=None
    )
    try:
        query = "query P($id: ID!) { product(id: $id) { id name priceFen } }"
        for _ in range(3):
            await gateway.execute(GraphQLRequest(query, None, {"id": "lumen:SKU-1"}))
    finally:
        await gateway.aclose()
        await flusher.stop()  # the last flush, as at shutdown

    used = proposed(project, drop_field(catalogue(project), "Product", "priceFen"), "a.graphql")
    unused = proposed(project, drop_field(catalogue(project), "Product", "active"), "b.graphql")
    for schema, expected in ((used, 1), (unused, 0)):
        args = check(project, "--subgraph", "catalogue", "--schema", schema, "--usage", url)
        assert main([*args, "--usage-days", "1", "--format", "json"]) == expected
        report = json.loads(capsys.readouterr().out)
        assert report["usage"]["checked"] is True
        assert report["usage"]["unused"] == ([] if expected else ["Product.active"])

    # The sink began recording today: for the default 30 days it proves nothing unused.
    args = check(project, "--subgraph", "catalogue", "--schema", unused, "--usage", url)
    assert main([*args, "--format", "json"]) == 1
    report = json.loads(capsys.readouterr().out)
    assert report["usage"]["checked"] is False and "(1 of the 30 days" in report["usage"]["error"]
