"""Contracts: per front-end filtered API schemas built from `@tag` (include/exclude tags).

`contract_supergraph(sdl, spec)` is the supergraph with `@inaccessible` on every element the
contract hides (rules: gateway/contracts/filter.py); the gateway serves it at
`/contracts/<name>/graphql` and, for the contract's `brands`, on `/graphql` by `X-Brand`;
`brand-matrix compose` writes `contract_api_sdl` to `schema/contracts/<name>.graphql`.
"""

from gateway.contracts.build import build_contract, contract_api_sdl, contract_supergraph
from gateway.contracts.spec import (
    ContractConfigError,
    ContractError,
    ContractSpec,
    contracts_from_config,
    load_contracts,
    parse_contract_tables,
)

__all__ = [
    "ContractConfigError",
    "ContractError",
    "ContractSpec",
    "build_contract",
    "contract_api_sdl",
    "contract_supergraph",
    "contracts_from_config",
    "load_contracts",
    "parse_contract_tables",
]
