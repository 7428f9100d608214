"""`brand-matrix dev`: the gateway and every subgraph in one process, on SQLite, with demo data.

The subgraphs come from a *stack factory* named by import path (default
`subgraphs.stack:dev_stack`, or `[dev] stack = "..."` in the config): `factory(data_dir, brands)`
returns an object with `central_apps` ({subgraph: ASGI app}), `partition_apps` ({subgraph:
{brand: ASGI app}}), `sdls()` ({subgraph: SDL}), and async `prepare()`, `start()`, `stop()`.
This module composes the SDLs with our composer, routes partitions by brand in-process and
serves the result; it never imports the subgraphs itself.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
import os
import shutil
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.composition import SubgraphInput, compose
from gateway.files import file_signature
from gateway.partitions import PartitionedTransport
from gateway.partitions.rules import RoutingRules
from gateway.transport.asgi import AsgiTransport

DEFAULT_STACK = "subgraphs.stack:dev_stack"
DEFAULT_DATA_DIR = ".brand-matrix/dev"
# What a front-end sends that subgraphs need: who is calling, and from which brand app.
FORWARDED_HEADERS = ("authorization", "x-brand")


class DevError(Exception):
    """The dev stack cannot start; the message is one line."""


@dataclass
class DevServer:
    stack: Any
    supergraph_sdl: str
    transports: dict[str, Any]
    brands: list[str]
    timeout: float = 30.0
    _gateway: Any = None
    gateway_secret: str | None = None  # the subgraphs' shared secret, sent on every fetch

    def gateway(self, **kwargs: Any):
        from gateway import subgraph_secret
        from gateway.limits import Limits
        from gateway.service import Gateway

        # Last rules: the client's x-brand-matrix-gateway dropped, the secret inserted.
        rules = subgraph_secret.header_rules(kwargs.pop("header_rules", None), self.gateway_secret)

        kwargs.setdefault("limits", Limits())  # the [limits] defaults, as `serve` has them
        self._gateway = Gateway(
            self.supergraph_sdl,
            self.transports,
            forward_headers=FORWARDED_HEADERS,
            brands=frozenset(self.brands),
            header_rules=rules,
            **kwargs,
        )
        return self._gateway

    async def add_brand(self, brand: str) -> float:
        """Serve a new brand without a restart: the stack starts its partitions (migrated,
        with demo data), the partitioned transports route to them, the gateway accepts its
        X-Brand. Returns the seconds it took."""
        started = time.perf_counter()
        with subgraph_secret_env(self.gateway_secret):
            apps = await self.stack.add_brand(brand)
        for name, app in apps.items():
            transport = self.transports[name]
            client = AsgiTransport(f"{name}@{brand}", app, timeout=self.timeout)
            transport.swap({**transport.partitions, brand: client})
        self.brands.append(brand)
        if self._gateway is not None:
            self._gateway.set_brands(frozenset(self.brands))
        return time.perf_counter() - started


class BrandWatcher:
    """Adds the brands that appear in the config file while `brand-matrix dev` runs (e.g.
    after `brand-matrix brand add`). Removing a brand needs a restart (its data stays)."""

    def __init__(self, server: DevServer, config: str | Path, interval: float = 1.0) -> None:
        self.server = server
        self.config = Path(config)
        self.interval = interval
        self._task: asyncio.Task[None] | None = None
        self._seen = file_signature(self.config)

    async def check(self) -> list[str]:
        """Add the config's new brands now; the brands added."""
        from gateway.partitions.config import ConfigError, load_config

        signature = file_signature(self.config)
        if signature == self._seen:
            return []
        self._seen = signature
        try:
            wanted = load_config(self.config).brands
        except ConfigError as error:
            print(f"brand-matrix dev: {error} (brands unchanged)", file=sys.stderr, flush=True)
            return []
        added = []
        for brand in [b for b in wanted if b not in self.server.brands]:
            try:
                seconds = await self.server.add_brand(brand)
            except ValueError as error:
                print(f"brand-matrix dev: cannot add {brand!r}: {error}", file=sys.stderr)
                continue
            added.append(brand)
            print(f"brand-matrix dev: brand {brand} added in {seconds:.2f} s", flush=True)
        return added

    async def start(self) -> None:
        self._task = asyncio.create_task(self._run(), name="dev-brand-watcher")

    async def stop(self) -> None:
        task, self._task = self._task, None
        if task is not None:
            task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await task

    async def _run(self) -> None:
        while True:
            await asyncio.sleep(self.interval)
            await self.check()


