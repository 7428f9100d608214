"""Access tokens: signed JWTs (PyJWT) carrying who is calling, from which brand app, with what.

A token's claims: `sub` (member id, staff id or service name), `kind` (member, staff, operator,
service), `brand` (the brand app a member logged in through; the brand a staff member works
for), `scopes`, `roles`, `iss`/`aud`/`exp`/`iat`/`jti`. Tokens are signed by a `KeyRing`: several
keys by `kid`, one of them active for signing, all of them accepted for verification, so a key
rotates without downtime (add the new key, make it active, drop the old one once its tokens
expired).

The embedded default is HS256 with `BRAND_MATRIX_JWT_SECRET` (or a fixed development secret,
for `brand-matrix dev` and tests only). `BRAND_MATRIX_JWT_KEYS="kid1=secret1,kid2=secret2"`
configures several keys, the first active.

Subgraphs read `Authorization: Bearer <token>` through `SubgraphContext.claims` and guard their
resolvers with `require_member` / `require_self` / `require_staff` / `require_service`.
"""

from __future__ import annotations

import os
import time
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from graphql import GraphQLError

ISSUER = "brand-matrix"
AUDIENCE = "brand-matrix"
DEV_SECRET = "brand-matrix-development-secret-not-for-production"
DEFAULT_ACCESS_TTL = 15 * 60
KINDS = ("member", "staff", "operator", "service")
LEEWAY_SECONDS = 5

UNAUTHENTICATED = "UNAUTHENTICATED"
FORBIDDEN = "FORBIDDEN"


class AuthError(GraphQLError):
    """A refused token or caller; a GraphQL error with `extensions.code`."""

    def __init__(self, message: str, code: str = UNAUTHENTICATED) -> None:
        super().__init__(message, extensions={"code": code})
        self.code = code


@dataclass(frozen=True)
class Claims:
    subject: str
    kind: str
    brand: str | None = None
    scopes: frozenset[str] = field(default_factory=frozenset)
    roles: frozenset[str] = field(default_factory=frozenset)
    token_id: str | None = None
    expires_at: int | None = None

    def has_scope(self, scope: str) -> bool:
        return scope in self.scopes


@dataclass(frozen=True)
class SigningKey:
    kid: str
    secret: str
    algorithm: str = "HS256"


