"""KeyRing with asymmetric keys and a JWKS URL (subgraphs/common/auth.py over `tokenkeys`):
what every subgraph verifies once the member subgraph signs with a private key."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from collections.abc import AsyncIterator
from typing import Any

import pytest
from aiohttp import web

from subgraphs.common.auth import AuthError, KeyRing, issue_token, verify_token
from tests.http_server import serving
from tests.tokenkeys.keys import ed_key, public_pem, rsa_key, write_pair
from tokenkeys import SigningKey, StaticKeys, jwks_document, public_key
from tokenkeys import env as key_env
from tokenkeys.jwks import JwksKeys


def signer(kid: str, key: Any) -> KeyRing:
    return KeyRing([SigningKey.private(kid, key)])


def verifier_of(*pairs: tuple[str, Any]) -> KeyRing:
    """A ring holding public keys only (what a subgraph gets from BRAND_MATRIX_JWT_PUBLIC_KEYS)."""
    return KeyRing([], sources=[StaticKeys(public_key(public_pem(k), kid=kid) for kid, k in pairs)])


def refused(token: str, ring: KeyRing) -> str:
    with pytest.raises(AuthError) as raised:
        verify_token(ring, token)
    return raised.value.message


def test_a_public_key_verifies_the_private_keys_tokens_from_the_environment(tmp_path):
    private, public = write_pair(tmp_path, "m1", rsa_key())
    member = KeyRing.from_env({key_env.PRIVATE_KEY_FILE: str(private)})
    other = KeyRing.from_env({key_env.PUBLIC_KEYS: f"m1={public}"})
    token = issue_token(member, subject="mbr_1", kind="member", brand="lumen")
    claims = verify_token(other, token)
    assert (claims.subject, claims.brand) == ("mbr_1", "lumen")
    # The development secret is no longer accepted next to real keys.
    dev = issue_token(KeyRing.from_env({}), subject="mbr_1", kind="member")
    assert "unknown key" in refused(dev, other)
    with pytest.raises(ValueError, match="no signing key"):
        issue_token(other, subject="mbr_1", kind="member")  # a verifier cannot sign


def test_a_forged_signature_is_refused():
    other = verifier_of(("m1", ed_key()))
    forged = issue_token(signer("m1", ed_key()), subject="mbr_1", kind="member")
    assert "invalid" in refused(forged, other)


def test_alg_confusion_the_public_pem_as_an_hmac_secret_is_refused():
    key = rsa_key()
    other = verifier_of(("m1", key))
    now = int(time.time())
    claims = {"iss": "brand-matrix", "aud": "brand-matrix", "sub": "mbr_1", "kind": "member",
              "iat": now, "exp": now + 60}  # fmt: skip
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"m1","typ":"JWT"}').rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims).encode()).rstrip(b"=")
    signing_input = header + b"." + body
    mac = hmac.new(public_pem(key), signing_input, hashlib.sha256).digest()
    token = (signing_input + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()
    assert "invalid" in refused(token, other)


def test_rotation_with_two_private_keys():
    old_key, new_key = ed_key(), rsa_key()
    before = signer("old", old_key)
    old_token = issue_token(before, subject="m", kind="member")
    during = KeyRing([SigningKey.private("new", new_key), SigningKey.private("old", old_key)])
    new_token = issue_token(during, subject="m", kind="member")
    published = verifier_of(("new", new_key), ("old", old_key))
    assert verify_token(published, old_token).subject == "m"
    assert verify_token(published, new_token).subject == "m"
    assert {k.kid for k in during.public_keys} == {"new", "old"}
    after = verifier_of(("new", new_key))  # the old key dropped
    assert "unknown key" in refused(old_token, after)
    assert verify_token(after, new_token).subject == "m"


def test_an_hs_ring_publishes_no_keys():
    ring = KeyRing([SigningKey("hs", "a-shared-secret-of-thirty-two-bytes!")])
    assert ring.public_keys == []
    assert jwks_document(ring.public_keys) == {"keys": []}


# --- a JWKS URL -------------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


class Issuer:
    """A JWKS endpoint that publishes `keys`; `up = False` answers 503."""

    def __init__(self) -> None:
        self.keys: dict[str, Any] = {}
        self.up = True
        self.requests = 0

    def ring(self, kid: str) -> KeyRing:
        return signer(kid, self.keys[kid])

    def document(self) -> dict[str, Any]:
        signers = (SigningKey.private(kid, key) for kid, key in self.keys.items())
        return jwks_document(s.verification_key for s in signers)


@pytest.fixture
async def issuer() -> AsyncIterator[tuple[Issuer, str]]:
    published = Issuer()

    async def serve(_: web.Request) -> web.Response:
        published.requests += 1
        if not published.up:
            return web.Response(status=503)
        return web.json_response(published.document())

    async with serving("/.well-known/jwks.json", serve) as url:
        yield published, url


def jwks_ring(url: str, clock: Clock) -> KeyRing:
    return KeyRing([], sources=[JwksKeys(url, max_age=300, min_refresh_interval=30, clock=clock)])


async def test_jwks_keys_are_fetched_by_prepare_not_by_decode(issuer):
    published, url = issuer
    published.keys["m1"] = ed_key()
    clock = Clock()
    ring = jwks_ring(url, clock)
    token = issue_token(published.ring("m1"), subject="mbr_1", kind="member")
    assert "unknown key" in refused(token, ring)  # decode alone never fetches
    assert published.requests == 0
    await ring.prepare(None)  # an anonymous request fetches nothing either
    assert published.requests == 0
    await ring.prepare(token)
    assert verify_token(ring, token).subject == "mbr_1"
    await ring.prepare(token)  # fresh and known: no fetch
    assert published.requests == 1
    await ring.aclose()


async def test_an_unknown_kid_refreshes_once_then_is_refused(issuer):
    published, url = issuer
    published.keys["m1"] = ed_key()
    clock = Clock()
    ring = jwks_ring(url, clock)
    await ring.prepare(issue_token(published.ring("m1"), subject="m", kind="member"))
    assert published.requests == 1
    clock.now += 31
    stranger = issue_token(signer("made-up", ed_key()), subject="m", kind="member")
    await ring.prepare(stranger)
    assert published.requests == 2  # one refresh: the issuer may have published a new key
    assert "unknown key" in refused(stranger, ring)
    for _ in range(5):  # more made-up kids within the interval: no more fetches
        await ring.prepare(stranger)
    assert published.requests == 2
    assert "unknown key" in refused(stranger, ring)
    await ring.aclose()


async def test_rotation_through_the_jwks(issuer):
    published, url = issuer
    published.keys["old"] = ed_key()
    clock = Clock()
    ring = jwks_ring(url, clock)
    old_token = issue_token(published.ring("old"), subject="m", kind="member")
    await ring.prepare(old_token)
    clock.now += 60
    published.keys["new"] = rsa_key()  # published next to the old one, then made active
    new_token = issue_token(published.ring("new"), subject="m", kind="member")
    await ring.prepare(new_token)  # unknown kid: refreshed
    assert verify_token(ring, new_token).subject == "m"
    assert verify_token(ring, old_token).subject == "m"  # both published: both accepted
    del published.keys["old"]
    clock.now += 301  # the set is stale: the next request fetches it again
    await ring.prepare(new_token)
    assert "unknown key" in refused(old_token, ring)
    assert verify_token(ring, new_token).subject == "m"
    await ring.aclose()


async def test_a_jwks_endpoint_that_is_down_keeps_the_known_keys(issuer):
    published, url = issuer
    published.keys["m1"] = ed_key()
    clock = Clock()
    ring = jwks_ring(url, clock)
    token = issue_token(published.ring("m1"), subject="mbr_1", kind="member")
    await ring.prepare(token)
    published.up = False
    clock.now += 301  # stale: a fetch is tried and fails
    await ring.prepare(token)
    assert published.requests == 2
    assert verify_token(ring, token).subject == "mbr_1"
    await ring.aclose()


async def test_a_jwks_url_nobody_answers_refuses_without_a_traceback():
    ring = KeyRing([], sources=[JwksKeys("http://127.0.0.1:9/jwks.json", timeout=1)])
    token = issue_token(signer("m1", ed_key()), subject="m", kind="member")
    await ring.prepare(token)
    assert "unknown key" in refused(token, ring)
    await ring.aclose()


async def test_a_bad_key_variable_is_a_one_line_graphql_error(monkeypatch, tmp_path):
    from subgraphs.common.app import create_subgraph_app
    from tests.subgraphs.common.asgi import call
    from tests.subgraphs.common.test_app import auth_schema

    monkeypatch.setenv(key_env.PUBLIC_KEYS, f"m1={tmp_path / 'missing.pem'}")
    app = create_subgraph_app(auth_schema, get_session=lambda: None, gateway_secrets=())
    token = issue_token(signer("m1", ed_key()), subject="m", kind="member")
    status, body = await call(
        app, "POST", "/graphql", json={"query": "{ me { subject } }"},
        headers={"authorization": f"Bearer {token}"},
    )  # fmt: skip
    assert status == 200
    (error,) = body["errors"]
    assert key_env.PUBLIC_KEYS in error["message"] and "cannot be read" in error["message"]
    assert "\n" not in error["message"]
