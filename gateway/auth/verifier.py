"""Verifies `Authorization: Bearer <jwt>`: signature, expiry, audience, issuer.

Anything wrong with a presented token is a `TokenError` (the request is answered 401 and
nothing runs); no Authorization header at all is an anonymous request.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any

import jwt

from gateway.caching import LRUCache
from tokenkeys.claims import AUDIENCE, ISSUER
from tokenkeys.jwks import JwksKeys
from tokenkeys.verification import KeySource, VerificationKey

LEEWAY_SECONDS = 5
# A verified token is remembered this long at most (and never past its expiry), so a
# removed key stops being accepted soon after it is gone.
CACHE_SECONDS = 60.0

Claims = dict[str, Any]


class TokenError(Exception):
    """The presented token cannot be trusted; the message is safe to show the client."""


class TokenVerifier:
    def __init__(
        self,
        sources: Sequence[KeySource],
        *,
        audience: str | Sequence[str] | None = AUDIENCE,
        issuer: str | Sequence[str] | None = ISSUER,
        leeway: float = LEEWAY_SECONDS,
        cache_size: int = 10_000,
    ) -> None:
        if not sources:
            raise ValueError("a token verifier needs at least one key source")
        self.sources = list(sources)
        self.audience = audience
        self.issuer = issuer
        self.leeway = leeway
        required = ["exp"] + (["aud"] if audience else []) + (["iss"] if issuer else [])
        self._options = {"require": required, "verify_aud": bool(audience)}
        self._cache: LRUCache[str, tuple[float, Claims]] = LRUCache(cache_size)

    async def verify(self, token: str) -> Claims:
        cached = self._cache.get(token)
        now = time.time()
        if cached is not None and now < cached[0]:
            return cached[1]
        try:
            header = jwt.get_unverified_header(token)
        except jwt.PyJWTError:
            raise TokenError("the access token is malformed") from None
        kid, algorithm = header.get("kid"), header.get("alg")
        if not isinstance(algorithm, str) or (kid is not None and not isinstance(kid, str)):
            raise TokenError("the access token is malformed")
        keys = await self._keys(kid, algorithm)
        if not keys:
            raise TokenError("the access token was signed by an unknown key")
        claims = self._decode(token, keys)
        expires = float(claims.get("exp") or now)
        self._cache.put(token, (min(now + CACHE_SECONDS, expires + self.leeway), claims))
        return claims

    async def _keys(self, kid: str | None, algorithm: str) -> list[VerificationKey]:
        for source in self.sources:
            if isinstance(source, JwksKeys):
                await source.ensure_fresh()
        keys = [k for source in self.sources for k in source.find(kid, algorithm)]
        if keys:
            return keys
        for source in self.sources:
            if isinstance(source, JwksKeys):
                await source.refresh_for_unknown()  # a new key may have been published
                keys.extend(source.find(kid, algorithm))
        return keys

    def _decode(self, token: str, keys: list[VerificationKey]) -> Claims:
        error: jwt.PyJWTError | None = None
        for key in keys:  # several only for tokens without a kid
            try:
                return jwt.decode(
                    token,
                    key.key,
                    algorithms=[key.algorithm],
                    audience=_one_or_list(self.audience),
                    issuer=_one_or_list(self.issuer),
                    leeway=self.leeway,
                    options=self._options,  # type: ignore[arg-type]
                )
            except jwt.InvalidSignatureError as failed:
                error = failed
            except jwt.ExpiredSignatureError:
                raise TokenError("the access token has expired") from None
            except jwt.PyJWTError as failed:
                raise TokenError(f"the access token is invalid ({failed})") from None
        raise TokenError(f"the access token is invalid ({error})")

    async def aclose(self) -> None:
        for source in self.sources:
            if isinstance(source, JwksKeys):
                await source.aclose()


def bearer_token(headers: Mapping[str, str] | None) -> str | None:
    """The token of `Authorization: Bearer ...`; None without the header; TokenError when
    the header is there but is not a bearer token."""
    if not headers:
        return None
    value = headers.get("authorization")
    if value is None and isinstance(headers, dict):  # a plain dict is case-sensitive
        value = next((v for k, v in headers.items() if k.lower() == "authorization"), None)
    if value is None:
        return None
    scheme, _, token = value.strip().partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        raise TokenError("the Authorization header must read 'Bearer <token>'")
    return token.strip()


def _one_or_list(value: str | Sequence[str] | None) -> str | list[str] | None:
    if value is None or isinstance(value, str):
        return value
    return list(value)
