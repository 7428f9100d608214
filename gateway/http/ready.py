"""Readiness probe, `GET /ready`: 200 when a supergraph is loaded and every subgraph (every
brand partition of a partitioned one) answers a `{ __typename }` query, else 503; the JSON
body says which subgraph failed and why.

Probes run in parallel, each within `timeout` seconds, and their report is reused for `cache`
seconds (and shared by concurrent callers), so a flood of /ready requests costs the subgraphs
at most one probe each per `cache` seconds. A new supergraph is probed afresh.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import TYPE_CHECKING, Any

import orjson
from starlette.requests import Request
from starlette.responses import Response

from gateway.headers import headers_for
from gateway.transport.base import SubgraphRequest, TransportError

if TYPE_CHECKING:
    from gateway.service import Gateway
    from gateway.transport.base import SubgraphTransport

READY_PATH = "/ready"
PROBE = SubgraphRequest("query BrandMatrixReady { __typename }", operation_name="BrandMatrixReady")
Report = tuple[bool, dict[str, Any]]


class Readiness:
    def __init__(
        self,
        gateway: Gateway,
        *,
        timeout: float = 2.0,
        cache: float = 5.0,
        status: Callable[[], dict[str, Any]] | None = None,
    ) -> None:
        # status: extra facts about the supergraph (e.g. the reloader's source and last error).
        self.gateway = gateway
        self.timeout = timeout
        self.cache = cache
        self.status = status
        self.probes = 0  # subgraph probes sent, for tests
        self._cached: tuple[float, str, Report] | None = None
        self._running: asyncio.Future[Report] | None = None

    async def endpoint(self, request: Request) -> Response:
        ready, body = await self.report()
        return Response(
            orjson.dumps(body),
            status_code=200 if ready else 503,
            media_type="application/json",
            headers={"cache-control": "no-store"},
        )

    async def report(self) -> Report:
        state = getattr(self.gateway, "state", None)
        sdl_hash = getattr(state, "sdl_hash", "")
        now = time.monotonic()
        if self._cached is not None:
            expires, cached_hash, cached = self._cached
            if now < expires and cached_hash == sdl_hash:
                return cached
        if self._running is None:
            self._running = asyncio.ensure_future(self._probe_all(sdl_hash))
            self._running.add_done_callback(lambda _: setattr(self, "_running", None))
        return await asyncio.shield(self._running)

    async def _probe_all(self, sdl_hash: str) -> Report:
        targets = _targets(self.gateway.transports)
        # The headers the gateway sends with no client header: its shared secret, if any.
        forwarding = getattr(self.gateway, "_forwarding", None)
        sent = forwarding.apply({}) if forwarding is not None else {}
        results = await asyncio.gather(
            *(self._probe(t, headers_for(sent, n.partition("@")[0])) for n, t in targets.items())
        )
        subgraphs = dict(zip(targets, results, strict=True))
        ready = bool(sdl_hash) and all(r["ok"] for r in subgraphs.values())
        supergraph: dict[str, Any] = {"loaded": bool(sdl_hash), "sdlHash": sdl_hash}
        loaded_at = getattr(getattr(self.gateway, "state", None), "loaded_at", None)
        if loaded_at is not None:
            supergraph["loadedAt"] = time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(loaded_at))
        if self.status is not None:
            supergraph.update(self.status())
        body = {
            "status": "ready" if ready else "unavailable",
            "supergraph": supergraph,
            "subgraphs": subgraphs,
        }
        report = (ready, body)
        self._cached = (time.monotonic() + self.cache, sdl_hash, report)
        return report

    async def _probe(
        self, transport: SubgraphTransport, headers: Mapping[str, str]
    ) -> dict[str, Any]:
        self.probes += 1
        started = time.perf_counter()
        probe = replace(PROBE, headers=dict(headers)) if headers else PROBE
        try:
            await asyncio.wait_for(transport.fetch(probe), self.timeout)
        except TimeoutError:
            return {"ok": False, "error": f"no answer within {self.timeout:g}s"}
        except TransportError as error:
            return {"ok": False, "error": str(error)}
        except Exception as error:  # a probe must never fail the endpoint
            return {"ok": False, "error": f"{type(error).__name__}: {error}"}
        return {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}


def _targets(transports: Mapping[str, SubgraphTransport]) -> dict[str, SubgraphTransport]:
    """One probe per subgraph, or per brand partition (`name@brand`) of a partitioned one."""
    targets: dict[str, SubgraphTransport] = {}
    for name, transport in transports.items():
        partitions = getattr(transport, "partitions", None)
        if isinstance(partitions, Mapping) and partitions:
            targets.update({f"{name}@{brand}": t for brand, t in partitions.items()})
        else:
            targets[name] = transport
    return targets