def load_stack_factory(spec: str) -> Callable[..., Any]:
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise DevError(f"the dev stack must be MODULE:FUNCTION, got {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise DevError(f"cannot import the dev stack {module_name!r}: {error}") from None
    factory = getattr(module, function_name, None)
    if not callable(factory):
        raise DevError(f"{module_name} has no function {function_name!r}")
    return factory


def config_brands(config: str | Path) -> list[str]:
    from gateway.partitions.config import ConfigError, load_config

    try:
        return load_config(config).brands
    except ConfigError as error:
        raise DevError(str(error)) from None


def config_contracts(config: str | Path | None) -> list[Any]:
    """The config's [contracts.NAME] (gateway.contracts.ContractSpec), served by dev too."""
    from gateway.contracts import ContractConfigError, load_contracts

    try:
        return load_contracts(config) if config is not None else []
    except ContractConfigError as error:
        raise DevError(error.problems[0]) from None


def build_dev_server(
    data_dir: str | Path,
    *,
    brands: Sequence[str] | None = None,
    stack_spec: str = DEFAULT_STACK,
    reset: bool = False,
    timeout: float = 30.0,
    gateway_secret: str | None = None,
) -> DevServer:
    """The stack and the supergraph composed from its SDLs (nothing started yet). With a
    `gateway_secret`, the subgraphs are built to answer only requests carrying it (the stack's
    apps read `BRAND_MATRIX_GATEWAY_SECRET`, set while they are created) and the gateway sends
    it."""
    directory = Path(data_dir)
    if reset and directory.exists():
        shutil.rmtree(directory)
    factory = load_stack_factory(stack_spec)
    try:
        with subgraph_secret_env(gateway_secret):
            stack = factory(directory, brands) if brands else factory(directory)
    except ValueError as error:
        raise DevError(str(error)) from None
    supergraph, errors = compose_stack(stack.sdls())
    if supergraph is None:
        raise DevError("the subgraphs do not compose: " + "; ".join(errors))
    directory.mkdir(parents=True, exist_ok=True)  # a stack factory need not create it
    (directory / "supergraph.graphql").write_text(supergraph)
    transports: dict[str, Any] = {
        name: AsgiTransport(name, app, timeout=timeout) for name, app in stack.central_apps.items()
    }
    for name, apps in stack.partition_apps.items():
        clients = {
            brand: AsgiTransport(f"{name}@{brand}", app, timeout=timeout)
            for brand, app in apps.items()
        }
        transports[name] = PartitionedTransport(name, clients, RoutingRules())
    return DevServer(stack, supergraph, transports, list(stack.brands), timeout,
                     gateway_secret=gateway_secret)  # fmt: skip


@contextlib.contextmanager
def subgraph_secret_env(secret: str | None) -> Iterator[None]:
    """`BRAND_MATRIX_GATEWAY_SECRET` = `secret` meanwhile (the stack builds its apps from the
    environment, as deployments do); nothing changes without a secret."""
    from gateway.subgraph_secret import SECRET_ENV

    if secret is None:
        yield
        return
    before = os.environ.get(SECRET_ENV)
    os.environ[SECRET_ENV] = secret
    try:
        yield
    finally:
        if before is None:
            os.environ.pop(SECRET_ENV, None)
        else:
            os.environ[SECRET_ENV] = before


def compose_stack(sdls: dict[str, str]) -> tuple[str | None, list[str]]:
    """(supergraph SDL, []) when the stack's SDLs compose, else (None, ["CODE: message", ...])."""
    result = compose(
        [SubgraphInput(name, f"in-process://{name}", sdl) for name, sdl in sorted(sdls.items())]
    )
    if not result.ok or result.supergraph_sdl is None:
        return None, [f"{e.code}: {e.message}" for e in result.errors]
    return result.supergraph_sdl, []


def serve_dev(
    data_dir: str,
    *,
    host: str,
    port: int,
    brands: Sequence[str] | None,
    stack_spec: str,
    reset: bool,
    log_level: str,
    config: str | None = None,
) -> None:
    """Serve the dev stack. Brands: `brands`, else the config file's (watched: brands added
    to it are served without a restart), else the stack's defaults."""
    import uvicorn

    from gateway import subgraph_secret
    from gateway.http import create_app

    watch = config is not None and not brands
    if watch:
        brands = config_brands(config) or None
    # As in production, subgraphs answer the gateway only: a fresh secret per run (or the
    # environment's), so that path is exercised in dev too.
    secret = subgraph_secret.resolve() or subgraph_secret.generate()
    server = build_dev_server(
        data_dir, brands=brands, stack_spec=stack_spec, reset=reset, gateway_secret=secret
    )
    watcher = BrandWatcher(server, config) if watch and config is not None else None
    url = f"http://{host}:{port}/graphql"

    async def startup() -> None:
        seeded = await server.stack.prepare()
        if seeded:
            print("brand-matrix dev: demo data loaded", file=sys.stderr, flush=True)
        await server.stack.start()
        print(
            f"brand-matrix dev: brands {', '.join(server.brands)}; data in {data_dir}\n"
            f"GraphiQL: {url}",
            flush=True,
        )
        if watcher is not None:
            await watcher.start()

    async def shutdown() -> None:
        if watcher is not None:
            await watcher.stop()
        await server.stack.stop()

    from gateway.auth import GatewayAuth
    from gateway.errors import SupergraphError
    from gateway.observability import ObservabilityOptions, setup
    from gateway.persisted import MemoryStore, PersistedQueries
    from gateway.usage import UsageFlusher, UsageRecorder
    from gateway.usage.endpoint import USAGE_PATH, usage_endpoint

    # As in production: tokens verified and @authenticated enforced by the gateway (the dev
    # key is the subgraphs' embedded default), APQ in memory, /metrics; logs stay plain text.
    # Field usage is counted in memory and shown at GET /usage (serve: [usage] in the config).
    usage = UsageFlusher(UsageRecorder(), None)
    # Each [contracts.NAME] at /contracts/<name>/graphql, as `serve --config` has them.
    contracts = config_contracts(config)
    try:
        gateway = server.gateway(auth=GatewayAuth(), usage=usage.recorder, contracts=contracts)
    except SupergraphError as error:  # a contract that leaves no valid schema
        raise DevError(str(error)) from None
    app = create_app(
        gateway,
        on_startup=[startup, usage.start],
        on_shutdown=[usage.stop, shutdown],
        persisted_queries=PersistedQueries(MemoryStore()),
    )
    app.add_route(USAGE_PATH, usage_endpoint(usage.recorder), methods=["GET"])
    options = ObservabilityOptions(json_logs=False, access_log=False, log_level=log_level)
    uvicorn.run(setup(app, gateway, options), host=host, port=port, log_level=log_level,
                lifespan="on")  # fmt: skip
