"""The gateway as a library: one object that takes GraphQL requests and answers them.

Wiring only: parsing and validation, planning, execution and projection live in their own
packages; this module caches their work per document and hands results to the HTTP layer.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, Literal

from graphql import (
    DocumentNode,
    GraphQLError,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from gateway.caching import LRUCache
from gateway.errors import RequestError, graphql_error
from gateway.execution.executor import Executor
from gateway.execution.introspection import introspection_document
from gateway.execution.projector import Projector
from gateway.planning.operation import Operation, find_operation, normalize
from gateway.planning.plan import QueryPlan
from gateway.planning.planner import Planner
from gateway.supergraph import load_supergraph
from gateway.transport.aiohttp_client import AiohttpTransport
from gateway.transport.base import SubgraphTransport

BRAND_HEADER = "x-brand"
ResponseKind = Literal["ok", "request_error", "operation_not_allowed"]


@dataclass(slots=True)
class GraphQLRequest:
    """A client's GraphQL request, as decoded from HTTP."""

    query: str | None
    operation_name: str | None = None
    variables: Mapping[str, Any] | None = None
    extensions: Mapping[str, Any] | None = None


@dataclass(slots=True)
class GatewayResponse:
    """The response body and what kind of outcome it is (the HTTP layer maps it to a status).

    `request_error`: nothing was executed (syntax, validation, unknown operation, bad
    variables); the body has `errors` and no `data`.
    `operation_not_allowed`: e.g. a mutation sent with GET.
    """

    body: dict[str, Any]
    kind: ResponseKind = "ok"
    headers: dict[str, str] = field(default_factory=dict)


