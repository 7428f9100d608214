"""Verification keys: HS256 shared secrets (the embedded default) and PEM public keys.

The environment variables are the ones subgraphs/common/auth.py reads, read again here
because the gateway never imports subgraphs: `BRAND_MATRIX_JWT_KEYS="kid1=s1,kid2=s2"` (every
key verifies), else `BRAND_MATRIX_JWT_SECRET` under kid "default", else the development secret.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

DEV_SECRET = "brand-matrix-development-secret-not-for-production"
DEFAULT_KID = "default"


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """One key: tokens whose header names this kid (or no kid) and this algorithm use it."""

    kid: str | None
    key: Any  # a secret (str/bytes) or a cryptography public key
    algorithm: str


class KeySource(Protocol):
    def find(self, kid: str | None, algorithm: str) -> list[VerificationKey]:
        """The keys a token with this header may be verified with (cached, no I/O)."""
        ...


class StaticKeys:
    """Keys known at start-up (secrets, PEM files)."""

    def __init__(self, keys: Iterable[VerificationKey]) -> None:
        self.keys = list(keys)
        if not self.keys:
            raise ValueError("a key source needs at least one key")

    def find(self, kid: str | None, algorithm: str) -> list[VerificationKey]:
        return _matching(self.keys, kid, algorithm)


def _matching(
    keys: Iterable[VerificationKey], kid: str | None, algorithm: str
) -> list[VerificationKey]:
    # The header's alg must be the key's own: a public key is never used as an HMAC secret.
    same_alg = [k for k in keys if k.algorithm == algorithm]
    if kid is None:
        return same_alg
    return [k for k in same_alg if k.kid == kid]


def hs256_keys(secrets: Mapping[str, str]) -> StaticKeys:
    return StaticKeys(VerificationKey(kid, secret, "HS256") for kid, secret in secrets.items())


def hs256_keys_from_env(environ: Mapping[str, str] | None = None) -> StaticKeys:
    """The embedded default: the same secrets the group's subgraphs sign and verify with."""
    env = os.environ if environ is None else environ
    listed = env.get("BRAND_MATRIX_JWT_KEYS", "").strip()
    if not listed:
        return hs256_keys({DEFAULT_KID: env.get("BRAND_MATRIX_JWT_SECRET") or DEV_SECRET})
    secrets: dict[str, str] = {}
    for item in listed.split(","):
        if not item.strip():
            continue
        kid, sep, secret = (part.strip() for part in item.partition("="))
        if not sep or not kid or not secret or kid in secrets:
            raise ValueError("BRAND_MATRIX_JWT_KEYS must read 'kid=secret[,kid=secret...]'")
        secrets[kid] = secret
    if not secrets:
        raise ValueError("BRAND_MATRIX_JWT_KEYS must read 'kid=secret[,kid=secret...]'")
    return hs256_keys(secrets)


def public_key(pem: bytes | str, *, kid: str | None = None) -> VerificationKey:
    """An RS256, ES256/ES384/ES512 or EdDSA key from PEM text; the algorithm follows the key."""
    data = pem.encode() if isinstance(pem, str) else pem
    key = load_pem_public_key(data)
    return VerificationKey(kid, key, algorithm_for(key))


def pem_file_keys(paths: Mapping[str, str | Path] | Iterable[str | Path]) -> StaticKeys:
    """PEM public keys from files: a mapping kid -> path, or paths (kid = the file's stem)."""
    items = paths.items() if isinstance(paths, Mapping) else ((Path(p).stem, p) for p in paths)
    return StaticKeys(public_key(Path(path).read_bytes(), kid=kid) for kid, path in items)


def algorithm_for(key: Any) -> str:
    if isinstance(key, rsa.RSAPublicKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey):
        by_curve = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}
        algorithm = by_curve.get(key.curve.name)
        if algorithm is None:
            raise ValueError(f"unsupported elliptic curve {key.curve.name}")
        return algorithm
    if isinstance(key, ed25519.Ed25519PublicKey | ed448.Ed448PublicKey):
        return "EdDSA"
    raise ValueError(f"unsupported public key type {type(key).__name__}")
