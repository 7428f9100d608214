"""Per-request context for Strawberry resolvers (`info.context`).

- `session`: the request's one database session, opened on first use, closed when the
  response is sent (by `create_subgraph_app`).
- `db()`: `async with ctx.db() as session:` serialises use of that session. Strawberry resolves
  sibling fields concurrently and an `AsyncSession` must not run two statements at once;
  loaders built on `loaders.KeyedLoader` take this lock for each batch. Do not await a loader
  while holding it (the lock is not re-entrant).
- `headers`, `brand` (the `x-brand` header, or None).
- `claims`: the verified access token of `Authorization: Bearer ...` (None without one; an
  invalid token raises `auth.AuthError` where it is read), checked against `key_ring` (set per
  app by `create_subgraph_app(key_ring=...)`; by default from the environment). Sync: the
  keys of a JWKS URL are fetched before, by the async `prepare_auth` (run by the app).
- `loader(name)`: the request's DataLoader of that name, created on first use from the
  factories given to `create_subgraph_app(loaders=...)` or from `loader(name, factory)`.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Callable, Mapping
from contextlib import asynccontextmanager
from typing import Any

from aiodataloader import DataLoader
from sqlmodel.ext.asyncio.session import AsyncSession

from tokenkeys import env as key_env

from . import auth
from .database import SessionFactory

LoaderFactory = Callable[["SubgraphContext"], DataLoader]


class SubgraphContext:
    key_ring: auth.KeyRing | None = None

    def __init__(
        self,
        *,
        get_session: SessionFactory,
        request: Any = None,
        response: Any = None,
        headers: Mapping[str, str] | None = None,
        loaders: Mapping[str, LoaderFactory] | None = None,
    ) -> None:
        self.request = request
        self.response = response
        if headers is None:
            headers = request.headers if request is not None else {}
        self.headers: Mapping[str, str] = headers
        self._get_session = get_session
        self._session: AsyncSession | None = None
        self._lock = asyncio.Lock()
        self._loader_factories: dict[str, LoaderFactory] = dict(loaders or {})
        self._loaders: dict[str, DataLoader] = {}
        self._claims: auth.Claims | None = None
        self._claims_read = False

    @property
    def brand(self) -> str | None:
        return self.headers.get("x-brand") or None

    @property
    def claims(self) -> auth.Claims | None:
        if not self._claims_read:
            ring = self.key_ring or default_key_ring()
            self._claims = auth.claims_from_headers(ring, self.headers)
            self._claims_read = True
        return self._claims

    async def prepare_auth(self) -> None:
        """Fetch the JWKS keys the request's token needs, if any (see `auth.KeyRing`)."""
        token = auth.presented_token(self.headers)
        if token is None:
            return
        try:
            ring = self.key_ring or default_key_ring()
        except ValueError:
            return  # a bad key variable: reading `claims` raises it as a GraphQL error
        await ring.prepare(token)

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            self._session = self._get_session()
        return self._session

    @asynccontextmanager
    async def db(self) -> AsyncIterator[AsyncSession]:
        async with self._lock:
            yield self.session

    def loader(self, name: str, factory: LoaderFactory | None = None) -> DataLoader:
        loader = self._loaders.get(name)
        if loader is None:
            factory = factory or self._loader_factories.get(name)
            if factory is None:
                raise KeyError(f"no loader named {name!r} is registered")
            loader = self._loaders[name] = factory(self)
        return loader

    async def close(self) -> None:
        """Close the session (rolling back anything uncommitted)."""
        session, self._session = self._session, None
        if session is not None:
            await session.close()


_DEFAULT_RING: dict[tuple[str | None, ...], auth.KeyRing] = {}


def default_key_ring() -> auth.KeyRing:
    # Keyed by the variables it is read from: a changed environment (a test's monkeypatch, a
    # rotated secret) is honoured instead of the first ring being used for ever.
    env = tuple(os.environ.get(name) for name in key_env.ALL)
    ring = _DEFAULT_RING.get(env)
    if ring is None:
        _DEFAULT_RING.clear()
        ring = _DEFAULT_RING[env] = auth.KeyRing.from_env()
    return ring
