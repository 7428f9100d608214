"""Access tokens verified by the gateway: a bad one is a 401 UNAUTHENTICATED, nothing runs."""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
from typing import Any

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from gateway.auth import (
    GatewayAuth,
    StaticKeys,
    TokenError,
    TokenVerifier,
    VerificationKey,
    hs256_keys_from_env,
    pem_file_keys,
    public_key,
)
from gateway.http import create_app
from tests.gateway.auth.subgraphs import make_gateway
from tests.gateway.auth.tokens import SECRET, bearer, claims, hs_token, hs_verifier
from tests.gateway.http.asgi_client import request

QUERY = {"query": "{ greeting }"}


def _pem(private: Any) -> bytes:
    return private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


async def post(auth: GatewayAuth, headers: dict[str, str] | None = None) -> Any:
    gateway, transports = make_gateway(auth)
    reply = await request(create_app(gateway), "POST", json=QUERY, headers=headers)
    return reply, transports


async def assert_unauthenticated(auth: GatewayAuth, token: str, message: str = "") -> None:
    reply, transports = await post(auth, bearer(token))
    assert reply.status == 401
    body = reply.json()
    assert "data" not in body
    [error] = body["errors"]
    assert error["extensions"] == {"code": "UNAUTHENTICATED"}
    assert message in error["message"]
    assert reply.headers.get("www-authenticate", "").startswith("Bearer")
    assert all(t.requests == [] for t in transports.values())  # nothing executed


async def test_valid_hs256_token_runs_and_no_token_is_anonymous() -> None:
    auth = GatewayAuth(hs_verifier())
    reply, _ = await post(auth, bearer(hs_token()))
    assert (reply.status, reply.json()) == (200, {"data": {"greeting": "hello you"}})
    reply, _ = await post(auth)
    assert (reply.status, reply.json()) == (200, {"data": {"greeting": "hello you"}})


@pytest.mark.parametrize(
    ("token", "message"),
    [
        (hs_token(exp=int(time.time()) - 60), "expired"),
        (hs_token(aud="someone-else"), "Audience"),
        (hs_token(iss="https://evil.example"), "issuer"),
        (hs_token(secret="another-secret-of-at-least-thirty-two-bytes"), "invalid"),
        (hs_token(kid="unknown"), "unknown key"),
        (hs_token(exp=None), "exp"),
        ("garbage", "malformed"),
        ("a.b.c", "malformed"),
    ],
    ids=[
        "expired",
        "audience",
        "issuer",
        "bad-signature",
        "unknown-kid",
        "no-exp",
        "garbage",
        "abc",
    ],
)
async def test_bad_tokens_are_401(token: str, message: str) -> None:
    await assert_unauthenticated(GatewayAuth(hs_verifier()), token, message)


async def test_tampered_payload_is_401() -> None:
    header, payload, signature = hs_token().split(".")
    data = json.loads(base64.urlsafe_b64decode(payload + "=="))
    data["scopes"] = ["admin"]
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).rstrip(b"=").decode()
    await assert_unauthenticated(GatewayAuth(hs_verifier()), f"{header}.{forged}.{signature}")


async def test_alg_none_is_401() -> None:
    token = jwt.encode(claims(), None, algorithm="none", headers={"kid": "k1"})
    await assert_unauthenticated(GatewayAuth(hs_verifier()), token, "unknown key")


