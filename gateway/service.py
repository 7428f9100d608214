"""The gateway as a library: one object that takes GraphQL requests and answers them.

Wiring only: parsing and validation, planning, execution and projection live in their own
packages; this module caches their work per document and hands results to the HTTP layer.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal

from graphql import (
    DocumentNode,
    GraphQLError,
    GraphQLSchema,
    OperationDefinitionNode,
    execute_sync,
    parse,
    validate,
)
from graphql.execution.values import get_variable_values

from gateway.auth.control import GatewayAuth
from gateway.caching import LRUCache
from gateway.errors import RequestError, graphql_error
from gateway.execution.executor import Executor
from gateway.execution.introspection import introspection_document
from gateway.execution.projector import Projector
from gateway.headers import HeaderRules
from gateway.limits import CostCheck, LimitExceeded, Limits
from gateway.limits.rules import MAX_TOKENS, tokens_exceeded
from gateway.planning.operation import Operation, find_operation, normalize
from gateway.planning.plan import QueryPlan
from gateway.planning.planner import Planner
from gateway.supergraph_state import (
    BuiltSupergraph,
    SupergraphState,
    build_supergraph,
    connect,
    retire,
)
from gateway.transport.base import SubgraphTransport
from gateway.usage.extract import OperationUsage, operation_usage

if TYPE_CHECKING:
    from gateway.contracts import ContractSpec
    from gateway.ratelimit import RateLimiter
    from gateway.supergraph.model import Supergraph
    from gateway.usage.recorder import UsageRecorder

SAFE_LIMITS = Limits()
BRAND_HEADER = "x-brand"
CLIENT_NAME_HEADER = "apollographql-client-name"
ResponseKind = Literal[
    "ok", "request_error", "operation_not_allowed", "unauthenticated", "rate_limited"
]


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
        header_rules: HeaderRules | None = None,
        auth: GatewayAuth | None = None,
        limits: Limits | None = SAFE_LIMITS,
        rate_limiter: RateLimiter | None = None,
        usage: UsageRecorder | None = None,
        contracts: Sequence[ContractSpec] = (),
    ) -> None:
        # `forward_headers` (names, to every subgraph) then `header_rules` (gateway.headers:
        # by name or pattern, renamed, fixed values, per subgraph) pick what reaches subgraphs.
        # Only these client headers reach subgraphs: hop-by-hop ones (length, host) never may.
        self.forward_headers = tuple(h.lower() for h in forward_headers)
        # With brand partitions: X-Brand is checked against these and always forwarded.
        self.brands = brands
        if brands is not None and BRAND_HEADER not in self.forward_headers:
            self.forward_headers = (*self.forward_headers, BRAND_HEADER)
        # Tokens verified (gateway.auth) and access directives enforced; the token itself goes
        # on to subgraphs, which verify it again.
        self.auth = auth
        if auth is not None and "authorization" not in self.forward_headers:
            self.forward_headers = (*self.forward_headers, "authorization")
        self._subgraph_timeout, self._cache_size = subgraph_timeout, cache_size
        # Depth, aliases, tokens, cost, introspection... (gateway.limits); safe defaults unless
        # told otherwise (None: no limits at all, for trusted callers).
        self.limits = limits
        # Requests per window by member, brand and IP (gateway.ratelimit); None: unlimited.
        self.rate_limiter = rate_limiter
        # Field usage per operation (gateway.usage): a counter per request; None: not counted.
        self.usage = usage
        # Transports given by name (in-process apps, brand partitions) outlive supergraph swaps.
        self._given = dict(transports or {})
        self._retiring: set[asyncio.Task[None]] = set()
        self._unclosed: list[SubgraphTransport] = []
        # Filtered schemas (gateway.contracts), rebuilt with every supergraph; a brand listed in
        # a contract's `brands` gets that contract on the main endpoint (by X-Brand).
        self.contracts = tuple(contracts)
        self._contract_by_brand = {b: c.name for c in self.contracts for b in c.brands}
        # Everything derived from the supergraph, switched as one reference (replace_supergraph).
        self._state, _ = connect(
            self.build(supergraph_sdl),
            None,
            self._given,
            timeout=subgraph_timeout,
            cache_size=cache_size,
        )
        self.header_rules = header_rules or HeaderRules()
        self.header_rules.check_subgraphs(self.supergraph.graphs)
        self._forwarding = self.header_rules.before(HeaderRules.forward(self.forward_headers))

    # -- the current supergraph (one state object; a request keeps the one it started with) --

    @property
    def state(self) -> SupergraphState:
        return self._state

    @property
    def supergraph(self) -> Supergraph:
        return self._state.built.supergraph

    @property
    def api_schema(self) -> GraphQLSchema:
        return self._state.built.api_schema

    @property
    def planner(self) -> Planner:
        return self._state.built.planner

    @property
    def transports(self) -> dict[str, SubgraphTransport]:
        return self._state.transports

    @property
    def executor(self) -> Executor:
        return self._state.executor

    @property
    def _documents(self) -> LRUCache[str, DocumentNode | list[dict[str, Any]]]:
        return self._state.documents

    @property
    def _prepared(self) -> LRUCache[tuple[str, str | None], PreparedOperation]:
        return self._state.prepared

    def build(self, sdl: str) -> BuiltSupergraph:
        """`sdl` parsed and planned with this gateway's contracts (no side effects: a reloader
        runs it in a worker thread, then hands the result to replace_supergraph)."""
        return build_supergraph(sdl, self.contracts)

    @property
    def contract_names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.contracts)

    def contract_api_schema(self, name: str) -> GraphQLSchema:
        return self._state.contracts[name].built.api_schema

    def replace_supergraph(
        self, supergraph: str | BuiltSupergraph, *, grace: float = 30.0
    ) -> SupergraphState:
        """Serve `supergraph` from the next request on. An SDL is built first (raising
        SupergraphError / GraphQLError and changing nothing when it is unusable); requests in
        flight finish on the old state; subgraphs whose URL is unchanged keep their transport,
        the others are closed once the old state is idle (at most `grace` s)."""
        built = supergraph if isinstance(supergraph, BuiltSupergraph) else None
        built = built or self.build(supergraph)  # type: ignore[arg-type]
        if set(built.contracts) != set(self.contract_names):
            raise ValueError("built without this gateway's contracts; use Gateway.build(sdl)")
        old = self._state
        self._state, dropped = connect(
            built, old, self._given, timeout=self._subgraph_timeout, cache_size=self._cache_size
        )
        if dropped:
            try:
                task = asyncio.get_running_loop().create_task(retire(old, dropped, grace))
            except RuntimeError:  # no loop (a synchronous caller): aclose() closes them
                self._unclosed.extend(dropped)
            else:
                self._retiring.add(task)
                task.add_done_callback(self._retiring.discard)
        return self._state

    # -- the request path ------------------------------------------------------------------

    async def execute(
        self,
        request: GraphQLRequest,
        *,
        allow_mutations: bool = True,
        headers: Mapping[str, str] | None = None,
        client_ip: str | None = None,
        contract: str | None = None,
    ) -> GatewayResponse:
        """`contract`: serve that contract's schema (its endpoint); None: the full schema,
        or the contract whose `brands` list the request's X-Brand."""
        caller = await self.auth.authenticate(headers) if self.auth is not None else None
        if caller is not None and caller.error is not None:  # a bad token: 401, nothing runs
            return GatewayResponse(
                {"errors": [caller.error]}, "unauthenticated", dict(caller.headers or {})
            )
        if self.rate_limiter is not None:  # `client_ip`: the peer address (the HTTP layer's)
            claims = caller.claims if caller is not None else None
            refused = await self.rate_limiter.check(claims, headers, client_ip)
            if refused is not None:  # 429 with Retry-After, nothing runs
                return GatewayResponse({"errors": [refused.error]}, "rate_limited", refused.headers)
        unknown = self._unknown_brand(headers)
        if unknown is not None:
            return GatewayResponse({"errors": [unknown]}, "request_error")
        root = self._state  # this request's supergraph, even if another is swapped in
        current = self._select_contract(root, contract, headers)
        if current is None:
            error = graphql_error(f"Unknown contract {contract!r}.", code="UNKNOWN_CONTRACT")
            return GatewayResponse({"errors": [error]}, "request_error")
        try:
            prepared = self.prepare(request.query, request.operation_name, current)
            if prepared.operation.kind == "mutation" and not allow_mutations:
                return GatewayResponse(
                    {"errors": [graphql_error("Mutations are not allowed with GET; use POST.")]},
                    "operation_not_allowed",
                )
            variables = self._coerce_variables(prepared, request.variables, current)
            if prepared.cost is not None:  # a cost that depends on the variables
                problem = prepared.cost.problem(variables)
                if problem is not None:
                    raise RequestError([problem])
        except RequestError as error:
            return GatewayResponse({"errors": error.errors}, "request_error")
        forwarded = self._forwarding.apply(headers)
        access = None  # unauthorized selections: planned without, nulled after (gateway.auth)
        if caller is not None and self.auth is not None:
            access = await self.auth.authorize(current.built, prepared, caller, headers)
        if self.usage is not None and prepared.usage is not None:
            self.usage.record(prepared.usage, _client_name(headers))
        root.active += 1  # retire() watches the root state; contracts share its transports
        try:
            plan = prepared.plan if access is None else access.plan
            state = await current.executor.run(plan, variables, forwarded)
        finally:
            root.active -= 1
        if access is not None:
            access.apply(state.data, state.errors)
        if prepared.introspection is not None:
            state.data.update(self._introspect(prepared, variables, state.errors, current))
        data = prepared.projector.project(state.data, variables, state.errors, state.fetch_failed)
        body: dict[str, Any] = {}
        if state.errors:
            body["errors"] = state.errors
        body["data"] = data
        return GatewayResponse(body)

    def prepare(
        self,
        query: str | None,
        operation_name: str | None,
        current: SupergraphState | None = None,
    ) -> PreparedOperation:
        """Parse, validate, normalise and plan an operation; cached per document and name."""
        current = current or self._state
        if not isinstance(query, str) or not query.strip():
            raise RequestError([graphql_error("Must provide a query string.")])
        cache_key = (query, operation_name)
        prepared = current.prepared.get(cache_key)
        if prepared is None:
            document = self._document(query, current)
            definition = find_operation(document, operation_name)
            if definition is None:
                raise RequestError([graphql_error(_operation_problem(document, operation_name))])
            cost = self._check_limits(document, definition, current)  # before any expansion
            operation = normalize(document, definition)
            if operation.kind == "subscription":
                raise RequestError([graphql_error("Subscriptions are not supported.")])
            prepared = PreparedOperation(
                document=document,
                definition=definition,
                operation=operation,
                plan=current.built.planner.plan(operation),
                projector=Projector(current.built.api_schema, operation),
                introspection=introspection_document(document, definition),
                cost=cost,
                usage=self._usage_of(document, definition, current),
            )
            current.prepared.put(cache_key, prepared)
        return prepared

    @property
    def plan_cache(self) -> LRUCache[tuple[str, str | None], PreparedOperation]:
        """Prepared operations per (document, operation name); its hits and misses are
        read by metrics at scrape time, so counting costs the request path nothing more."""
        return self._prepared

    def plan(self, query: str, operation_name: str | None = None) -> QueryPlan:
        return self.prepare(query, operation_name).plan

    def set_brands(self, brands: frozenset[str] | None) -> None:
        """Change the brands the X-Brand header may name (a config reload); takes effect for
        the next request."""
        if brands is not None and BRAND_HEADER not in self.forward_headers:
            self.forward_headers = (*self.forward_headers, BRAND_HEADER)
            self._forwarding = self.header_rules.before(HeaderRules.forward(self.forward_headers))
        self.brands = brands

    async def aclose(self) -> None:
        for task in list(self._retiring):
            task.cancel()  # retire() closes its transports on the way out
        await asyncio.gather(*self._retiring, return_exceptions=True)
        everything = (*self.transports.values(), *self._given.values(), *self._unclosed)
        closing = {id(t): t for t in everything}
        for transport in closing.values():
            await transport.aclose()
        if self.auth is not None:
            await self.auth.aclose()
        if self.rate_limiter is not None:
            await self.rate_limiter.aclose()

    # -- steps -----------------------------------------------------------------------------

    def _unknown_brand(self, headers: Mapping[str, str] | None) -> dict[str, Any] | None:
        if self.brands is None:
            return None
        brand = _brand_header(headers)
        if brand is None or brand in self.brands:
            return None
        return graphql_error(
            f"Unknown brand {brand!r} in the X-Brand header "
            f"(brands: {', '.join(sorted(self.brands))}).",
            code="UNKNOWN_BRAND",
        )

    def _select_contract(
        self, root: SupergraphState, contract: str | None, headers: Mapping[str, str] | None
    ) -> SupergraphState | None:
        if contract is None and self._contract_by_brand:
            contract = self._contract_by_brand.get(_brand_header(headers) or "")
        return root if contract is None else root.contracts.get(contract)

    def _document(self, query: str, current: SupergraphState) -> DocumentNode:
        cached = current.documents.get(query)
        if cached is None:
            try:
                max_tokens = self.limits.parser_max_tokens if self.limits else None
                document = parse(query, max_tokens=max_tokens)
            except GraphQLError as error:
                code = MAX_TOKENS if tokens_exceeded(error.message) else "GRAPHQL_PARSE_FAILED"
                cached = [_clean(error.formatted, code)]
            else:
                problems = validate(current.built.api_schema, document)
                cached = [e.formatted for e in problems] if problems else document
            current.documents.put(query, cached)
        if isinstance(cached, list):
            raise RequestError([_clean(e) for e in cached])
        return cached

    def _usage_of(
        self, document: DocumentNode, definition: OperationDefinitionNode, current: SupergraphState
    ) -> OperationUsage | None:
        # Once per prepared operation: a request then only adds one to a counter.
        if self.usage is None:
            return None
        return operation_usage(current.built.api_schema, document, definition)

    def _check_limits(
        self, document: DocumentNode, definition: OperationDefinitionNode, current: SupergraphState
    ) -> CostCheck | None:
        if self.limits is None:
            return None
        built = current.built
        try:
            return self.limits.check(document, definition, built.api_schema, built.supergraph.costs)
        except LimitExceeded as error:
            raise RequestError(error.errors) from None

    def _coerce_variables(
        self,
        prepared: PreparedOperation,
        raw: Mapping[str, Any] | None,
        current: SupergraphState,
    ) -> dict[str, Any]:
        if raw is not None and not isinstance(raw, Mapping):
            raise RequestError([graphql_error("Variables must be a JSON object.")])
        coerced = get_variable_values(
            current.built.api_schema,
            prepared.definition.variable_definitions or (),
            dict(raw or {}),
        )
        if isinstance(coerced, list):
            raise RequestError([_clean(e.formatted) for e in coerced])
        return coerced.coerced

    def _introspect(
        self,
        prepared: PreparedOperation,
        variables: dict[str, Any],
        errors: list[dict[str, Any]],
        current: SupergraphState,
    ) -> dict[str, Any]:
        schema = current.built.api_schema
        result = execute_sync(schema, prepared.introspection, variable_values=variables)  # type: ignore[arg-type]
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
    cost: CostCheck | None = None  # re-checked per request: the estimate uses variables
    usage: OperationUsage | None = None  # the schema coordinates it uses (gateway.usage)


def _brand_header(headers: Mapping[str, str] | None) -> str | None:
    """X-Brand, whatever the case of its name (the headers may be a plain dict)."""
    if not headers:
        return None
    return next((v for k, v in headers.items() if k.lower() == BRAND_HEADER), None)


def _client_name(headers: Mapping[str, str] | None) -> str | None:
    """Apollo clients name themselves in a header; Starlette's headers are case-insensitive."""
    return headers.get(CLIENT_NAME_HEADER) if headers is not None else None


def _operation_problem(document: DocumentNode, name: str | None) -> str:
    if name is not None:
        return f"Unknown operation named '{name}'."
    return "Must provide operation name if query contains multiple operations."


def _clean(error: Mapping[str, Any], code: str = "GRAPHQL_VALIDATION_FAILED") -> dict[str, Any]:
    out = {k: v for k, v in error.items() if v is not None}
    out["extensions"] = {**(out.get("extensions") or {})}
    out["extensions"].setdefault("code", code)
    return out
