"""The member subgraph signs with a private key and publishes its public keys at
`/.well-known/jwks.json`; other subgraphs (and the gateway) verify its tokens with the public
key PEM or with that URL. The member app runs on a real localhost port (uvicorn)."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import aiohttp
import pytest
import uvicorn

from subgraphs.common.app import create_subgraph_app
from subgraphs.common.auth import KeyRing
from subgraphs.member.app import MemberSettings, create_app, migrate
from tests.subgraphs.common.asgi import call
from tests.subgraphs.common.test_app import auth_schema
from tests.tokenkeys.keys import ed_key, rsa_key, write_pair
from tokenkeys import env as key_env

from .conftest import BRANDS, SIGN_IN

GATEWAY = "gateway-secret-for-the-jwks-test"
ME = "{ me { subject kind brand } myPoints }"


async def serve(app: Any) -> AsyncIterator[str]:
    """`app` on 127.0.0.1 (a free port) while the caller runs; yields its base URL."""
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, lifespan="off", log_level="warning")
    )
    task = asyncio.create_task(server.serve())
    while not server.started:
        if task.done():
            task.result()  # a server that could not start says why
        await asyncio.sleep(0.01)
    port = server.servers[0].sockets[0].getsockname()[1]
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        await task


@pytest.fixture
async def member(tmp_path, monkeypatch) -> AsyncIterator[tuple[Any, str, Any]]:
    """(member app, its URL, the public key file): signing with an EdDSA private key, behind
    the gateway secret."""
    monkeypatch.setenv("BRAND_MATRIX_GATEWAY_SECRET", GATEWAY)
    private, public = write_pair(tmp_path, "member-1", ed_key())
    ring = KeyRing.from_env({key_env.PRIVATE_KEY_FILE: str(private)})
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'member.db'}"
    migrate(database_url)
    app = create_app(database_url, key_ring=ring, settings=MemberSettings(brands=BRANDS))
    try:
        async for url in serve(app):
            yield app, url, public
    finally:
        await app.state.database.dispose()


async def sign_in(app: Any) -> str:
    status, body = await call(
        app,
        "POST",
        "/graphql",
        json={
            "query": SIGN_IN,
            "variables": {"brand": "lumen", "c": {"unionId": "oU1", "openId": "oL1"}},
        },
        headers={"x-brand-matrix-gateway": GATEWAY},
    )
    assert status == 200 and "errors" not in body, body
    return body["data"]["signIn"]["accessToken"]


async def get_json(url: str) -> tuple[int, Any]:
    async with aiohttp.ClientSession() as session, session.get(url) as response:
        return response.status, await response.json(content_type=None)


async def whoami(ring: KeyRing, token: str) -> dict[str, Any]:
    app = create_subgraph_app(
        auth_schema, get_session=lambda: None, key_ring=ring, gateway_secrets=()
    )
    status, body = await call(
        app, "POST", "/graphql", json={"query": ME}, headers={"authorization": f"Bearer {token}"}
    )
    assert status == 200, body
    await ring.aclose()
    return body


async def test_the_member_publishes_its_public_key_only(member):
    _, url, _ = member
    status, document = await get_json(f"{url}/.well-known/jwks.json")
    assert status == 200  # no gateway secret needed: public key material
    assert [(k["kid"], k["alg"], k["kty"]) for k in document["keys"]] == [
        ("member-1", "EdDSA", "OKP")
    ]
    assert all("d" not in key for key in document["keys"])
    status, _ = await get_json(f"{url}/graphql?query=%7B__typename%7D")
    assert status == 403  # while the GraphQL endpoint still answers the gateway only


async def test_a_subgraph_with_the_public_key_pem_accepts_member_tokens(member):
    app, _, public = member
    token = await sign_in(app)
    ring = KeyRing.from_env({key_env.PUBLIC_KEYS: f"member-1={public}"})
    body = await whoami(ring, token)
    assert body["data"]["me"]["kind"] == "member" and body["data"]["myPoints"] == 42
    # A ring without that key (another issuer's) refuses the same token.
    _, stranger = write_pair(public.parent, "member-1-other", rsa_key())
    other = KeyRing.from_env({key_env.PUBLIC_KEYS: f"member-1={stranger}"})
    refused = await whoami(other, token)
    assert refused["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_a_subgraph_with_the_jwks_url_accepts_member_tokens(member):
    app, url, _ = member
    token = await sign_in(app)
    ring = KeyRing.from_env({key_env.JWKS_URL: f"{url}/.well-known/jwks.json"})
    body = await whoami(ring, token)
    assert body["data"]["me"]["kind"] == "member" and body["data"]["myPoints"] == 42


async def test_the_gateway_verifies_member_tokens_through_the_jwks(member):
    from gateway.auth import JwksKeys, TokenVerifier  # tests may cross the boundary

    app, url, _ = member
    token = await sign_in(app)
    verifier = TokenVerifier([JwksKeys(f"{url}/.well-known/jwks.json")])
    try:
        assert (await verifier.verify(token))["kind"] == "member"
    finally:
        await verifier.aclose()


async def test_an_hs256_member_publishes_an_empty_key_set(tmp_path):
    database_url = f"sqlite+aiosqlite:///{tmp_path / 'member.db'}"
    migrate(database_url)
    app = create_app(database_url, key_ring=KeyRing.from_env({}))
    try:
        status, document = await call(app, "GET", "/.well-known/jwks.json")
        assert (status, document) == (200, {"keys": []})
    finally:
        await app.state.database.dispose()
