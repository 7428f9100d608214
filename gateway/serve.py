"""`brand-matrix serve` from a GatewayConfig: build the app (gateway, brand partitions,
supergraph reload, /ready) and run it under uvicorn with one or more worker processes.

With `workers > 1` uvicorn starts each worker from an import string, so the workers rebuild
the app themselves: `worker_app()` is that factory. The parent validates everything first (so
bad input still exits 2 with one line) and hands the workers the config file and the
command-line overrides in the `_BRAND_MATRIX_WORKER_SPEC` environment variable; each worker
loads the config exactly as the parent did (file, then environment, then overrides).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import importlib.util
import json
import os
import signal
import sys
from collections.abc import Awaitable, Callable, Mapping
from typing import TYPE_CHECKING, Any

from gateway import subgraph_secret
from gateway.config import GatewayConfig, load_config
from gateway.config_features import (
    build_auth,
    build_persisted_queries,
    build_rate_limiter,
    observability_options,
)
from gateway.limits.settings import build_limits
from gateway.usage.settings import build_usage

if TYPE_CHECKING:
    from starlette.applications import Starlette

WORKER_SPEC_ENV = "_BRAND_MATRIX_WORKER_SPEC"
WORKER_FACTORY = "gateway.serve:worker_app"
Hook = Callable[[], Awaitable[None]]


def build_app(config: GatewayConfig) -> Any:
    """The app for `config`; raises cli.CliError for anything the user can fix."""
    from gateway import cli
    from gateway.http import create_app
    from gateway.http.ready import Readiness
    from gateway.supergraph_reload import SourceProblem, SupergraphReloader, make_source

    settings = config.gateway
    # Every request to a subgraph (and every probe, SDL fetch) carries the shared secret.
    secret = subgraph_secret.resolve(settings.subgraph_secret)
    subgraph_secret.use(secret)
    source = make_source(config)
    if source is None:
        raise cli.CliError(
            "no supergraph: pass --supergraph FILE|URL or set [supergraph] source in the config"
        )
    location = config.supergraph.source or ""
    sdl: str | None = None
    if config.supergraph_mode == "compose":
        try:
            sdl = asyncio.run(source.poll())
        except SourceProblem as problem:
            raise cli.CliError(f"cannot compose the supergraph: {problem}") from None
    base = config.path.parent if config.path else None
    try:
        auth = build_auth(config.auth, base)
        persisted = build_persisted_queries(config.persisted_queries, base)
    except (ValueError, OSError) as error:
        raise cli.CliError(str(error)) from None
    gateway = cli._load_gateway(
        location,
        sdl=sdl,
        subgraph_timeout=settings.subgraph_timeout,
        in_process=settings.in_process,
        forward_headers=settings.forward_headers,
        config=str(config.path) if config.path and config.brands.partitions else None,
        check_partition_sdls=True,
        auth=auth,
        header_rules=_header_rules(config, secret),
        limits=build_limits(config.limits, introspection=settings.introspection),
        rate_limiter=build_rate_limiter(config.rate_limits),
        contracts=config.contracts,
    )
    on_startup: list[Hook] = []
    on_shutdown: list[Hook] = []
    try:
        usage = build_usage(config.usage)  # [usage]: field counts, flushed in the background
    except Exception as error:  # a sink URL its driver refuses
        raise cli.CliError(f"[usage] sink: {error}") from None
    if usage is not None:
        gateway.usage = usage.recorder
        on_startup.append(usage.start)
        on_shutdown.append(usage.stop)
    reloader: SupergraphReloader | None = None
    if config.supergraph_interval > 0:
        if config.supergraph_mode == "file":
            asyncio.run(source.poll())  # remember the file's signature: no re-read at first
        reloader = SupergraphReloader(
            gateway, source, interval=config.supergraph_interval, grace=config.reload.grace
        )
        on_startup.append(reloader.start)
        on_shutdown.append(reloader.stop)
    if config.path is not None and config.brands.partitions and config.reload.config_interval:
        hooks = cli._reload_hooks(
            str(config.path), config.reload.config_interval, settings.subgraph_timeout, gateway
        )
        on_startup += hooks["on_startup"]
        on_shutdown += hooks["on_shutdown"]
    status = (lambda: reloader.status()) if reloader else (lambda: {"source": location})
    readiness = Readiness(
        gateway, timeout=settings.ready_timeout, cache=settings.ready_cache, status=status
    )
    app = create_app(
        gateway,
        max_body_size=settings.max_body_size,
        graphiql=settings.graphiql,
        on_startup=on_startup,
        on_shutdown=on_shutdown,
        readiness=readiness,
        persisted_queries=persisted,
    )
    if usage is not None and config.usage.endpoint:
        from gateway.usage.endpoint import USAGE_PATH, usage_endpoint

        app.add_route(USAGE_PATH, usage_endpoint(usage.recorder), methods=["GET"])
    return instrument(app, gateway, config)


def _header_rules(config: GatewayConfig, secret: str | None) -> Any:
    """[headers], then the subgraph secret's rules (none needed without either: subgraphs
    without a secret accept anyone, so a client's header of that name changes nothing)."""
    if secret is None and config.header_rules is None:
        return None
    return subgraph_secret.header_rules(config.header_rules, secret)


