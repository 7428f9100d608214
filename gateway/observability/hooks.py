"""Hooks on one Gateway instance: what the request was (operation name and type, outcome,
errors) for labels and logs, and the planning span.

Wrapping the instance's `execute` and `prepare` keeps the HTTP layer (which calls
`gateway.execute`) and the Gateway class untouched; a request outside an observed HTTP
request (no context) is not described. Each execute also makes sure the executor serving it
fetches through instrumented transports: a supergraph swap brings a new executor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from opentelemetry.trace import Tracer

from gateway.observability.context import current_request
from gateway.observability.transport import Factory, InstrumentedTransports

if TYPE_CHECKING:
    from gateway.service import Gateway, GatewayResponse, GraphQLRequest, PreparedOperation

PLAN_SPAN = "graphql.plan"


def instrument_gateway(gateway: Gateway, tracer: Tracer | None, wrap: Factory) -> None:
    if "execute" in vars(gateway) or "prepare" in vars(gateway):
        raise RuntimeError("this gateway is instrumented already")
    execute = gateway.execute
    prepare = gateway.prepare

    def instrument_executor() -> None:
        executor = gateway.executor
        if type(executor.transports) is not InstrumentedTransports:
            executor.transports = InstrumentedTransports(executor.transports, wrap)

    instrument_executor()

    async def observed_execute(request: GraphQLRequest, **kwargs: Any) -> GatewayResponse:
        # No await before the wrapped execute picks its state: this is the executor it uses.
        instrument_executor()
        ctx = current_request.get()
        if ctx is None:
            return await execute(request, **kwargs)
        ctx.executed = True
        ctx.operation_name = request.operation_name
        response = await execute(request, **kwargs)
        ctx.outcome = response.kind
        errors = response.body.get("errors")
        ctx.errors = len(errors) if errors else 0
        return response

    def observed_prepare(
        query: str | None, operation_name: str | None, *args: Any, **kwargs: Any
    ) -> PreparedOperation:
        ctx = current_request.get()
        if tracer is None or (ctx is not None and not ctx.recording):
            prepared = prepare(query, operation_name, *args, **kwargs)
        else:
            with tracer.start_as_current_span(PLAN_SPAN) as span:
                cache = gateway.plan_cache
                misses = cache.misses
                prepared = prepare(query, operation_name, *args, **kwargs)
                span.set_attribute("graphql.plan.cache_hit", cache.misses == misses)
                span.set_attribute("graphql.plan.fetches", prepared.plan.fetch_count)
        if ctx is not None:
            ctx.prepared = True
            ctx.operation_type = prepared.operation.kind
            # Clients often name the operation in the document only: label it by that name.
            if ctx.operation_name is None and prepared.definition.name is not None:
                ctx.operation_name = prepared.definition.name.value
        return prepared

    gateway.execute = observed_execute  # type: ignore[method-assign]
    gateway.prepare = observed_prepare  # type: ignore[method-assign]
