"""Hot reload of the brand partitions: a running gateway follows `brand-matrix.toml`.

`ConfigWatcher` polls the config file (mtime, size and inode, every `interval` seconds). On a
change it re-reads and validates the whole file first; only then does it switch every
`PartitionedTransport` to its new brands in one step (no await in between, so no request sees
half of it) and updates the gateway's accepted brands:

- a brand whose URL is unchanged keeps its transport (its connection pool stays warm);
- a new brand (or a new URL) gets a new transport from `make_transport`;
- a removed brand's transport is closed once its in-flight requests finish, or after `grace`
  seconds.

A config that cannot be used (bad TOML, a bad key, a partitioned subgraph added or removed,
which needs a restart) is reported on stderr and the previous config stays in force.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from gateway.files import Signature as FileSignature
from gateway.files import file_signature
from gateway.partitions.config import ConfigError, PartitionConfig, load_partitions
from gateway.partitions.transport import PartitionedTransport
from gateway.transport.base import SubgraphTransport

if TYPE_CHECKING:
    from gateway.service import Gateway

MakeTransport = Callable[[str, str, str], SubgraphTransport]  # (subgraph, brand, url)
Signature = FileSignature | None


class ConfigWatcher:
    def __init__(
        self,
        path: str | Path,
        gateway: Gateway,
        make_transport: MakeTransport,
        *,
        interval: float = 1.0,
        grace: float = 30.0,
        report: Callable[[str], None] | None = None,
        verify_sdl: bool = False,
        verify_timeout: float = 10.0,
    ) -> None:
        # verify_sdl: a brand a reload adds (or moves) must serve the subgraph's SDL, as at
        # startup; one that does not is refused (a RefusedPartition answers for it).
        self.verify_sdl = verify_sdl
        self.verify_timeout = verify_timeout
        self._refused: dict[tuple[str, str], SubgraphTransport] = {}
        self.path = Path(path)
        self.gateway = gateway
        self.make_transport = make_transport
        self.interval = interval
        self.grace = grace
        self.report = report or _stderr
        self.reloads = 0  # applied changes, for tests and logs
        self._signature = file_signature(self.path)
        try:  # the config the gateway was built from: which URL each running brand has
            running = load_partitions(self.path)
        except ConfigError:
            running = {}
        self._urls = _urls(running)
        self._task: asyncio.Task[None] | None = None
        self._retiring: set[asyncio.Task[None]] = set()

    def _partitioned(self) -> dict[str, PartitionedTransport]:
        return {
            name: transport
            for name, transport in self.gateway.transports.items()
            if isinstance(transport, PartitionedTransport)
        }

    # -- lifecycle (the app's lifespan) --------------------------------------------------------

    async def start(self) -> None:
        if self._task is None:
            self._task = asyncio.create_task(self._run(), name="brand-matrix config watcher")

    async def stop(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        for task in list(self._retiring):
            task.cancel()  # retire() still closes its transports on the way out
        await asyncio.gather(*self._retiring, return_exceptions=True)

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            try:
                await self.check_and_verify()
            except Exception as error:  # the watcher must outlive any surprise
                self.report(f"config reload of {self.path} failed: {error}")

    async def check_and_verify(self) -> bool:
        """Like `check`, first checking the SDL of brands the change adds (when enabled)."""
        configs = self._changed_configs()
        if configs is None:
            return False
        if self.verify_sdl:
            await self._verify_new_brands(configs)
        self.apply(configs)
        return True

    async def _verify_new_brands(self, configs: dict[str, PartitionConfig]) -> None:
        from gateway.partitions.sdl_check import (
            RefusedPartition,
            check_partitions,
            fetch_partition_sdls,
            reference_from_config,
        )

        partitioned = self._partitioned()
        for name, config in configs.items():
            new = {
                brand: url
                for brand, url in config.brands.items()
                if self._urls.get((name, brand)) != url
            }
            if not new:
                continue
            reference = reference_from_config(self.path, name)
            running = {
                b: t
                for b, t in partitioned[name].partitions.items()
                if not isinstance(t, RefusedPartition)
            }
            if reference is None and running:
                # No schema file: a brand already in service is the reference.
                first = next(iter(running))
                live = await fetch_partition_sdls(
                    {first: running[first]}, timeout=self.verify_timeout
                )
                reference = live[first][0]
            checks = await check_partitions(reference, new, timeout=self.verify_timeout)
            for brand, check in checks.items():
                if not check.ok:
                    self.report(check.summary(name))
                    self._refused[(name, brand)] = RefusedPartition(name, check)

    # -- one poll ------------------------------------------------------------------------------

    def check(self) -> bool:
        """Apply the config file if it changed since the last look; True when applied."""
        configs = self._changed_configs()
        if configs is None:
            return False
        self.apply(configs)
        return True

    def _changed_configs(self) -> dict[str, PartitionConfig] | None:
        """The new config when the file changed and is valid; None otherwise (reported)."""
        signature = file_signature(self.path)
        if signature == self._signature:
            return None
        self._signature = signature
        try:
            configs = load_partitions(self.path)
            self._check_shape(configs)
        except ConfigError as error:
            self.report(f"config not reloaded, the previous one stays in force: {error}")
            return None
        return configs

    def _check_shape(self, configs: dict[str, PartitionConfig]) -> None:
        running = set(self._partitioned())
        if set(configs) != running:
            raise ConfigError(
                f"{self.path}: the partitioned subgraphs changed "
                f"({', '.join(sorted(running))} -> {', '.join(sorted(configs))}); "
                "restart the gateway for that"
            )

    def apply(self, configs: dict[str, PartitionConfig]) -> None:
        """Switch every partitioned subgraph to `configs` in one step (no await inside)."""
        partitioned = self._partitioned()
        plans: list[tuple[PartitionedTransport, dict[str, SubgraphTransport], PartitionConfig]] = []
        for name, config in configs.items():
            transport = partitioned[name]
            clients: dict[str, SubgraphTransport] = {}
            for brand, url in config.brands.items():
                old = transport.partitions.get(brand)
                refused = self._refused.pop((name, brand), None)
                if refused is not None:
                    clients[brand] = refused
                elif old is not None and self._urls.get((name, brand)) == url:
                    clients[brand] = old
                else:
                    clients[brand] = self.make_transport(name, brand, url)
            plans.append((transport, clients, config))
        brands: set[str] = set()
        for transport, clients, config in plans:
            dropped = transport.swap(clients, config.rules)
            if dropped:
                task = asyncio.get_running_loop().create_task(transport.retire(dropped, self.grace))
                self._retiring.add(task)
                task.add_done_callback(self._retiring.discard)
            brands.update(clients)
        self.gateway.set_brands(frozenset(brands))
        self._urls = _urls(configs)
        self.reloads += 1
        self.report(f"config reloaded from {self.path}: brands {', '.join(sorted(brands))}")


def _urls(configs: dict[str, PartitionConfig]) -> dict[tuple[str, str], str]:
    """(subgraph, brand) -> URL."""
    return {(name, brand): url for name, c in configs.items() for brand, url in c.brands.items()}


def _stderr(message: str) -> None:
    print(f"brand-matrix: {message}", file=sys.stderr, flush=True)
