"""GraphQL over HTTP bodies for one subgraph schema, answered the way the reference mock does.

Executes with graphql-core directly on the Strawberry-built schema: Strawberry's own request
pipeline (extensions, context, info objects) costs more than these subgraphs' resolvers,
and the subgraphs run next to the gateway under load. Parsed and validated documents are
cached per query text, and, because every resolver is a pure function of the request,
whole answers can be cached per request body.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, NamedTuple

import orjson
from graphql import DocumentNode, GraphQLError, GraphQLSchema, parse, validate
from graphql.execution import Executor, execute_root_selection_set
from graphql.pyutils import is_awaitable
from strawberry import Schema

DOCUMENT_CACHE_SIZE = 1024
RESPONSE_CACHE_SIZE = 1024


class Answer(NamedTuple):
    status: int
    body: bytes
    # Whether the operation was executed, as opposed to rejected before execution
    # (the reference only counts executed requests in its byte totals).
    executed: bool


_NOT_JSON = Answer(400, b"", executed=False)


class GraphQLEndpoint:
    """Turns a POST body into the response body; pass `response_cache_size=0` to disable."""

    def __init__(
        self,
        schema: Schema,
        *,
        document_cache_size: int = DOCUMENT_CACHE_SIZE,
        response_cache_size: int = RESPONSE_CACHE_SIZE,
    ) -> None:
        self._schema: GraphQLSchema = schema._schema
        self._prepare = lru_cache(maxsize=document_cache_size)(self._parse_and_validate)
        self.answer = (
            lru_cache(maxsize=response_cache_size)(self._answer)
            if response_cache_size
            else self._answer
        )

    def _answer(self, body: bytes) -> Answer:
        try:
            request = orjson.loads(body)
        except orjson.JSONDecodeError:
            return _NOT_JSON
        if not isinstance(request, dict) or not isinstance(request.get("query"), str):
            return _request_errors([GraphQLError("Must provide query string.")])
        prepared = self._prepare(request["query"])
        if not isinstance(prepared, DocumentNode):
            return prepared
        variables = request.get("variables")
        operation_name = request.get("operationName")
        executor = Executor.build(
            self._schema,
            prepared,
            raw_variable_values=variables if isinstance(variables, dict) else None,
            operation_name=operation_name if isinstance(operation_name, str) else None,
        )
        if isinstance(executor, list):
            return _request_errors(executor, executed=True)
        result = execute_root_selection_set(executor)
        if is_awaitable(result):
            # Resolvers are synchronous by design: answering must not yield to the loop.
            result.close()  # type: ignore[union-attr]
            raise TypeError("a benchmark subgraph resolver returned an awaitable")
        body_out: dict[str, Any] = {}
        # graphql-js puts `errors` before `data`; keep its key order.
        if result.errors:  # type: ignore[union-attr]
            body_out["errors"] = [error.formatted for error in result.errors]  # type: ignore[union-attr]
        body_out["data"] = result.data  # type: ignore[union-attr]
        return Answer(200, orjson.dumps(body_out), executed=True)

    def _parse_and_validate(self, query: str) -> DocumentNode | Answer:
        try:
            document = parse(query)
        except GraphQLError as error:
            return _messages_only([error])
        errors = validate(self._schema, document)
        return _messages_only(errors) if errors else document


def _messages_only(errors: list[GraphQLError]) -> Answer:
    # The reference answers documents it rejects with bare messages, no locations.
    body = orjson.dumps({"errors": [{"message": error.message} for error in errors]})
    return Answer(200, body, executed=False)


def _request_errors(errors: list[GraphQLError], *, executed: bool = False) -> Answer:
    body = orjson.dumps({"errors": [error.formatted for error in errors]})
    return Answer(200, body, executed=executed)
