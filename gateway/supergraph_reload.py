"""Supergraph hot reload: a running gateway follows its supergraph source.

Sources (`[supergraph] source` of the config):

- a file: checked every interval (mtime, size, inode; read only when they change);
- an http(s) URL (a schema registry): fetched every interval;
- `compose`: every interval, each `[subgraphs.NAME]`'s SDL is read (schema file) or fetched
  live (`introspect`, its `_service { sdl }`), and when any changed they are composed with our
  composer.

A new supergraph (a different SHA-256) is built in a worker thread, off the request path, and
then swapped in with `Gateway.replace_supergraph`: requests in flight finish on the old one.
A source that cannot be read, a composition error or a supergraph that does not load is
reported (one line) and the old supergraph keeps serving; the same bad content is reported
once, not every interval.
"""

from __future__ import annotations

import asyncio
import hashlib
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, Protocol

from graphql import GraphQLError

from gateway.errors import SupergraphError
from gateway.files import signature_of

if TYPE_CHECKING:
    from gateway.composition.sources import SubgraphSource
    from gateway.service import Gateway

Report = Callable[[str], None]


class SourceProblem(Exception):
    """The source cannot give a supergraph right now; the message is one line."""


class Source(Protocol):
    description: str

    async def poll(self) -> str | None:
        """The supergraph SDL when the source may have changed, None when it surely did not."""
        ...


def sdl_digest(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]


class FileSource:
    def __init__(self, path: str | Path) -> None:
        self.path = Path(path)
        self.description = str(path)
        self._signature: tuple[int, int, int] | None = None

    async def poll(self) -> str | None:
        try:
            stat = os.stat(self.path)
        except OSError as error:
            raise SourceProblem(f"cannot read {self.path}: {error.strerror or error}") from None
        signature = signature_of(stat)
        if signature == self._signature:
            return None
        try:
            text = self.path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise SourceProblem(f"cannot read {self.path}: {error}") from None
        self._signature = signature  # only after a good read: a half-written file is re-read
        return text


class UrlSource:
    def __init__(self, url: str, *, timeout: float = 10.0) -> None:
        self.url = url
        self.timeout = timeout
        self.description = url

    async def poll(self) -> str | None:
        import aiohttp

        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.get(self.url) as response,
            ):
                body = await response.read()
                if response.status != 200:
                    raise SourceProblem(f"cannot fetch {self.url}: HTTP {response.status}")
        except TimeoutError:
            raise SourceProblem(
                f"cannot fetch {self.url}: no answer in {self.timeout:g}s"
            ) from None
        except aiohttp.ClientError as error:
            raise SourceProblem(f"cannot fetch {self.url}: {error}") from None
        try:
            return body.decode("utf-8")
        except UnicodeDecodeError:
            raise SourceProblem(f"cannot fetch {self.url}: not UTF-8 text") from None


class ComposeSource:
    """The `[subgraphs]` composed with our composer whenever one of their SDLs changes."""

    def __init__(self, subgraphs: list[SubgraphSource], *, timeout: float = 10.0) -> None:
        self.subgraphs = subgraphs
        self.timeout = timeout
        self.description = f"composition of {', '.join(s.name for s in subgraphs)}"
        self._inputs_digest: str | None = None

    async def poll(self) -> str | None:
        from gateway.composition import SubgraphInput
        from gateway.composition.sources import read_schema_files
        from gateway.composition.sources_live import fetch_sdls_async

        sdls, problems = read_schema_files(self.subgraphs)
        live = [(s.name, s.introspect_url or s.url) for s in self.subgraphs if s.schema is None]
        if live:
            fetched, fetch_problems = await fetch_sdls_async(live, timeout=self.timeout)
            sdls.update(fetched)
            problems.extend(fetch_problems)
        if problems:
            raise SourceProblem("; ".join(problems))
        inputs = [SubgraphInput(s.name, s.url, sdls[s.name]) for s in self.subgraphs]
        digest = sdl_digest("\0".join(f"{i.name}\0{i.url}\0{i.sdl}" for i in inputs))
        if digest == self._inputs_digest:
            return None
        # Composition (satisfiability) is CPU-heavy: off the event loop.
        result = await asyncio.to_thread(_compose, inputs)
        self._inputs_digest = digest  # a failed composition is not retried until inputs change
        if isinstance(result, list):
            raise SourceProblem(f"composition failed: {'; '.join(result)}")
        return result


