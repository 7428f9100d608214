"""Verification keys: HS256 shared secrets and PEM public keys (RS256, ES256/384/512, EdDSA).

A key's algorithm follows from the key itself, never from a token's header, so a public key is
never used as an HMAC secret (the "alg confusion" attack).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Protocol

from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives.asymmetric import ec, ed448, ed25519, rsa
from cryptography.hazmat.primitives.serialization import load_pem_public_key

DEV_SECRET = "brand-matrix-development-secret-not-for-production"
DEFAULT_KID = "default"
_CURVES = {"secp256r1": "ES256", "secp384r1": "ES384", "secp521r1": "ES512"}


@dataclass(frozen=True, slots=True)
class VerificationKey:
    """One key: tokens whose header names this kid (or no kid) and this algorithm use it."""

    kid: str | None
    key: Any  # a secret (str/bytes) or a cryptography public key
    algorithm: str

    @property
    def is_public(self) -> bool:
        """A public key (safe to publish); False for a shared secret."""
        return not isinstance(self.key, str | bytes)


class KeyTypeError(ValueError):
    """A key of a type or curve tokens are not signed with here."""


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
        return matching(self.keys, kid, algorithm)


def matching(
    keys: Iterable[VerificationKey], kid: str | None, algorithm: str
) -> list[VerificationKey]:
    # The header's alg must be the key's own: a public key is never used as an HMAC secret.
    same_alg = [k for k in keys if k.algorithm == algorithm]
    if kid is None:
        return same_alg
    return [k for k in same_alg if k.kid == kid]


def hs256_keys(secrets: Mapping[str, str]) -> StaticKeys:
    return StaticKeys(VerificationKey(kid, secret, "HS256") for kid, secret in secrets.items())


def public_key(
    pem: bytes | str, *, kid: str | None = None, source: str | Path = "the key"
) -> VerificationKey:
    """An RS256, ES256/ES384/ES512 or EdDSA key from PEM text; the algorithm follows the key.
    ValueError (one line, naming `source`) for anything else, a private key included."""
    data = pem.encode() if isinstance(pem, str) else pem
    if b"PRIVATE KEY-----" in data:  # a private key where the public one belongs
        raise ValueError(f"{source} holds a private key: give the public key")
    try:
        key = load_pem_public_key(data)
        return VerificationKey(kid, key, algorithm_for(key))
    except (ValueError, TypeError, UnsupportedAlgorithm) as error:
        reason = str(error) if isinstance(error, KeyTypeError) else "is not a PEM public key"
        raise ValueError(f"{source} {reason}") from None


def pem_file_keys(paths: Mapping[str, str | Path] | Iterable[str | Path]) -> StaticKeys:
    """PEM public keys from files: a mapping kid -> path, or paths (kid = the file's stem).
    ValueError (one line, naming the file) for a file that cannot be read or is no public key."""
    items = paths.items() if isinstance(paths, Mapping) else ((Path(p).stem, p) for p in paths)
    return StaticKeys(public_key(read_pem(path), kid=kid, source=path) for kid, path in items)


def read_pem(path: str | Path) -> bytes:
    try:
        return Path(path).read_bytes()
    except OSError as error:
        raise ValueError(f"{path} cannot be read ({error.strerror or error})") from None


def algorithm_for(key: Any) -> str:
    """The JWS algorithm of a public or private key; ValueError for unsupported ones."""
    if isinstance(key, rsa.RSAPublicKey | rsa.RSAPrivateKey):
        return "RS256"
    if isinstance(key, ec.EllipticCurvePublicKey | ec.EllipticCurvePrivateKey):
        algorithm = _CURVES.get(key.curve.name)
        if algorithm is None:
            raise KeyTypeError(f"uses the unsupported elliptic curve {key.curve.name}")
        return algorithm
    if isinstance(
        key,
        ed25519.Ed25519PublicKey
        | ed448.Ed448PublicKey
        | ed25519.Ed25519PrivateKey
        | ed448.Ed448PrivateKey,
    ):
        return "EdDSA"
    raise KeyTypeError(f"is an unsupported key type ({type(key).__name__})")