def instrument(app: Starlette, gateway: Any, config: GatewayConfig) -> Any:
    """Metrics, traces and JSON logs around the app, as `[telemetry]` says."""
    from gateway.observability import setup

    telemetry = config.telemetry
    if not (telemetry.metrics or telemetry.json_logs or telemetry.access_log):
        return app
    return setup(app, gateway, observability_options(telemetry, config.gateway.log_level))


def run(config: GatewayConfig, overrides: Mapping[str, Mapping[str, Any]]) -> None:
    """Serve until stopped. One worker: this process. More: uvicorn's worker processes,
    each building its own app through `worker_app` (after this process checked the config
    and the supergraph once, so bad input fails here, with one line)."""
    import uvicorn

    settings = config.gateway
    options: dict[str, Any] = {
        "host": settings.host,
        "port": settings.port,
        "loop": "uvloop" if _importable("uvloop") else "asyncio",
        "http": "httptools" if _importable("httptools") else "h11",
        "workers": settings.workers,
        "log_level": settings.log_level,
        "lifespan": "on",
    }
    if config.telemetry.json_logs:  # uvicorn's own lines as JSON too; ours replace its access log
        options.update(log_config=None, access_log=False)
    if settings.workers == 1:
        uvicorn.run(build_app(config), **options)
        return
    _check_once(config)
    spec = {"config": str(config.path) if config.path else None, "overrides": overrides}
    os.environ[WORKER_SPEC_ENV] = json.dumps(spec)  # spawned workers inherit the environment
    uvicorn.run(WORKER_FACTORY, factory=True, **options)


def worker_app() -> Starlette:
    """uvicorn's factory in each worker process: the app for the spec the parent left in
    the environment. uvicorn calls it inside its event loop, so the build (which may
    compose, and checks partitions, with its own loops) runs in a separate thread."""
    from gateway import cli

    spec = json.loads(os.environ[WORKER_SPEC_ENV])
    with concurrent.futures.ThreadPoolExecutor(1) as pool:
        try:
            config = load_config(spec["config"], overrides=spec["overrides"])
            return pool.submit(build_app, config).result()
        except cli.CliError as error:
            print(f"brand-matrix: error: {error}", file=sys.stderr, flush=True)
            # uvicorn would restart a dead worker forever: stop the whole server instead.
            os.kill(os.getppid(), signal.SIGTERM)
            raise SystemExit(error.exit_code) from None


def _check_once(config: GatewayConfig) -> None:
    """Workers > 1: fail in the parent, not in every worker, when the supergraph is bad."""
    from gateway import cli
    from gateway.supergraph_reload import SourceProblem, make_source

    source = make_source(config)
    if source is None:
        raise cli.CliError(
            "no supergraph: pass --supergraph FILE|URL or set [supergraph] source in the config"
        )
    if config.supergraph_mode == "compose":
        try:
            sdl = asyncio.run(source.poll())
        except SourceProblem as problem:
            raise cli.CliError(f"cannot compose the supergraph: {problem}") from None
        location = "(composed)"
    else:
        location = config.supergraph.source or ""
        sdl = cli._read_supergraph(location)
    cli._check_supergraph(location, sdl or "", config.contracts)
    if config.gateway.in_process:
        cli._in_process_factory(config.gateway.in_process)  # importable, without calling it


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None
