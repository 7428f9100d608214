"""Tokens and verifiers for the auth tests."""

from __future__ import annotations

import time
from typing import Any

import jwt

from gateway.auth import TokenVerifier, hs256_keys

SECRET = "test-secret-of-at-least-thirty-two-bytes!"
KID = "k1"


def claims(**overrides: Any) -> dict[str, Any]:
    now = int(time.time())
    payload: dict[str, Any] = {
        "iss": "brand-matrix",
        "aud": "brand-matrix",
        "sub": "m-1",
        "kind": "member",
        "scopes": [],
        "iat": now,
        "exp": now + 600,
    }
    payload.update(overrides)
    return {k: v for k, v in payload.items() if v is not None}


def hs_token(secret: str = SECRET, kid: str | None = KID, **overrides: Any) -> str:
    headers = {"kid": kid} if kid is not None else None
    return jwt.encode(claims(**overrides), secret, algorithm="HS256", headers=headers)


def hs_verifier() -> TokenVerifier:
    return TokenVerifier([hs256_keys({KID: SECRET})])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}
