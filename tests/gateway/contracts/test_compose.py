"""`brand-matrix compose` writes each contract's API schema (`--contracts-out`, default
contracts/ beside the API schema) and `--check` reports a stale one."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from gateway import cli
from gateway.composition.command import ComposeOptions, run_compose
from gateway.contracts import ContractSpec, contract_api_sdl
from tests.gateway.contracts.federation import schemas

PUBLIC = ContractSpec("public", exclude_tags=frozenset({"staff"}))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    for name, schema in schemas().items():
        (tmp_path / f"{name}.graphql").write_text(schema.as_str(), encoding="utf-8")
    path = tmp_path / "brand-matrix.toml"
    path.write_text(
        '[subgraphs.products]\nurl = "http://127.0.0.1:9/products"\nschema = "products.graphql"\n'
        '[subgraphs.reviews]\nurl = "http://127.0.0.1:9/reviews"\nschema = "reviews.graphql"\n'
        '[contracts.public]\nexclude_tags = ["staff"]\n'
        '[contracts.partner]\nexclude_tags = ["staff"]\n',
        encoding="utf-8",
    )
    return path


def compose(config: Path, out: Path, **options: object) -> tuple[int, str]:
    err = io.StringIO()
    code = run_compose(
        ComposeOptions(config=str(config), out=str(out / "supergraph.graphql"), **options),
        io.StringIO(),
        err,
    )
    return code, err.getvalue()


def test_contracts_are_written_beside_the_api_schema(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "schema"
    code, err = compose(config, out)
    assert code == 0, err
    supergraph = (out / "supergraph.graphql").read_text()
    written = (out / "contracts" / "public.graphql").read_text()
    assert written == contract_api_sdl(supergraph, PUBLIC)
    assert "costFen" not in written and "costFen" in (out / "api.graphql").read_text()
    assert (out / "contracts" / "partner.graphql").is_file()
    assert "contracts/public.graphql: written" in err


def test_contracts_out_chooses_the_folder(config: Path, tmp_path: Path) -> None:
    code, err = compose(config, tmp_path / "schema", contracts_out=str(tmp_path / "elsewhere"))
    assert code == 0, err
    assert (tmp_path / "elsewhere" / "public.graphql").is_file()
    assert not (tmp_path / "schema" / "contracts").exists()


def test_check_reports_a_stale_contract_file(config: Path, tmp_path: Path) -> None:
    out = tmp_path / "schema"
    assert compose(config, out)[0] == 0
    assert compose(config, out, check=True)[0] == 0
    stale = out / "contracts" / "public.graphql"
    stale.write_text(stale.read_text() + "\nscalar Extra\n")
    code, err = compose(config, out, check=True)
    assert code == 1 and "public.graphql: would change" in err


def test_an_invalid_contract_fails_composition_and_writes_nothing(
    config: Path, tmp_path: Path
) -> None:
    config.write_text(
        config.read_text() + '[contracts.empty]\ninclude_tags = ["nothing-has-it"]\n',
        encoding="utf-8",
    )
    out = tmp_path / "schema"
    code, err = compose(config, out)
    assert code == 1
    assert "CONTRACT_INVALID" in err and "contract 'empty'" in err
    assert not out.exists()


def test_a_bad_contracts_table_is_an_input_error(config: Path, tmp_path: Path) -> None:
    config.write_text(config.read_text() + "[contracts.bad]\nbrands = 1\n", encoding="utf-8")
    code, err = compose(config, tmp_path / "schema")
    assert code == 2
    (line,) = err.strip().splitlines()
    assert "contracts.bad.brands must be an array of strings" in line


def test_stdout_output_writes_no_contracts_without_a_folder(
    config: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert cli.main(["compose", "--config", str(config), "--out", "-"]) == 0
    assert not (tmp_path / "contracts").exists()
    argv = ["compose", "--config", str(config), "--out", "-", "--contracts-out", "c"]
    assert cli.main(argv) == 0
    assert (tmp_path / "c" / "public.graphql").is_file()
