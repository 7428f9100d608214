"""Persisted queries over HTTP: Apollo's APQ protocol (GET and POST) and the safelist mode,
through the real Gateway and an in-process subgraph."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from gateway.persisted import MemoryStore, PersistedQueries, Safelist, sha256_hex
from gateway.service import Gateway
from gateway.transport.asgi import AsgiTransport
from tests.gateway.http.asgi_client import Reply, request, run_lifespan
from tests.gateway.tiny_federation import SUBGRAPH_NAME, subgraph_app, supergraph_sdl

GRAPHQL_JSON = "application/graphql-response+json"
JSON = "application/json"
HELLO = 'query Hi { hello(name: "Ada") }'
SHOUT = 'mutation Shout { shout(text: "hey") }'

AppFactory = Callable[..., Starlette]


@pytest.fixture
async def make_app() -> AsyncIterator[AppFactory]:
    gateways: list[Gateway] = []

    def make(**options: Any) -> Starlette:
        transport = AsgiTransport(SUBGRAPH_NAME, subgraph_app())
        gateway = Gateway(supergraph_sdl(), transports={SUBGRAPH_NAME: transport})
        gateways.append(gateway)
        return create_app(gateway, **options)

    yield make
    for gateway in gateways:
        await gateway.aclose()


def persisted(digest: Any, version: Any = 1) -> dict[str, Any]:
    return {"persistedQuery": {"version": version, "sha256Hash": digest}}


async def post(app: Starlette, payload: dict[str, Any], accept: str = JSON) -> Reply:
    return await request(app, "POST", json=payload, headers={"Accept": accept})


async def get(app: Starlette, query: str | None, extensions: dict[str, Any]) -> Reply:
    params = {"extensions": orjson.dumps(extensions).decode()}
    if query is not None:
        params["query"] = query
    return await request(app, "GET", params=params)


def code(reply: Reply) -> str:
    return reply.json()["errors"][0]["extensions"]["code"]


# -- APQ ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("accept", [JSON, GRAPHQL_JSON])
async def test_apq_round_trip_over_post(make_app: AppFactory, accept: str) -> None:
    app = make_app(persisted_queries=PersistedQueries())
    ext = persisted(sha256_hex(HELLO))
    miss = await post(app, {"extensions": ext}, accept)
    # 200 whatever the media type: Apollo clients give up on APQ for good after a 400.
    assert miss.status == 200
    assert miss.json()["errors"][0]["message"] == "PersistedQueryNotFound"
    assert code(miss) == "PERSISTED_QUERY_NOT_FOUND"
    registered = await post(app, {"query": HELLO, "extensions": ext}, accept)
    assert registered.json() == {"data": {"hello": "Hello, Ada!"}}
    hit = await post(app, {"extensions": ext}, accept)
    assert hit.status == 200 and hit.json() == {"data": {"hello": "Hello, Ada!"}}


async def test_apq_over_get(make_app: AppFactory) -> None:
    app = make_app(persisted_queries=PersistedQueries())
    ext = persisted(sha256_hex(HELLO))
    assert code(await get(app, None, ext)) == "PERSISTED_QUERY_NOT_FOUND"
    assert (await get(app, HELLO, ext)).json() == {"data": {"hello": "Hello, Ada!"}}
    assert (await get(app, None, ext)).json() == {"data": {"hello": "Hello, Ada!"}}


async def test_a_stored_mutation_still_needs_post(make_app: AppFactory) -> None:
    app = make_app(persisted_queries=PersistedQueries())
    ext = persisted(sha256_hex(SHOUT))
    assert (await post(app, {"query": SHOUT, "extensions": ext})).json() == {
        "data": {"shout": "HEY"}
    }
    reply = await get(app, None, ext)
    assert reply.status == 405


async def test_hash_mismatch_is_refused_and_nothing_is_stored(make_app: AppFactory) -> None:
    store = MemoryStore()
    app = make_app(persisted_queries=PersistedQueries(store))
    wrong = sha256_hex("{ hello }")
    reply = await post(app, {"query": HELLO, "extensions": persisted(wrong)}, GRAPHQL_JSON)
    assert reply.status == 400
    assert code(reply) == "PERSISTED_QUERY_HASH_MISMATCH"
    assert len(store) == 0


async def test_invalid_documents_are_not_stored(make_app: AppFactory) -> None:
    store = MemoryStore()
    app = make_app(persisted_queries=PersistedQueries(store))
    for document in ("{ hello", "{ nope }"):
        reply = await post(app, {"query": document, "extensions": persisted(sha256_hex(document))})
        assert reply.json()["errors"]
    assert len(store) == 0


@pytest.mark.parametrize(
    ("extension", "expected"),
    [
        pytest.param("abc", "PERSISTED_QUERY_INVALID", id="not an object"),
        pytest.param([1], "PERSISTED_QUERY_INVALID", id="a list"),
        pytest.param({"version": 1}, "PERSISTED_QUERY_INVALID", id="no hash"),
        pytest.param({"version": 1, "sha256Hash": 42}, "PERSISTED_QUERY_INVALID", id="number"),
        pytest.param({"version": 1, "sha256Hash": "abc"}, "PERSISTED_QUERY_INVALID", id="short"),
        pytest.param(
            {"version": 1, "sha256Hash": "A" * 64}, "PERSISTED_QUERY_INVALID", id="uppercase"
        ),
        pytest.param(
            {"version": 1, "sha256Hash": "g" * 64}, "PERSISTED_QUERY_INVALID", id="not hex"
        ),
        pytest.param(
            {"version": 2, "sha256Hash": "a" * 64},
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
            id="version 2",
        ),
        pytest.param(
            {"version": True, "sha256Hash": "a" * 64},
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
            id="version true",
        ),
        pytest.param(
            {"version": "1", "sha256Hash": "a" * 64},
            "PERSISTED_QUERY_VERSION_NOT_SUPPORTED",
            id="version string",
        ),
    ],
)
async def test_malformed_persisted_query_extensions(
    make_app: AppFactory, extension: Any, expected: str
) -> None:
    app = make_app(persisted_queries=PersistedQueries())
    for payload in (
        {"extensions": {"persistedQuery": extension}},
        {"query": HELLO, "extensions": {"persistedQuery": extension}},
    ):
        reply = await post(app, payload, GRAPHQL_JSON)
        assert reply.status == 400
        assert code(reply) == expected


async def test_non_object_extensions_are_a_graphql_error(make_app: AppFactory) -> None:
    app = make_app(persisted_queries=PersistedQueries())
    for extensions in ("x", 1, [1]):
        reply = await post(app, {"query": HELLO, "extensions": extensions})
        assert reply.status == 400 and reply.json()["errors"][0]["message"]
    reply = await request(app, "GET", params={"extensions": "{not json"})
    assert reply.status == 400 and reply.json()["errors"]


async def test_without_persisted_queries_apq_clients_are_told_to_send_queries(
    make_app: AppFactory,
) -> None:
    app = make_app()
    ext = persisted(sha256_hex(HELLO))
    reply = await post(app, {"extensions": ext}, GRAPHQL_JSON)
    assert reply.status == 200 and code(reply) == "PERSISTED_QUERY_NOT_SUPPORTED"
    assert reply.json()["errors"][0]["message"] == "PersistedQueryNotSupported"
    full = await post(app, {"query": HELLO, "extensions": ext})
    assert full.json() == {"data": {"hello": "Hello, Ada!"}}


class BrokenStore:
    async def get(self, sha256_hash: str) -> str | None:
        raise ConnectionError("store down")

    async def put(self, sha256_hash: str, document: str) -> None:
        raise ConnectionError("store down")

    async def aclose(self) -> None:
        return None


async def test_a_failing_store_degrades_to_full_queries(make_app: AppFactory) -> None:
    app = make_app(persisted_queries=PersistedQueries(BrokenStore()))
    ext = persisted(sha256_hex(HELLO))
    assert code(await post(app, {"extensions": ext})) == "PERSISTED_QUERY_NOT_FOUND"
    reply = await post(app, {"query": HELLO, "extensions": ext})
    assert reply.json() == {"data": {"hello": "Hello, Ada!"}}


async def test_the_app_closes_the_store_at_shutdown(make_app: AppFactory) -> None:
    closed: list[bool] = []

    class Store(MemoryStore):
        async def aclose(self) -> None:
            closed.append(True)

    app = make_app(persisted_queries=PersistedQueries(Store()))
    await run_lifespan(app)
    assert closed == [True]


# -- the safelist ------------------------------------------------------------------------------

REGISTERED = '# the greeting screen\nquery Hi {\n  hello(name: "Ada")\n}\n'


@pytest.fixture
def safelist() -> Safelist:
    return Safelist({"app/hi": REGISTERED})


async def test_safelisted_operation_runs_by_hash_and_by_text(
    make_app: AppFactory, safelist: Safelist
) -> None:
    app = make_app(persisted_queries=PersistedQueries(safelist=safelist))
    by_hash = await post(app, {"extensions": persisted(sha256_hex(REGISTERED))})
    assert by_hash.json() == {"data": {"hello": "Hello, Ada!"}}
    by_get = await get(app, None, persisted(sha256_hex(REGISTERED)))
    assert by_get.json() == {"data": {"hello": "Hello, Ada!"}}
    by_text = await post(app, {"query": REGISTERED})
    assert by_text.json() == {"data": {"hello": "Hello, Ada!"}}
    # Another layout of the same document (Apollo Client sends its printed form).
    by_printed = await post(app, {"query": HELLO})
    assert by_printed.json() == {"data": {"hello": "Hello, Ada!"}}


async def test_anything_else_is_refused(make_app: AppFactory, safelist: Safelist) -> None:
    app = make_app(persisted_queries=PersistedQueries(safelist=safelist))
    other = '{ hello(name: "Eve") }'
    reply = await post(app, {"query": other}, GRAPHQL_JSON)
    assert reply.status == 400 and code(reply) == "OPERATION_NOT_IN_SAFELIST"
    reply = await post(app, {"query": other, "extensions": persisted(sha256_hex(other))})
    assert code(reply) == "OPERATION_NOT_IN_SAFELIST"  # and not registered:
    reply = await post(app, {"extensions": persisted(sha256_hex(other))})
    assert code(reply) == "PERSISTED_QUERY_NOT_IN_SAFELIST"
    huge = "query Hi { " + "hello " * 100_000 + "}"
    reply = await post(app, {"query": huge})
    assert code(reply) == "OPERATION_NOT_IN_SAFELIST"


async def test_a_clients_own_hash_of_a_safelisted_text_is_remembered(
    make_app: AppFactory, safelist: Safelist
) -> None:
    app = make_app(persisted_queries=PersistedQueries(safelist=safelist))
    ext = persisted(sha256_hex(HELLO))  # HELLO is REGISTERED laid out differently
    assert code(await post(app, {"extensions": ext})) == "PERSISTED_QUERY_NOT_IN_SAFELIST"
    assert (await post(app, {"query": HELLO, "extensions": ext})).json()["data"]
    assert (await post(app, {"extensions": ext})).json() == {"data": {"hello": "Hello, Ada!"}}


async def test_a_shared_store_cannot_smuggle_operations_past_the_safelist(
    make_app: AppFactory, safelist: Safelist
) -> None:
    store = MemoryStore()
    other = '{ hello(name: "Eve") }'
    await store.put(sha256_hex(other), other)  # registered by a replica without a safelist
    app = make_app(persisted_queries=PersistedQueries(store, safelist=safelist))
    reply = await post(app, {"extensions": persisted(sha256_hex(other))})
    assert code(reply) == "PERSISTED_QUERY_NOT_IN_SAFELIST"


async def test_require_hash_refuses_text(make_app: AppFactory, safelist: Safelist) -> None:
    app = make_app(persisted_queries=PersistedQueries(safelist=safelist, require_hash=True))
    assert code(await post(app, {"query": REGISTERED})) == "PERSISTED_QUERY_ID_REQUIRED"
    ok = await post(app, {"extensions": persisted(sha256_hex(REGISTERED))})
    assert ok.json() == {"data": {"hello": "Hello, Ada!"}}
    with pytest.raises(ValueError):
        PersistedQueries(require_hash=True)
