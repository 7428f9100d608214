"""Keys from a JWKS URL (a local aiohttp server): rotation and unknown-kid refresh."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from typing import Any

import jwt
import pytest
from aiohttp import web
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from gateway.auth import GatewayAuth, JwksKeys, TokenError, TokenVerifier
from gateway.http import create_app
from tests.gateway.auth.subgraphs import make_gateway
from tests.gateway.auth.tokens import bearer, claims
from tests.gateway.http.asgi_client import request
from tests.http_server import serving


class Issuer:
    """Publishes a JWKS and signs tokens with its keys."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.requests = 0

    def add(self, kid: str, private: Any) -> None:
        self.keys[kid] = private

    def jwks(self) -> dict[str, Any]:
        out = []
        for kid, private in self.keys.items():
            algorithm = jwt.algorithms.RSAAlgorithm
            if isinstance(private, ed25519.Ed25519PrivateKey):
                algorithm = jwt.algorithms.OKPAlgorithm
            jwk = json.loads(algorithm.to_jwk(private.public_key()))
            jwk["kid"] = kid
            out.append(jwk)
        return {"keys": out}

    def token(self, kid: str, **overrides: Any) -> str:
        private = self.keys[kid]
        algorithm = "EdDSA" if isinstance(private, ed25519.Ed25519PrivateKey) else "RS256"
        return jwt.encode(claims(**overrides), private, algorithm, headers={"kid": kid})


def rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture
async def issuer() -> AsyncIterator[tuple[Issuer, str]]:
    published = Issuer()

    async def serve(_: web.Request) -> web.Response:
        published.requests += 1
        return web.json_response(published.jwks())

    async with serving("/jwks.json", serve) as url:
        yield published, url


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


async def test_jwks_keys_rotate_without_downtime(issuer: tuple[Issuer, str]) -> None:
    published, url = issuer
    published.add("2024", rsa_key())
    clock = Clock()
    source = JwksKeys(url, max_age=300, min_refresh_interval=30, clock=clock)
    verifier = TokenVerifier([source])
    try:
        assert (await verifier.verify(published.token("2024")))["sub"] == "m-1"
        assert published.requests == 1
        await verifier.verify(published.token("2024", sub="m-2"))
        assert published.requests == 1  # cached
        # The issuer publishes a new key and signs with it: one refresh picks it up.
        published.add("2025", ed25519.Ed25519PrivateKey.generate())
        clock.now += 31
        assert (await verifier.verify(published.token("2025")))["sub"] == "m-1"
        assert published.requests == 2
        # Old tokens keep working while the old key is published.
        await verifier.verify(published.token("2024", sub="m-3"))
        assert published.requests == 2
        # The old key is withdrawn: after max_age the set is fetched again and it is refused.
        old = published.token("2024", sub="m-4")
        del published.keys["2024"]
        clock.now += 301
        with pytest.raises(TokenError, match="unknown key"):
            await verifier.verify(old)
    finally:
        await verifier.aclose()


async def test_unknown_kid_refresh_is_rate_limited(issuer: tuple[Issuer, str]) -> None:
    published, url = issuer
    published.add("a", rsa_key())
    clock = Clock()
    verifier = TokenVerifier([JwksKeys(url, min_refresh_interval=30, clock=clock)])
    stranger = Issuer()
    stranger.add("made-up", rsa_key())
    try:
        await verifier.verify(published.token("a"))
        for n in range(5):
            with pytest.raises(TokenError, match="unknown key"):
                await verifier.verify(stranger.token("made-up", sub=f"x{n}"))
        assert published.requests == 1  # made-up kids do not hammer the issuer
        clock.now += 31
        with pytest.raises(TokenError):
            await verifier.verify(stranger.token("made-up", sub="late"))
        assert published.requests == 2
    finally:
        await verifier.aclose()


async def test_jwks_through_the_http_app(issuer: tuple[Issuer, str]) -> None:
    published, url = issuer
    published.add("k", rsa_key())
    auth = GatewayAuth(TokenVerifier([JwksKeys(url)]))
    gateway, _ = make_gateway(auth)
    app = create_app(gateway)
    query = {"query": "{ secret { code } }"}
    try:
        reply = await request(app, "POST", json=query, headers=bearer(published.token("k")))
        assert (reply.status, reply.json()) == (200, {"data": {"secret": {"code": "c0de"}}})
        bad = published.token("k", aud="elsewhere")
        reply = await request(app, "POST", json=query, headers=bearer(bad))
        assert reply.status == 401
        assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
    finally:
        await gateway.aclose()


async def test_unreachable_jwks_refuses_tokens() -> None:
    verifier = TokenVerifier([JwksKeys("http://127.0.0.1:9/jwks.json", timeout=1)])
    issuer = Issuer()
    issuer.add("k", rsa_key())
    try:
        with pytest.raises(TokenError, match="unknown key"):
            await verifier.verify(issuer.token("k"))
    finally:
        await verifier.aclose()
