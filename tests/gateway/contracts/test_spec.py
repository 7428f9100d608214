"""[contracts.NAME] tables: parsing, one-line errors naming the key, and the gateway config."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway import cli
from gateway.config import ConfigFileError, load_config
from gateway.contracts import (
    ContractConfigError,
    ContractSpec,
    contracts_from_config,
    load_contracts,
    parse_contract_tables,
)

GOOD = """
[brands.lumen]
name = "Lumen"
[brands.vitalis]
name = "Vitalis"

[contracts.miniprogram]
include_tags = []
exclude_tags = ["staff", "operator"]
brands = ["lumen"]
front_ends = ["lumen-miniprogram"]

[contracts.partners]
include_tags = ["public", "partner/v1"]
"""


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "gw.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_contracts_are_read_in_file_order(tmp_path: Path) -> None:
    config = load_config(write(tmp_path, GOOD))
    assert config.contracts == (
        ContractSpec(
            "miniprogram",
            frozenset(),
            frozenset({"staff", "operator"}),
            ("lumen",),
            ("lumen-miniprogram",),
        ),
        ContractSpec("partners", frozenset({"public", "partner/v1"})),
    )
    assert contracts_from_config(config) == list(config.contracts)
    assert load_contracts(tmp_path / "gw.toml") == list(config.contracts)


def test_contracts_from_a_parsed_toml_mapping() -> None:
    specs = contracts_from_config({"contracts": {"a": {"exclude_tags": ["x"]}}})
    assert specs == [ContractSpec("a", exclude_tags=frozenset({"x"}))]
    assert contracts_from_config({}) == []


def test_no_contracts_section() -> None:
    assert load_config(None, env={}).contracts == ()


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        ('[contracts.a]\nexclude = ["x"]', "contracts.a: unknown key 'exclude'"),
        ('[contracts.a]\nexclude_tags = "staff"', "contracts.a.exclude_tags must be an array"),
        ("[contracts.a]\nbrands = [1]", "contracts.a.brands must be an array of strings"),
        ('[contracts.a]\ninclude_tags = ["no spaces"]', "'no spaces' is not a tag name"),
        (
            '[contracts.a]\ninclude_tags = ["x"]\nexclude_tags = ["x"]',
            "tag 'x' is both in include_tags and exclude_tags",
        ),
        ('[contracts."a b"]\n', "contracts.a b: a contract name is letters"),
        ("contracts = 3", "contracts must be a table"),
        ("[contracts]\na = 3", "contracts.a must be a table"),
        (
            '[contracts.a]\nbrands = ["lumen"]\n[contracts.b]\nbrands = ["lumen"]',
            "brand 'lumen' is already in contracts.a.brands",
        ),
        ('[contracts.a]\nbrands = ["nope"]', "contracts.a.brands: unknown brand 'nope'"),
    ],
)
def test_bad_tables_are_one_line_naming_the_key(tmp_path: Path, table: str, expected: str) -> None:
    path = write(tmp_path, table + '\n[brands.lumen]\nname = "Lumen"\n')
    with pytest.raises(ConfigFileError) as caught:
        load_config(path)
    (problem,) = caught.value.problems
    assert problem.startswith(f"{path}: ") and expected in problem
    assert "\n" not in problem


def test_every_problem_is_reported() -> None:
    with pytest.raises(ContractConfigError) as caught:
        parse_contract_tables({"a": {"x": []}, "b": {"brands": "lumen"}}, "f.toml")
    assert len(caught.value.problems) == 2


def test_brands_are_not_checked_without_brands_in_the_config() -> None:
    specs = parse_contract_tables({"a": {"brands": ["anything"]}})
    assert specs[0].brands == ("anything",)


def test_serve_with_a_bad_contract_config_exits_2_with_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, '[contracts.a]\nexclude_tags = "staff"\n')
    assert cli.main(["config", "check", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "contracts.a.exclude_tags" in err[0]
    assert "Traceback" not in capsys.readouterr().err


def test_serve_refuses_a_contract_that_leaves_no_query(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tests.gateway.contracts.federation import supergraph_sdl

    (tmp_path / "supergraph.graphql").write_text(supergraph_sdl(), encoding="utf-8")
    path = write(
        tmp_path,
        '[supergraph]\nsource = "supergraph.graphql"\n'
        '[contracts.empty]\ninclude_tags = ["nothing-has-it"]\n',
    )
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: None)  # never serve for real
    assert cli.main(["serve", "--config", str(path)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "contract 'empty'" in err[0]


def test_config_check_prints_the_contracts(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, GOOD)
    assert cli.main(["config", "check", "--config", str(path)]) == 0
    out = capsys.readouterr().out
    assert '[contracts.miniprogram]\ninclude_tags = []\nexclude_tags = ["operator", "staff"]' in out
    assert 'brands = ["lumen"]' in out
    assert 'include_tags = ["partner/v1", "public"]' in out
