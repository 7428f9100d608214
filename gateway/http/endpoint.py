"""The GraphQL endpoint: HTTP request in, gateway execution, GraphQL response out."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from gateway.http.body import read_body
from gateway.http.decoding import decode_json_body, decode_query_params
from gateway.http.errors import HttpError
from gateway.http.graphiql import DEFAULT_ASSETS_PATH, DEFAULT_QUERY, graphiql_page
from gateway.http.negotiation import choose_response_type, is_json_content_type, prefers_html
from gateway.http.responses import error_response, graphql_response, status_for
from gateway.persisted.protocol import Resolution, has_persisted_query, not_supported
from gateway.service import GraphQLRequest

if TYPE_CHECKING:
    from gateway.persisted import PersistedQueries
    from gateway.service import Gateway

logger = logging.getLogger("gateway.http")

_ALLOWED_METHODS = "GET, POST"


class GraphQLEndpoint:
    """An ASGI app rather than a request function, so that Starlette routes every method here
    and the endpoint itself answers the ones it refuses with a GraphQL-shaped 405."""

    def __init__(
        self,
        gateway: Gateway,
        *,
        max_body_size: int,
        graphiql: bool = True,
        graphiql_query: str = DEFAULT_QUERY,
        graphiql_assets_path: str = DEFAULT_ASSETS_PATH,
        persisted_queries: PersistedQueries | None = None,
        contract: str | None = None,
    ) -> None:
        self._gateway = gateway
        # A contract's endpoint (/contracts/<name>/graphql) serves that filtered schema only.
        self._contract = contract
        self._max_body_size = max_body_size
        self._graphiql = graphiql
        self._graphiql_query = graphiql_query
        self._graphiql_assets_path = graphiql_assets_path
        self._persisted = persisted_queries

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        response = await self.handle(Request(scope, receive))
        await response(scope, receive, send)

    async def handle(self, request: Request) -> Response:
        if request.method not in ("GET", "POST"):
            return error_response(
                f"Method {request.method} is not allowed; use GET or POST",
                status=405,
                headers={"Allow": _ALLOWED_METHODS},
            )
        if (
            self._graphiql
            and request.method == "GET"
            and "query" not in request.query_params
            and "extensions" not in request.query_params
            and prefers_html(request.headers.get("accept"))
        ):
            assets = request.scope.get("root_path", "") + self._graphiql_assets_path
            # scope["path"], not request.url: building the URL decodes the query string as
            # UTF-8, which raw bytes from a client need not be.
            path = request.scope["path"]
            return graphiql_page(path, self._graphiql_query, assets_path=assets)
        media_type = choose_response_type(request.headers.get("accept"))
        if media_type is None:
            return error_response(
                "None of the accepted media types is supported; accept "
                "application/graphql-response+json or application/json",
                status=406,
            )
        try:
            graphql_request = await self._decode(request)
        except HttpError as error:
            return error_response(
                error.message, status=error.status, media_type=media_type, headers=error.headers
            )
        resolution = await self._resolve(graphql_request)
        if resolution.error is not None:
            status = 200 if resolution.retryable else status_for("request_error", media_type)
            return graphql_response(
                {"errors": [resolution.error]}, status=status, media_type=media_type
            )
        response, accepted = await self._execute(request, resolution.request, media_type)
        if accepted and resolution.register is not None and self._persisted is not None:
            await self._persisted.register(*resolution.register)
        return response

    async def _resolve(self, graphql_request: GraphQLRequest) -> Resolution:
        """Persisted queries: the document a hash names, or why the request is refused."""
        if self._persisted is not None:
            return await self._persisted.resolve(graphql_request)
        if has_persisted_query(graphql_request) and not graphql_request.query:
            return not_supported(graphql_request)
        return Resolution(graphql_request)

    async def _decode(self, request: Request) -> GraphQLRequest:
        if request.method == "GET":
            return decode_query_params(request.query_params)
        if not is_json_content_type(request.headers.get("content-type")):
            raise HttpError(415, "Unsupported Content-Type; send application/json")
        return decode_json_body(await read_body(request, self._max_body_size))

    async def _execute(
        self, request: Request, graphql_request: GraphQLRequest, media_type: str
    ) -> tuple[Response, bool]:
        """The response, and whether the gateway accepted the document (parsed, valid)."""
        is_get = request.method == "GET"
        extra = {"contract": self._contract} if self._contract is not None else {}
        try:
            result = await self._gateway.execute(
                graphql_request,
                allow_mutations=not is_get,
                headers=request.headers,
                client_ip=request.client.host if request.client else None,
                **extra,
            )
            headers = dict(result.headers)
            if result.kind == "operation_not_allowed":
                headers["Allow"] = "POST"
            # Serializing inside the try: a body orjson cannot encode is our failure, a 500.
            response = graphql_response(
                result.body,
                status=status_for(result.kind, media_type),
                media_type=media_type,
                headers=headers,
            )
            # Only documents the gateway parsed and validated may be stored as persisted.
            return response, result.kind in ("ok", "operation_not_allowed")
        except Exception:
            logger.exception(
                "GraphQL request failed (operation %r)", graphql_request.operation_name
            )
            error = error_response("Internal server error", status=500, media_type=media_type)
            return error, False
