"""What `[auth]` builds: which keys the gateway accepts (gateway/config_features.py)."""

from __future__ import annotations

import time
from pathlib import Path

import jwt
import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ed25519

from gateway.auth.verifier import TokenError
from gateway.config_features import AuthSettings, build_auth
from tokenkeys import DEV_SECRET


def claims() -> dict[str, object]:
    now = int(time.time())
    return {"sub": "m-1", "iss": "brand-matrix", "aud": "brand-matrix", "iat": now, "exp": now + 60}


@pytest.fixture
def public_key_file(tmp_path: Path) -> tuple[ed25519.Ed25519PrivateKey, Path]:
    private = ed25519.Ed25519PrivateKey.generate()
    path = tmp_path / "k1.public.pem"
    path.write_bytes(
        private.public_key().public_bytes(
            serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
        )
    )
    return private, path


async def test_beside_public_keys_the_development_secret_is_refused(
    public_key_file: tuple[ed25519.Ed25519PrivateKey, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRAND_MATRIX_JWT_SECRET", raising=False)
    monkeypatch.delenv("BRAND_MATRIX_JWT_KEYS", raising=False)
    private, path = public_key_file
    auth = build_auth(AuthSettings(public_keys=(f"k1={path}",)), None)
    signed = jwt.encode(claims(), private, algorithm="EdDSA", headers={"kid": "k1"})
    assert (await auth.verifier.verify(signed))["sub"] == "m-1"
    forged = jwt.encode(claims(), DEV_SECRET, algorithm="HS256", headers={"kid": "default"})
    with pytest.raises(TokenError, match="unknown key"):
        await auth.verifier.verify(forged)


async def test_an_explicit_secret_still_counts_beside_public_keys(
    public_key_file: tuple[ed25519.Ed25519PrivateKey, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("BRAND_MATRIX_JWT_KEYS", raising=False)
    monkeypatch.setenv("BRAND_MATRIX_JWT_SECRET", "a-real-secret-of-the-deployment-0123456789")
    _, path = public_key_file
    auth = build_auth(AuthSettings(public_keys=(f"k1={path}",)), None)
    token = jwt.encode(
        claims(), "a-real-secret-of-the-deployment-0123456789", algorithm="HS256",
        headers={"kid": "default"},
    )  # fmt: skip
    assert (await auth.verifier.verify(token))["sub"] == "m-1"


async def test_alone_the_development_secret_is_the_embedded_default(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("BRAND_MATRIX_JWT_SECRET", raising=False)
    monkeypatch.delenv("BRAND_MATRIX_JWT_KEYS", raising=False)
    auth = build_auth(AuthSettings(), None)
    token = jwt.encode(claims(), DEV_SECRET, algorithm="HS256", headers={"kid": "default"})
    assert (await auth.verifier.verify(token))["sub"] == "m-1"