def _compose(inputs: list[Any]) -> str | list[str]:
    from gateway.composition import compose

    result = compose(inputs)
    if result.errors or result.supergraph_sdl is None:
        shown = [f"[{e.code}] {e.message}" for e in result.errors[:3]]
        more = len(result.errors) - len(shown)
        return [*shown, f"and {more} more"] if more > 0 else shown or ["no supergraph"]
    return result.supergraph_sdl


def make_source(config: Any) -> Source | None:
    """The reload source for a GatewayConfig (None: no supergraph source configured)."""
    mode, settings = config.supergraph_mode, config.supergraph
    if mode == "file":
        return FileSource(settings.source)
    if mode == "url":
        return UrlSource(settings.source, timeout=settings.timeout)
    if mode == "compose":
        return ComposeSource(list(config.subgraphs), timeout=settings.timeout)
    return None


class SupergraphReloader:
    def __init__(
        self,
        gateway: Gateway,
        source: Source,
        *,
        interval: float = 1.0,
        grace: float = 30.0,
        report: Report | None = None,
    ) -> None:
        self.gateway = gateway
        self.source = source
        self.interval = interval
        self.grace = grace
        self.report = report or _stderr
        self.reloads = 0
        self.last_error: str | None = None
        self.last_check: float | None = None
        self._rejected: str | None = None  # digest of the last bad supergraph (reported once)
        self._task: asyncio.Task[None] | None = None

    async def start(self) -> None:
        if self._task is None and self.interval > 0:
            self._task = asyncio.create_task(self._run(), name="brand-matrix supergraph reload")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check()
            except Exception as error:  # the watcher must outlive any surprise
                self._fail(f"supergraph reload from {self.source.description} failed: {error}")

    async def check(self) -> bool:
        """One poll; True when a new supergraph was swapped in."""
        self.last_check = time.time()
        try:
            sdl = await self.source.poll()
        except SourceProblem as problem:
            self._fail(f"supergraph not reloaded, the previous one keeps serving: {problem}")
            return False
        if sdl is None:
            return False
        digest = sdl_digest(sdl)
        if digest == self.gateway.state.sdl_hash:
            self.last_error = None
            return False
        if digest == self._rejected:
            return False
        try:
            built = await asyncio.to_thread(self.gateway.build, sdl)
        except (SupergraphError, GraphQLError) as error:
            self._rejected = digest
            message = error.message if isinstance(error, GraphQLError) else str(error)
            self._fail(
                f"supergraph from {self.source.description} not loaded, the previous one "
                f"keeps serving: {message}"
            )
            return False
        old = self.gateway.state.sdl_hash
        self.gateway.replace_supergraph(built, grace=self.grace)
        self.reloads += 1
        self.last_error = None
        self.report(f"supergraph reloaded from {self.source.description} ({old} -> {digest})")
        return True

    def status(self) -> dict[str, Any]:
        """For /ready: where the supergraph comes from and how reloading goes."""
        return {
            "source": self.source.description,
            "reloadInterval": self.interval,
            "reloads": self.reloads,
            "lastError": self.last_error,
        }

    def _fail(self, message: str) -> None:
        if message != self.last_error:  # a persistent problem is reported once
            self.report(" ".join(message.split()))
        self.last_error = message


def _stderr(message: str) -> None:
    print(f"brand-matrix: {message}", file=sys.stderr, flush=True)