async def test_not_a_bearer_header_is_401() -> None:
    reply, _ = await post(GatewayAuth(hs_verifier()), {"Authorization": "Basic dXNlcjpwdw=="})
    assert reply.status == 401
    assert reply.json()["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"


async def test_rs256_public_key_from_a_pem_file(tmp_path: Any) -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    (tmp_path / "rsa1.pem").write_bytes(_pem(private))
    auth = GatewayAuth(TokenVerifier([pem_file_keys([tmp_path / "rsa1.pem"])]))
    token = jwt.encode(claims(), private, algorithm="RS256", headers={"kid": "rsa1"})
    reply, _ = await post(auth, bearer(token))
    assert reply.status == 200
    other = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    forged = jwt.encode(claims(), other, algorithm="RS256", headers={"kid": "rsa1"})
    await assert_unauthenticated(auth, forged, "Signature verification failed")


async def test_public_key_is_never_used_as_an_hmac_secret() -> None:
    private = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = _pem(private)
    auth = GatewayAuth(TokenVerifier([StaticKeys([public_key(pem, kid="rsa1")])]))
    # The classic confusion attack: HS256 "signed" with the public key's PEM text.
    header = base64.urlsafe_b64encode(b'{"alg":"HS256","kid":"rsa1","typ":"JWT"}').rstrip(b"=")
    body = base64.urlsafe_b64encode(json.dumps(claims()).encode()).rstrip(b"=")
    signing_input = header + b"." + body
    mac = hmac.new(pem, signing_input, hashlib.sha256).digest()
    token = (signing_input + b"." + base64.urlsafe_b64encode(mac).rstrip(b"=")).decode()
    await assert_unauthenticated(auth, token, "unknown key")


async def test_eddsa_and_es256_keys() -> None:
    ed = ed25519.Ed25519PrivateKey.generate()
    es = ec.generate_private_key(ec.SECP256R1())
    verifier = TokenVerifier(
        [StaticKeys([public_key(_pem(ed), kid="ed"), public_key(_pem(es), kid="es")])]
    )
    assert (await verifier.verify(jwt.encode(claims(), ed, "EdDSA", {"kid": "ed"})))["sub"]
    assert (await verifier.verify(jwt.encode(claims(), es, "ES256", {"kid": "es"})))["sub"]
    with pytest.raises(TokenError, match="unknown key"):
        await verifier.verify(jwt.encode(claims(), ed, "EdDSA", {"kid": "es"}))
    await assert_unauthenticated(
        GatewayAuth(verifier),
        jwt.encode(claims(), ed25519.Ed25519PrivateKey.generate(), "EdDSA", {"kid": "ed"}),
    )


async def test_token_without_kid_tries_keys_of_its_algorithm() -> None:
    verifier = TokenVerifier(
        [
            StaticKeys(
                [VerificationKey("a", "x" * 32, "HS256"), VerificationKey("b", SECRET, "HS256")]
            )
        ]
    )
    assert (await verifier.verify(hs_token(kid=None)))["sub"] == "m-1"


async def test_embedded_default_reads_the_subgraphs_environment() -> None:
    env = {"BRAND_MATRIX_JWT_KEYS": "old=" + "o" * 32 + ",new=" + SECRET}
    verifier = TokenVerifier([hs256_keys_from_env(env)])
    assert (await verifier.verify(hs_token(kid="new")))["sub"] == "m-1"
    with pytest.raises(TokenError):
        await verifier.verify(hs_token(kid="k1"))
    default = TokenVerifier([hs256_keys_from_env({"BRAND_MATRIX_JWT_SECRET": SECRET})])
    assert (await default.verify(hs_token(kid="default")))["sub"] == "m-1"
    with pytest.raises(ValueError):
        hs256_keys_from_env({"BRAND_MATRIX_JWT_KEYS": "no-equals-sign"})


async def test_tokens_issued_by_the_subgraphs_verify_at_the_gateway() -> None:
    from subgraphs.common.auth import KeyRing, issue_token  # tests may cross the boundary

    env = {"BRAND_MATRIX_JWT_SECRET": SECRET}
    token = issue_token(KeyRing.from_env(env), subject="m-9", kind="member", scopes=["a"])
    payload = await TokenVerifier([hs256_keys_from_env(env)]).verify(token)
    assert (payload["sub"], payload["scopes"]) == ("m-9", ["a", "member"])


async def test_configurable_audience_and_issuer() -> None:
    verifier = TokenVerifier(
        [StaticKeys([VerificationKey("k1", SECRET, "HS256")])],
        audience=["web", "mini"],
        issuer="https://id.example",
    )
    assert await verifier.verify(hs_token(aud="mini", iss="https://id.example"))
    with pytest.raises(TokenError, match="Audience"):
        await verifier.verify(hs_token(iss="https://id.example"))
    with pytest.raises(TokenError, match="issuer"):
        await verifier.verify(hs_token(aud="web"))
