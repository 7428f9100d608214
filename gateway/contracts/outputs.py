"""The contract files `brand-matrix compose` writes: `<dir>/<name>.graphql` per contract,
`<dir>` being `--contracts-out`, else `contracts/` beside the API schema output (so
`schema/contracts/` for `schema/api.graphql`)."""

from __future__ import annotations

from pathlib import Path

from gateway.composition.errors import CompositionIssue
from gateway.contracts.build import contract_api_sdl
from gateway.contracts.spec import ContractError, ContractSpec, load_contracts

DEFAULT_DIR = "contracts"


def contract_paths(
    config: str, contracts_out: str | None, beside: str | None
) -> list[tuple[str, ContractSpec]]:
    """(output path, contract) for each contract of `config` (ContractConfigError when its
    [contracts] are bad). `beside`: the API schema (or supergraph) output file, whose folder
    holds the default `contracts/`; None (stdout only) writes contracts only with a dir."""
    specs = load_contracts(config)
    if not specs:
        return []
    if contracts_out is not None:
        folder = Path(contracts_out)
    elif beside is not None:
        folder = Path(beside).parent / DEFAULT_DIR
    else:
        return []
    return [(str(folder / f"{spec.name}.graphql"), spec) for spec in specs]


def render_contracts(
    supergraph_sdl: str, outputs: list[tuple[str, ContractSpec]]
) -> tuple[list[tuple[str, str, str]], list[CompositionIssue]]:
    """(path, text, what) per contract, or a CONTRACT_INVALID issue per broken contract."""
    rendered: list[tuple[str, str, str]] = []
    issues: list[CompositionIssue] = []
    for path, spec in outputs:
        try:
            rendered.append((path, contract_api_sdl(supergraph_sdl, spec), f"contract {spec.name}"))
        except ContractError as error:
            issues.append(
                CompositionIssue(
                    "CONTRACT_INVALID",
                    str(error),
                    hint="change the contract's include_tags/exclude_tags or the @tag "
                    "annotations so that its schema stays valid",
                )
            )
    return rendered, issues
