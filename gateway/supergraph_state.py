"""Everything the gateway derives from one supergraph, as one object, so a new supergraph can
replace it in one assignment (`Gateway.replace_supergraph`).

`build_supergraph(sdl)` does the expensive, side-effect-free part (parse, API schema, planner)
and may run in a worker thread; `connect` then picks transports (reusing the previous state's
for subgraphs whose URL did not change, so their connection pools stay warm) and fresh
document and plan caches. A request holds the state it started with until it finishes, so
swapping never changes the plan, schema or transports under a request in flight; transports
the new state no longer uses are closed once the old state has no request left (`retire`).
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from graphql import DocumentNode, GraphQLSchema

from gateway.caching import LRUCache
from gateway.contracts import ContractSpec, build_contract
from gateway.execution.executor import Executor
from gateway.planning.planner import Planner
from gateway.supergraph import load_supergraph
from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.base import SubgraphTransport

if TYPE_CHECKING:
    from gateway.service import PreparedOperation
    from gateway.supergraph.model import Supergraph


@dataclass(frozen=True, eq=False)
class BuiltSupergraph:
    """A parsed and planned supergraph, not yet serving."""

    sdl_hash: str
    supergraph: Supergraph
    api_schema: GraphQLSchema
    planner: Planner
    # Contract name -> its filtered supergraph (gateway/contracts), built with this one.
    contracts: Mapping[str, BuiltSupergraph] = field(default_factory=dict)


@dataclass(eq=False)
class SupergraphState:
    built: BuiltSupergraph
    transports: dict[str, SubgraphTransport]
    executor: Executor
    documents: LRUCache[str, DocumentNode | list[dict[str, Any]]]
    prepared: LRUCache[tuple[str, str | None], PreparedOperation]
    loaded_at: float = field(default_factory=time.time)
    active: int = 0  # requests executing on this state
    # Contract name -> its state: own schema, planner and caches; this state's transports.
    contracts: dict[str, SupergraphState] = field(default_factory=dict)

    @property
    def sdl_hash(self) -> str:
        return self.built.sdl_hash


def build_supergraph(sdl: str, contracts: Sequence[ContractSpec] = ()) -> BuiltSupergraph:
    """Raises SupergraphError / GraphQLError for an unusable supergraph (ContractError, a
    SupergraphError, when a contract's schema would be invalid); touches nothing."""
    supergraph = load_supergraph(sdl)
    digest = hashlib.sha256(sdl.encode("utf-8")).hexdigest()[:16]
    built_contracts = {}
    for spec in contracts:
        filtered = build_contract(sdl, spec)[1]
        built_contracts[spec.name] = BuiltSupergraph(
            digest, filtered, filtered.api_schema, Planner(filtered)
        )
    return BuiltSupergraph(
        digest, supergraph, supergraph.api_schema, Planner(supergraph), built_contracts
    )


def connect(
    built: BuiltSupergraph,
    previous: SupergraphState | None,
    given: Mapping[str, SubgraphTransport],
    *,
    timeout: float,
    cache_size: int,
) -> tuple[SupergraphState, list[SubgraphTransport]]:
    """The serving state for `built`, and the previous state's transports it no longer uses.
    Transports `given` by name (in-process apps, brand partitions) are always used as given."""
    old_urls = previous.built.supergraph.graphs if previous is not None else {}
    transports: dict[str, SubgraphTransport] = {}
    for name, graph in built.supergraph.graphs.items():
        reusable = previous is not None and name in previous.transports
        if name in given:
            transports[name] = given[name]
        elif reusable and name in old_urls and old_urls[name].url == graph.url:
            assert previous is not None
            transports[name] = previous.transports[name]
        else:
            transports[name] = AiohttpTransport(name, graph.url, timeout=timeout)
    kept = {id(t) for t in transports.values()} | {id(t) for t in given.values()}
    dropped = [t for t in (previous.transports.values() if previous else ()) if id(t) not in kept]
    state = SupergraphState(
        built, transports, Executor(transports), LRUCache(cache_size), LRUCache(cache_size)
    )
    state.contracts = {
        name: SupergraphState(
            contract, transports, state.executor, LRUCache(cache_size), LRUCache(cache_size)
        )
        for name, contract in built.contracts.items()
    }
    return state, dropped


async def retire(state: SupergraphState, transports: list[SubgraphTransport], grace: float) -> None:
    """Close `transports` once no request runs on `state` any more (or after `grace` s)."""
    deadline = time.monotonic() + grace
    try:
        while state.active > 0 and time.monotonic() < deadline:
            await asyncio.sleep(0.05)
    finally:
        for transport in transports:
            await transport.aclose()
