"""Real keys for the tests, made with `cryptography`, and their PEM files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa


def rsa_key() -> Any:
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


def ed_key() -> Any:
    return ed25519.Ed25519PrivateKey.generate()


def es_key(curve: Any = None) -> Any:
    return ec.generate_private_key(curve or ec.SECP256R1())


def private_pem(key: Any) -> bytes:
    return key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def public_pem(key: Any) -> bytes:
    return key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def write_pair(directory: Path, kid: str, key: Any) -> tuple[Path, Path]:
    """`kid.private.pem` and `kid.public.pem` in `directory`, as `token keygen` names them."""
    private, public = directory / f"{kid}.private.pem", directory / f"{kid}.public.pem"
    private.write_bytes(private_pem(key))
    public.write_bytes(public_pem(key))
    return private, public