class KeyRing:
    """Keys by `kid`; `active` signs, every key verifies."""

    def __init__(self, keys: Iterable[SigningKey], active: str | None = None) -> None:
        self.keys = {key.kid: key for key in keys}
        if not self.keys:
            raise ValueError("a key ring needs at least one key")
        self.active = active or next(iter(self.keys))
        if self.active not in self.keys:
            raise ValueError(f"active key {self.active!r} is not in the ring")

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KeyRing:
        env = os.environ if environ is None else environ
        listed = env.get("BRAND_MATRIX_JWT_KEYS", "").strip()
        if listed:
            keys: dict[str, SigningKey] = {}
            for item in listed.split(","):
                if not item.strip():
                    continue  # a trailing or doubled comma
                kid, sep, secret = (part.strip() for part in item.partition("="))
                if not sep or not kid or not secret:
                    raise ValueError("BRAND_MATRIX_JWT_KEYS must read 'kid=secret[,kid=secret...]'")
                if kid in keys:  # a silent overwrite would sign with the wrong secret
                    raise ValueError(f"BRAND_MATRIX_JWT_KEYS lists key {kid!r} twice")
                keys[kid] = SigningKey(kid, secret)
            if not keys:
                raise ValueError("BRAND_MATRIX_JWT_KEYS must read 'kid=secret[,kid=secret...]'")
            return cls(keys.values())
        return cls([SigningKey("default", env.get("BRAND_MATRIX_JWT_SECRET") or DEV_SECRET)])

    def sign(self, payload: Mapping[str, Any]) -> str:
        key = self.keys[self.active]
        return jwt.encode(
            dict(payload), key.secret, algorithm=key.algorithm, headers={"kid": key.kid}
        )

    def decode(self, token: str, *, audience: str = AUDIENCE) -> dict[str, Any]:
        """The verified payload; `AuthError` for anything wrong (one line, no details leaked
        beyond what the caller can fix)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("the access token is malformed") from None
        kid = header.get("kid")
        # a non-string kid (e.g. a list) would make the lookup itself raise
        key = self.keys.get(kid) if isinstance(kid, str) else None
        if key is None:
            raise AuthError("the access token was signed by an unknown key")
        try:
            return jwt.decode(
                token,
                key.secret,
                algorithms=[key.algorithm],
                audience=audience,
                issuer=ISSUER,
                leeway=LEEWAY_SECONDS,
                options={"require": ["exp", "iat", "sub", "iss", "aud"]},
            )
        except jwt.ExpiredSignatureError:
            raise AuthError("the access token has expired") from None
        except jwt.PyJWTError as error:
            raise AuthError(f"the access token is invalid ({error})") from None


def issue_token(
    ring: KeyRing,
    *,
    subject: str,
    kind: str,
    brand: str | None = None,
    scopes: Iterable[str] = (),
    roles: Iterable[str] = (),
    ttl_seconds: int = DEFAULT_ACCESS_TTL,
    audience: str = AUDIENCE,
    now: float | None = None,
) -> str:
    if kind not in KINDS:
        raise ValueError(f"unknown token kind {kind!r}")
    issued = int(time.time() if now is None else now)
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": audience,
        "sub": subject,
        "kind": kind,
        "scopes": sorted(set(scopes)),
        "roles": sorted(set(roles)),
        "iat": issued,
        "exp": issued + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    if brand is not None:
        payload["brand"] = brand
    return ring.sign(payload)


def verify_token(ring: KeyRing, token: str, *, audience: str = AUDIENCE) -> Claims:
    payload = ring.decode(token, audience=audience)
    kind = payload.get("kind")
    if kind not in KINDS:
        raise AuthError("the access token has no valid kind")
    brand = payload.get("brand")
    return Claims(
        subject=str(payload["sub"]),
        kind=kind,
        brand=brand if isinstance(brand, str) and brand else None,
        scopes=frozenset(_strings(payload.get("scopes"))),
        roles=frozenset(_strings(payload.get("roles"))),
        token_id=payload.get("jti"),
        expires_at=payload.get("exp"),
    )


def claims_from_headers(ring: KeyRing, headers: Mapping[str, str]) -> Claims | None:
    """The verified claims of `Authorization: Bearer ...`, None without the header."""
    value = headers.get("authorization")
    if value is None and isinstance(headers, dict):  # a plain dict is case-sensitive
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if not value:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise AuthError("the Authorization header must read 'Bearer <token>'")
    return verify_token(ring, token.strip())


def _strings(value: Any) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# --- guards for resolvers -------------------------------------------------------------------


def require_claims(claims: Claims | None) -> Claims:
    if claims is None:
        raise AuthError("sign in first: this field needs an access token")
    return claims


def require_member(claims: Claims | None) -> Claims:
    """A signed-in member (their id is `claims.subject`)."""
    claims = require_claims(claims)
    if claims.kind != "member":
        raise AuthError("only a signed-in member can do this", FORBIDDEN)
    return claims


def require_self(
    claims: Claims | None, member_id: str, *, allow_service: str | None = None
) -> Claims:
    """The member `member_id` themself (or, with `allow_service`, a service token with that
    scope)."""
    claims = require_claims(claims)
    if allow_service and claims.kind == "service" and claims.has_scope(allow_service):
        return claims
    if claims.kind != "member" or claims.subject != member_id:
        raise AuthError("a member can only read and change their own data", FORBIDDEN)
    return claims


def require_staff(claims: Claims | None, brand: str | None) -> Claims:
    """Staff of `brand` (or a group operator)."""
    claims = require_claims(claims)
    if claims.kind == "operator":
        return claims
    if claims.kind != "staff" or claims.brand is None or claims.brand != brand:
        raise AuthError(f"only staff of brand {brand!r} can do this", FORBIDDEN)
    return claims


def require_operator(claims: Claims | None) -> Claims:
    claims = require_claims(claims)
    if claims.kind != "operator":
        raise AuthError("only group operators can do this", FORBIDDEN)
    return claims


def require_service(claims: Claims | None, scope: str) -> Claims:
    claims = require_claims(claims)
    if claims.kind not in ("service", "operator") or not claims.has_scope(scope):
        raise AuthError(f"this needs a service token with scope {scope!r}", FORBIDDEN)
    return claims
