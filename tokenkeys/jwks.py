"""Keys from a JWKS URL, fetched with aiohttp and cached.

Keys rotate without downtime: the set is fetched again when it is older than `max_age`, and
when a token names a kid the cache does not hold (the issuer just published a new key) —
at most once per `min_refresh_interval`, so tokens with made-up kids cannot make us hammer the
issuer. A failed fetch keeps the keys already known. HS keys in a JWKS are ignored: a
published shared secret is not a key anyone should trust.

`find` never does I/O (it reads the cache); `ensure_fresh` / `refresh_for_unknown` fetch.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable
from typing import Any

import aiohttp
import jwt

from tokenkeys.verification import VerificationKey, matching

logger = logging.getLogger("tokenkeys")


class JwksKeys:
    def __init__(
        self,
        url: str,
        *,
        max_age: float = 300.0,
        min_refresh_interval: float = 30.0,
        timeout: float = 5.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.url = url
        self.max_age = max_age
        self.min_refresh_interval = min_refresh_interval
        self.timeout = timeout
        self._clock = clock
        self._keys: list[VerificationKey] = []
        self._loaded_at: float | None = None
        self._attempted_at: float | None = None
        self._lock = asyncio.Lock()
        self._session: aiohttp.ClientSession | None = None
        self.fetches = 0  # how many times the set was requested (for tests and metrics)

    @property
    def keys(self) -> list[VerificationKey]:
        """The keys of the last successful fetch."""
        return list(self._keys)

    def find(self, kid: str | None, algorithm: str) -> list[VerificationKey]:
        return matching(self._keys, kid, algorithm)

    async def ensure_fresh(self) -> None:
        """Fetch the set when never loaded or older than max_age (rate limited)."""
        now = self._clock()
        if self._loaded_at is not None and now - self._loaded_at < self.max_age:
            return
        await self._refresh(now)

    async def refresh_for_unknown(self) -> bool:
        """Fetch again for a kid we do not know; False when rate limited or failed."""
        return await self._refresh(self._clock())

    async def _refresh(self, requested_at: float) -> bool:
        async with self._lock:
            # Another request refreshed while we waited, or one did so too recently.
            if self._attempted_at is not None and (
                self._attempted_at >= requested_at
                or requested_at - self._attempted_at < self.min_refresh_interval
            ):
                return False
            self._attempted_at = self._clock()
            try:
                document = await self._fetch()
                keys = parse_jwks(document)
            except (aiohttp.ClientError, TimeoutError, ValueError) as error:
                logger.warning("could not fetch the JWKS at %s: %s", self.url, error)
                return False
            self._keys = keys
            self._loaded_at = self._clock()
            return True

    async def _fetch(self) -> Any:
        if self._session is None or self._session.closed:
            self._session = aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=self.timeout))
        self.fetches += 1
        async with self._session.get(self.url) as response:
            if response.status != 200:
                raise ValueError(f"HTTP {response.status}")
            return await response.json(content_type=None)

    async def aclose(self) -> None:
        if self._session is not None:
            await self._session.close()


def parse_jwks(document: Any) -> list[VerificationKey]:
    """The signing keys of a JWKS document; keys we cannot use are skipped, not fatal."""
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise ValueError("not a JWKS document (no 'keys' list)")
    out: list[VerificationKey] = []
    for entry in document["keys"]:
        if not isinstance(entry, dict) or entry.get("use", "sig") != "sig":
            continue
        if entry.get("kty") == "oct":
            continue  # a published shared secret: see the module docstring
        try:
            jwk = jwt.PyJWK(entry)
        except (jwt.PyJWKError, jwt.InvalidKeyError, ValueError, TypeError) as error:
            logger.warning("skipping a JWKS key (kid %r): %s", entry.get("kid"), error)
            continue
        algorithm = jwk.algorithm_name
        if algorithm.startswith("HS"):
            continue
        out.append(VerificationKey(jwk.key_id, jwk.key, algorithm))
    return out
