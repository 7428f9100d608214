"""Access tokens: signed JWTs (PyJWT) carrying who is calling, from which brand app, with what.

A token's claims: `sub` (member id, staff id or service name), `kind` (member, staff, operator,
service), `brand` (the brand app a member logged in through; the brand a staff member works
for), `scopes`, `roles`, `iss`/`aud`/`exp`/`iat`/`jti`. Tokens are signed by a `KeyRing`: several
keys by `kid`, one of them active for signing, all of them accepted for verification, so a key
rotates without downtime (add the new key, make it active, drop the old one once its tokens
expired).

The embedded default is HS256 with `BRAND_MATRIX_JWT_SECRET` (or a fixed development secret,
for `brand-matrix dev` and tests only). `BRAND_MATRIX_JWT_KEYS="kid1=secret1,kid2=secret2"`
configures several keys, the first active. In production the member subgraph signs with a
private key (`BRAND_MATRIX_JWT_PRIVATE_KEY_FILE` + `BRAND_MATRIX_JWT_KID`, or
`BRAND_MATRIX_JWT_PRIVATE_KEYS="kid1=path1,kid2=path2"`, the first active) and publishes its
public keys at `/.well-known/jwks.json`; the other subgraphs verify with
`BRAND_MATRIX_JWT_PUBLIC_KEYS="kid1=path1,..."` and/or `BRAND_MATRIX_JWT_JWKS_URL`. The
variables are read once, in `tokenkeys.env` (shared with the gateway; its docstring has them
all).

Subgraphs read `Authorization: Bearer <token>` through `SubgraphContext.claims` and guard their
resolvers with `require_member` / `require_self` / `require_staff` / `require_service`.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

import jwt
from graphql import GraphQLError

from tokenkeys import JwksKeys, KeySource, SigningKey, StaticKeys, VerificationKey, key_config
from tokenkeys.claims import AUDIENCE, ISSUER, KINDS, access_claims
from tokenkeys.claims import kind_scopes as kind_scopes  # re-exported: subgraphs' one import
from tokenkeys.verification import DEV_SECRET as DEV_SECRET  # re-exported: dev and tests

DEFAULT_ACCESS_TTL = 15 * 60
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


class KeyRing:
    """Signing keys by `kid` (`active` signs, every one verifies) and further verification
    sources (PEM public keys, a JWKS URL).

    `decode` is synchronous and never does I/O: it reads what the sources hold. A JWKS source
    is fetched by the async `prepare` (the app's startup, and each request before its
    resolvers run: see `subgraphs.common.app`), so verification never blocks the event loop
    on the network and resolvers keep their sync `context.claims`.
    """

    def __init__(
        self,
        keys: Iterable[SigningKey],
        active: str | None = None,
        *,
        sources: Iterable[KeySource] = (),
    ) -> None:
        self.keys = {key.kid: key for key in keys}
        self.sources = list(sources)
        if not self.keys and not self.sources:
            raise ValueError("a key ring needs at least one key")
        self.active = active or next(iter(self.keys), None)
        if self.keys and self.active not in self.keys:
            raise ValueError(f"active key {self.active!r} is not in the ring")
        self._remote = [source for source in self.sources if isinstance(source, JwksKeys)]

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> KeyRing:
        """The keys of the environment (`tokenkeys.env` lists the variables); KeyConfigError
        (a ValueError, one line naming the variable) for a bad value."""
        config = key_config(environ)
        return cls(config.signing, sources=config.sources)

    @property
    def public_keys(self) -> list[VerificationKey]:
        """The public keys of the signing keys, for the JWKS (shared secrets never)."""
        verifying = (key.verification_key for key in self.keys.values())
        return [key for key in verifying if key.is_public]

    def sign(self, payload: Mapping[str, Any]) -> str:
        if self.active is None:
            raise ValueError(
                "this service has no signing key: set BRAND_MATRIX_JWT_PRIVATE_KEY_FILE "
                "(or a shared BRAND_MATRIX_JWT_SECRET)"
            )
        return self.keys[self.active].sign(dict(payload))

    async def prepare(self, token: str | None = None) -> None:
        """Load the JWKS keys `decode` will need: when never loaded or stale, and once more
        when `token` names a kid nobody holds (rate limited by the source). Never raises for
        a bad token (`decode` says what is wrong); a no-op without a token (an anonymous
        request needs no keys) or without JWKS sources."""
        if not self._remote or not token:
            return
        for source in self._remote:
            await source.ensure_fresh()
        kid = _kid_of(token)
        if kid is not None and self._find(kid) is None:
            for source in self._remote:
                await source.refresh_for_unknown()  # the issuer may have published a new key

    async def aclose(self) -> None:
        for source in self._remote:
            await source.aclose()

    def _find(self, kid: str) -> VerificationKey | None:
        signing = self.keys.get(kid)
        if signing is not None:
            return signing.verification_key
        for source in self.sources:
            found = next((k for k in source_keys(source) if k.kid == kid), None)
            if found is not None:
                return found
        return None

    def decode(self, token: str, *, audience: str = AUDIENCE) -> dict[str, Any]:
        """The verified payload; `AuthError` for anything wrong (one line, no details leaked
        beyond what the caller can fix)."""
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise AuthError("the access token is malformed") from None
        kid = header.get("kid")
        # a non-string kid (e.g. a list) would make the lookup itself raise
        key = self._find(kid) if isinstance(kid, str) else None
        if key is None:
            raise AuthError("the access token was signed by an unknown key")
        try:
            # The key's own algorithm, never the header's: an HS256 token "signed" with a
            # public key's PEM text is refused (alg confusion).
            return jwt.decode(
                token,
                key.key,
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


def source_keys(source: KeySource) -> list[VerificationKey]:
    """Every key a source holds now (no I/O)."""
    if isinstance(source, StaticKeys):
        return source.keys
    if isinstance(source, JwksKeys):
        return source.keys
    return []


def _kid_of(token: str) -> str | None:
    try:
        kid = jwt.get_unverified_header(token).get("kid")
    except jwt.PyJWTError:
        return None
    return kid if isinstance(kid, str) else None


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
    claims = access_claims(
        subject=subject, kind=kind, brand=brand, scopes=scopes, roles=roles,
        ttl_seconds=ttl_seconds, audience=audience, now=now,
    )  # fmt: skip
    return ring.sign(claims)


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


def _authorization(headers: Mapping[str, str]) -> str | None:
    value = headers.get("authorization")
    if value is None and isinstance(headers, dict):  # a plain dict is case-sensitive
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    return value


def presented_token(headers: Mapping[str, str]) -> str | None:
    """The token of `Authorization: Bearer ...`, None without one or when the header is not a
    bearer token (`claims_from_headers` says what is wrong)."""
    scheme, _, token = (_authorization(headers) or "").strip().partition(" ")
    return token.strip() or None if scheme.lower() == "bearer" else None


def claims_from_headers(ring: KeyRing, headers: Mapping[str, str]) -> Claims | None:
    """The verified claims of `Authorization: Bearer ...`, None without the header."""
    value = _authorization(headers)
    if not value:
        return None
    token = presented_token(headers)
    if token is None:
        raise AuthError("the Authorization header must read 'Bearer <token>'")
    return verify_token(ring, token)


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
