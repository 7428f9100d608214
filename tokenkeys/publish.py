"""A JWKS document from public keys, for an issuer to publish at `/.well-known/jwks.json`."""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any

from jwt.algorithms import ECAlgorithm, OKPAlgorithm, RSAAlgorithm

from tokenkeys.verification import VerificationKey

_FAMILIES = {"RS": RSAAlgorithm, "ES": ECAlgorithm, "Ed": OKPAlgorithm}


def jwks_document(keys: Iterable[VerificationKey]) -> dict[str, Any]:
    """`{"keys": [...]}` with each public key's kid, alg and `use: sig`. Shared secrets are
    left out, never published: a ring of HS keys only gives an empty set."""
    out: list[dict[str, Any]] = []
    for key in keys:
        if not key.is_public:
            continue
        algorithm = _FAMILIES[key.algorithm[:2]]
        jwk = json.loads(algorithm.to_jwk(key.key))
        jwk.update({"use": "sig", "alg": key.algorithm})
        if key.kid is not None:
            jwk["kid"] = key.kid
        out.append(jwk)
    return {"keys": out}