class Gateway:
    """Serves client operations over a supergraph by planning and running subgraph fetches."""

    def __init__(
        self,
        supergraph_sdl: str,
        transports: Mapping[str, SubgraphTransport] | None = None,
        *,
        subgraph_timeout: float = 30.0,
        cache_size: int = 1000,
        forward_headers: tuple[str, ...] = (),
        brands: frozenset[str] | None = None,
    ) -> None:
        # Only these client headers reach subgraphs: hop-by-hop ones (length, host) never may.
        self.forward_headers = tuple(h.lower() for h in forward_headers)
        # With brand partitions: X-Brand is checked against these and always forwarded.
        self.brands = brands
        if brands is not None and BRAND_HEADER not in self.forward_headers:
            self.forward_headers = (*self.forward_headers, BRAND_HEADER)
        self.supergraph = load_supergraph(supergraph_sdl)
        self.api_schema = self.supergraph.api_schema
        self.planner = Planner(self.supergraph)
        given = dict(transports or {})
        self.transports: dict[str, SubgraphTransport] = {
            name: given.get(name) or AiohttpTransport(name, graph.url, timeout=subgraph_timeout)
            for name, graph in self.supergraph.graphs.items()
        }
        self.executor = Executor(self.transports)
        self._documents: LRUCache[str, DocumentNode | list[dict[str, Any]]] = LRUCache(cache_size)
        self._prepared: LRUCache[tuple[str, str | None], PreparedOperation] = LRUCache(cache_size)

    # -- the request path ------------------------------------------------------------------

    async def execute(
        self,
        request: GraphQLRequest,
        *,
        allow_mutations: bool = True,
        headers: Mapping[str, str] | None = None,
    ) -> GatewayResponse:
        unknown = self._unknown_brand(headers)
        if unknown is not None:
            return GatewayResponse({"errors": [unknown]}, "request_error")
        try:
            prepared = self.prepare(request.query, request.operation_name)
            if prepared.operation.kind == "mutation" and not allow_mutations:
                return GatewayResponse(
                    {"errors": [graphql_error("Mutations are not allowed with GET; use POST.")]},
                    "operation_not_allowed",
                )
            variables = self._coerce_variables(prepared, request.variables)
        except RequestError as error:
            return GatewayResponse({"errors": error.errors}, "request_error")
        forwarded: dict[str, str] = {}
        if headers and self.forward_headers:
            by_name = {name.lower(): value for name, value in headers.items()}
            forwarded = {n: by_name[n] for n in self.forward_headers if n in by_name}
        state = await self.executor.run(prepared.plan, variables, forwarded)
        if prepared.introspection is not None:
            state.data.update(self._introspect(prepared, variables, state.errors))
        data = prepared.projector.project(state.data, variables, state.errors, state.fetch_failed)
        body: dict[str, Any] = {}
        if state.errors:
            body["errors"] = state.errors
        body["data"] = data
        return GatewayResponse(body)

    def prepare(self, query: str | None, operation_name: str | None) -> PreparedOperation:
        """Parse, validate, normalise and plan an operation; cached per document and name."""
        if not isinstance(query, str) or not query.strip():
            raise RequestError([graphql_error("Must provide a query string.")])
        cache_key = (query, operation_name)
        prepared = self._prepared.get(cache_key)
        if prepared is None:
            document = self._document(query)
            definition = find_operation(document, operation_name)
            if definition is None:
                raise RequestError([graphql_error(_operation_problem(document, operation_name))])
            operation = normalize(document, definition)
            if operation.kind == "subscription":
                raise RequestError([graphql_error("Subscriptions are not supported.")])
            prepared = PreparedOperation(
                document=document,
                definition=definition,
                operation=operation,
                plan=self.planner.plan(operation),
                projector=Projector(self.api_schema, operation),
                introspection=introspection_document(document, definition),
            )
            self._prepared.put(cache_key, prepared)
        return prepared

    def plan(self, query: str, operation_name: str | None = None) -> QueryPlan:
        return self.prepare(query, operation_name).plan

    def set_brands(self, brands: frozenset[str] | None) -> None:
        """Change the brands the X-Brand header may name (a config reload); takes effect for
        the next request."""
        if brands is not None and BRAND_HEADER not in self.forward_headers:
            self.forward_headers = (*self.forward_headers, BRAND_HEADER)
        self.brands = brands

    async def aclose(self) -> None:
        for transport in self.transports.values():
            await transport.aclose()

    # -- steps -----------------------------------------------------------------------------

    def _unknown_brand(self, headers: Mapping[str, str] | None) -> dict[str, Any] | None:
        if self.brands is None or not headers:
            return None
        brand = next((v for k, v in headers.items() if k.lower() == BRAND_HEADER), None)
        if brand is None or brand in self.brands:
            return None
        return graphql_error(
            f"Unknown brand {brand!r} in the X-Brand header "
            f"(brands: {', '.join(sorted(self.brands))}).",
            code="UNKNOWN_BRAND",
        )

    def _document(self, query: str) -> DocumentNode:
        cached = self._documents.get(query)
        if cached is None:
            try:
                document = parse(query)
            except GraphQLError as error:
                cached = [_clean(error.formatted, "GRAPHQL_PARSE_FAILED")]
            else:
                problems = validate(self.api_schema, document)
                cached = [e.formatted for e in problems] if problems else document
            self._documents.put(query, cached)
        if isinstance(cached, list):
            raise RequestError([_clean(e) for e in cached])
        return cached

    def _coerce_variables(
        self, prepared: PreparedOperation, raw: Mapping[str, Any] | None
    ) -> dict[str, Any]:
        if raw is not None and not isinstance(raw, Mapping):
            raise RequestError([graphql_error("Variables must be a JSON object.")])
        coerced = get_variable_values(
            self.api_schema, prepared.definition.variable_definitions or (), dict(raw or {})
        )
        if isinstance(coerced, list):
            raise RequestError([_clean(e.formatted) for e in coerced])
        return coerced.coerced

    def _introspect(
        self, prepared: PreparedOperation, variables: dict[str, Any], errors: list[dict[str, Any]]
    ) -> dict[str, Any]:
        result = execute_sync(self.api_schema, prepared.introspection, variable_values=variables)  # type: ignore[arg-type]
        errors.extend(_clean(e.formatted) for e in result.errors or ())
        return result.data or {}


@dataclass(slots=True)
class PreparedOperation:
    document: DocumentNode
    definition: OperationDefinitionNode
    operation: Operation
    plan: QueryPlan
    projector: Projector
    introspection: DocumentNode | None


def _operation_problem(document: DocumentNode, name: str | None) -> str:
    if name is not None:
        return f"Unknown operation named '{name}'."
    return "Must provide operation name if query contains multiple operations."


def _clean(error: Mapping[str, Any], code: str = "GRAPHQL_VALIDATION_FAILED") -> dict[str, Any]:
    out = {k: v for k, v in error.items() if v is not None}
    out["extensions"] = {**(out.get("extensions") or {})}
    out["extensions"].setdefault("code", code)
    return out
