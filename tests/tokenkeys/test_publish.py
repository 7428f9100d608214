"""tokenkeys.publish: a JWKS document of public keys, never of secrets."""

from __future__ import annotations

import jwt

from tokenkeys.jwks import parse_jwks
from tokenkeys.publish import jwks_document
from tokenkeys.signing import SigningKey

from .keys import ed_key, es_key, rsa_key


def test_public_keys_round_trip_through_a_jwks():
    keys = {"r": rsa_key(), "e": es_key(), "d": ed_key()}
    signers = [SigningKey.private(kid, key) for kid, key in keys.items()]
    document = jwks_document(s.verification_key for s in signers)
    assert [(k["kid"], k["alg"], k["use"]) for k in document["keys"]] == [
        ("r", "RS256", "sig"), ("e", "ES256", "sig"), ("d", "EdDSA", "sig"),
    ]  # fmt: skip
    assert all("d" not in k for k in document["keys"])  # no private part
    parsed = {key.kid: key for key in parse_jwks(document)}
    for signer in signers:
        token = jwt.encode({"sub": "x"}, signer.secret, signer.algorithm)
        found = parsed[signer.kid]
        assert jwt.decode(token, found.key, algorithms=[found.algorithm]) == {"sub": "x"}


def test_shared_secrets_are_never_published():
    secret = SigningKey("hs", "a-shared-secret-of-thirty-two-bytes!")
    assert jwks_document([secret.verification_key]) == {"keys": []}
    assert "thirty-two" not in str(jwks_document([secret.verification_key]))


def test_hs_keys_in_a_jwks_are_ignored():
    document = {
        "keys": [
            {"kty": "oct", "kid": "hs", "k": "c2VjcmV0", "alg": "HS256"},
            {"kty": "oct", "kid": "hs2", "k": "c2VjcmV0"},
        ]
    }
    assert parse_jwks(document) == []
