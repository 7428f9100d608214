"""Which schema a front-end's registered operations are validated against: the API schema, or
the API schema of the `[contracts.NAME]` whose `front_ends` lists that front-end (the schema
that front-end is actually served)."""

from __future__ import annotations

from collections.abc import Callable

from graphql import GraphQLSchema

from gateway.checks.inputs import CheckConfig, CheckInputError

# A str in place of the schema: why the contract's schema cannot be built.
SchemaFor = Callable[[str], tuple[str, GraphQLSchema | str]]


def schema_chooser(
    config: CheckConfig, supergraph_sdl: str, api_schema: GraphQLSchema
) -> SchemaFor:
    """front-end -> ("api" | "contract:<name>", the schema to validate against, or why it
    cannot be built)."""
    if not config.contracts:
        return lambda _front_end: ("api", api_schema)
    from gateway.contracts import (
        ContractConfigError,
        build_contract,
        parse_contract_tables,
    )
    from gateway.errors import SupergraphError

    try:
        specs = parse_contract_tables(config.contracts, str(config.path))
    except ContractConfigError as error:
        raise CheckInputError(error.problems) from None
    by_front_end: dict[str, tuple[str, GraphQLSchema | str]] = {}
    for spec in specs:
        try:
            schema = build_contract(supergraph_sdl, spec)[1].api_schema
        except SupergraphError as error:  # the change empties or breaks the contract
            schema = f"contract {spec.name} cannot be built: {' '.join(str(error).split())}"
        for front_end in spec.front_ends:
            by_front_end.setdefault(front_end, (f"contract:{spec.name}", schema))
    return lambda front_end: by_front_end.get(front_end, ("api", api_schema))
