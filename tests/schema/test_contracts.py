"""schema/contracts/<name>.graphql are what brand-matrix.toml's contracts filter the checked-in
supergraph to, and every registered operation of a contract's front-ends is valid on it."""

from __future__ import annotations

from pathlib import Path

from graphql import build_schema, parse, validate

from gateway.contracts import contract_api_sdl, load_contracts

ROOT = Path(__file__).resolve().parents[2]
CONFIG = ROOT / "brand-matrix.toml"
SUPERGRAPH = ROOT / "schema" / "supergraph.graphql"
REGENERATE = (
    "run: brand-matrix compose --config brand-matrix.toml --no-partition-check "
    "--out schema/supergraph.graphql --api-out schema/api.graphql"
)


def test_the_config_declares_the_miniprogram_contract() -> None:
    names = {spec.name for spec in load_contracts(CONFIG)}
    assert "miniprogram" in names


def test_checked_in_contract_schemas_are_current() -> None:
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    folder = ROOT / "schema" / "contracts"
    specs = load_contracts(CONFIG)
    for spec in specs:
        path = folder / f"{spec.name}.graphql"
        assert path.is_file(), f"{path} is missing; {REGENERATE}"
        assert path.read_text(encoding="utf-8") == contract_api_sdl(sdl, spec), (
            f"{path} is stale; {REGENERATE}"
        )
    stray = {p.stem for p in folder.glob("*.graphql")} - {s.name for s in specs}
    assert not stray, f"schema/contracts has files of no configured contract: {sorted(stray)}"


def test_front_end_operations_are_valid_on_their_contract() -> None:
    sdl = SUPERGRAPH.read_text(encoding="utf-8")
    checked = 0
    for spec in load_contracts(CONFIG):
        schema = build_schema(contract_api_sdl(sdl, spec))
        for front_end in spec.front_ends:
            for path in sorted((ROOT / "schema" / "operations" / front_end).glob("*.graphql")):
                errors = validate(schema, parse(path.read_text(encoding="utf-8")))
                assert not errors, f"{path} on contract {spec.name}: {errors[0].message}"
                checked += 1
    assert checked > 0
