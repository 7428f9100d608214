"""Signing keys: an HS256 shared secret, or a PEM private key (RS256, ES256, EdDSA) with a kid.

`generate` and `write_key_pair` make new asymmetric keys (`brand-matrix token keygen`).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jwt
from cryptography.exceptions import UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa

from tokenkeys.verification import KeyTypeError, VerificationKey, algorithm_for, read_pem

KEYGEN_ALGORITHMS = ("RS256", "ES256", "EdDSA")
KID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]{0,63}")  # also a safe file name


@dataclass(frozen=True, slots=True)
class SigningKey:
    """`secret` is the HS256 shared secret (str), or a cryptography private key object."""

    kid: str
    secret: Any
    algorithm: str = "HS256"

    @classmethod
    def private(cls, kid: str, key: Any) -> SigningKey:
        """A private key; its algorithm follows the key (KeyTypeError when unsupported)."""
        return cls(kid, key, algorithm_for(key))

    @property
    def is_shared_secret(self) -> bool:
        return isinstance(self.secret, str | bytes)

    def sign(self, payload: dict[str, Any]) -> str:
        """`payload` as a JWT signed with this key, its kid in the header."""
        return jwt.encode(payload, self.secret, algorithm=self.algorithm, headers={"kid": self.kid})

    @property
    def verification_key(self) -> VerificationKey:
        """What verifies this key's signatures: the secret itself, or the public key."""
        key = self.secret if self.is_shared_secret else self.secret.public_key()
        return VerificationKey(self.kid, key, self.algorithm)


def private_key(pem: bytes, *, kid: str, source: str | Path = "the key") -> SigningKey:
    """A signing key from PEM private key text (unencrypted PKCS#8 or traditional); ValueError
    (one line, naming `source`) for a public key, another format or an unsupported key."""
    if b"PRIVATE KEY-----" not in pem and b"PUBLIC KEY-----" in pem:
        raise ValueError(f"{source} holds a public key: the signer needs the private key")
    try:
        key = serialization.load_pem_private_key(pem, password=None)
        return SigningKey.private(kid, key)
    except KeyTypeError as error:
        raise ValueError(f"{source} {error}") from None
    except TypeError:  # cryptography: "Password was not given but private key is encrypted"
        raise ValueError(f"{source} is encrypted: give an unencrypted private key") from None
    except (ValueError, UnsupportedAlgorithm):
        raise ValueError(f"{source} is not a PEM private key") from None


def private_key_file(path: str | Path, *, kid: str) -> SigningKey:
    return private_key(read_pem(path), kid=kid, source=path)


def generate(algorithm: str) -> Any:
    """A new private key for `algorithm` (one of KEYGEN_ALGORITHMS)."""
    if algorithm == "RS256":
        return rsa.generate_private_key(public_exponent=65537, key_size=3072)
    if algorithm == "ES256":
        return ec.generate_private_key(ec.SECP256R1())
    if algorithm == "EdDSA":
        return ed25519.Ed25519PrivateKey.generate()
    raise ValueError(f"unknown algorithm {algorithm!r} (one of {', '.join(KEYGEN_ALGORITHMS)})")


def write_key_pair(algorithm: str, kid: str, out_dir: str | Path) -> tuple[Path, Path]:
    """Write `KID.private.pem` (mode 0600) and `KID.public.pem` into `out_dir` (created when
    missing); ValueError when either file exists already (a key is never overwritten)."""
    if not KID.fullmatch(kid):
        raise ValueError(f"the kid {kid!r} must be letters, digits, _ . - (at most 64)")
    key = generate(algorithm)
    directory = Path(out_dir)
    private_path = directory / f"{kid}.private.pem"
    public_path = directory / f"{kid}.public.pem"
    for path in (private_path, public_path):
        if path.exists():
            raise ValueError(f"{path} exists already: a key is never overwritten")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        private_pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        # O_EXCL: a file that appeared meanwhile is not overwritten; 0600 from the start, so
        # the private key is never readable by others, not even for a moment.
        fd = os.open(private_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "wb") as out:
            out.write(private_pem)
        public_pem = key.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
        with open(public_path, "xb") as out:
            out.write(public_pem)
    except OSError as error:
        raise ValueError(f"cannot write the key pair in {directory}: {error}") from None
    return private_path, public_path
