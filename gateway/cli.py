"""The `brand-matrix` console script: serve a supergraph, or print the plan of an operation."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import sys
from importlib import metadata
from pathlib import Path
from typing import TYPE_CHECKING, Any

from graphql import GraphQLError

from gateway.errors import RequestError, SupergraphError, located_message
from gateway.headers import HeaderRuleError

if TYPE_CHECKING:
    from gateway.service import Gateway

PROG = "brand-matrix"
EXIT_OK, EXIT_REQUEST_ERROR, EXIT_USAGE = 0, 1, 2


class CliError(Exception):
    """A failure the user can fix (bad file, bad supergraph): one line on stderr, no traceback."""

    def __init__(self, message: str, exit_code: int = EXIT_USAGE) -> None:
        super().__init__(message)
        self.exit_code = exit_code


def main(argv: list[str] | None = None) -> int:
    parser = _build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as exit_:  # argparse exits for --help, --version and usage errors
        return _exit_code(exit_.code)
    if args.command is None:
        parser.print_help(sys.stderr)
        return EXIT_USAGE
    try:
        return int(args.run(args))
    except CliError as error:
        print(f"{PROG}: error: {_one_line(str(error))}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        return 130


def _build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog=PROG, description="GraphQL Federation v2 gateway")
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")

    from gateway.cli_serve import add_parsers as add_serve_parsers  # serve, config check

    add_serve_parsers(commands)

    plan = commands.add_parser("plan", help="print the query plan of an operation")
    plan.add_argument("--supergraph", required=True, metavar="FILE", help="supergraph SDL file")
    plan.add_argument(
        "--query", required=True, metavar="FILE", help="operation document file, or - for stdin"
    )
    plan.add_argument("--operation-name", metavar="NAME", help="operation to plan")
    plan.add_argument(
        "--config",
        metavar="FILE",
        help="brand-matrix.toml: show how each [partitions.NAME] subgraph routes by brand",
    )
    plan.set_defaults(run=_plan)
    _add_compose_parser(commands)
    _add_brand_parser(commands)
    _add_dev_parsers(commands)
    from gateway.cli_subgraphs import add_parsers  # new-subgraph, subgraph serve

    add_parsers(commands)
    __import__("gateway.cli_token").cli_token.add_parsers(commands)  # token issue
    __import__("gateway.cli_check").cli_check.add_parsers(commands)  # check
    return parser


def _add_dev_parsers(commands: Any) -> None:
    from gateway.dev import DEFAULT_DATA_DIR, DEFAULT_STACK

    dev = commands.add_parser(
        "dev",
        help="serve the gateway and every subgraph (all brands) in one process on SQLite "
        "with demo data",
    )
    seed = commands.add_parser(
        "seed", help="create the dev databases and load the deterministic demo data, then exit"
    )
    for command in (dev, seed):
        command.add_argument(
            "--data-dir",
            default=DEFAULT_DATA_DIR,
            metavar="DIR",
            help=f"where the SQLite files live (default {DEFAULT_DATA_DIR})",
        )
        command.add_argument(
            "--brands",
            type=_brand_list_arg,
            metavar="A,B,...",
            help="brands to serve (default: the five demo brands)",
        )
        command.add_argument("--reset", action="store_true", help="delete the data directory first")
        command.add_argument(
            "--stack",
            default=DEFAULT_STACK,
            metavar="MODULE:FUNCTION",
            help=f"the subgraph stack factory (default {DEFAULT_STACK})",
        )
    dev.add_argument(
        "--config",
        metavar="FILE",
        help="brand-matrix.toml whose brands to serve (default: that file in the current "
        "directory when it exists); brands added to it are served without a restart",
    )
    dev.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    dev.add_argument("--port", type=_port, default=4000, help="port to bind (default 4000)")
    dev.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="server log level (default info)",
    )
    dev.add_argument(
        "--no-reload",
        dest="reload",
        action="store_false",
        help="do not restart when a subgraph's code or schema changes",
    )
    dev.set_defaults(run=_dev)
    seed.set_defaults(run=_seed)


def _brand_list_arg(value: str) -> list[str]:
    brands = [b.strip() for b in value.split(",") if b.strip()]
    if not brands:
        raise argparse.ArgumentTypeError("give at least one brand")
    return brands


def _dev(args: argparse.Namespace) -> int:
    from gateway.dev import DevError, serve_dev
    from gateway.dev_reload import DevOptions, supervise

    options = DevOptions(
        args.data_dir,
        host=args.host,
        port=args.port,
        brands=args.brands,
        stack_spec=args.stack,
        reset=args.reset,
        log_level=args.log_level,
        config=args.config or (DEFAULT_CONFIG if Path(DEFAULT_CONFIG).is_file() else None),
    )
    if args.reload:  # a supervisor restarting `dev --no-reload` children (gateway/dev_reload.py)
        return supervise(options)
    try:
        serve_dev(
            options.data_dir,
            host=options.host,
            port=options.port,
            brands=options.brands,
            stack_spec=options.stack_spec,
            reset=options.reset,
            log_level=options.log_level,
            config=options.config,
        )
    except DevError as error:
        raise CliError(str(error)) from None
    return EXIT_OK


def _seed(args: argparse.Namespace) -> int:
    from gateway.dev import DevError, build_dev_server

    try:
        server = build_dev_server(
            args.data_dir, brands=args.brands, stack_spec=args.stack, reset=args.reset
        )
    except DevError as error:
        raise CliError(str(error)) from None

    async def prepare() -> bool:
        try:
            return await server.stack.prepare()
        finally:
            await server.stack.stop()

    seeded = asyncio.run(prepare())
    print(
        f"demo data loaded into {args.data_dir}"
        if seeded
        else f"{args.data_dir} already holds the demo data (use --reset to load it again)"
    )
    return EXIT_OK


def _add_compose_parser(commands: Any) -> None:
    compose = commands.add_parser(
        "compose",
        help="compose subgraph schemas into a supergraph and an API schema",
        description="Compose subgraph SDLs (from files, a config file or live subgraphs) into "
        "a supergraph (Apollo's format, join v0.5) and the client-facing API schema. Exit "
        "codes: 0 composed; 1 composition errors, or --check found a stale file; 2 bad inputs.",
    )
    compose.add_argument(
        "--config",
        metavar="FILE",
        help="TOML file with [subgraphs.NAME] tables (url, and schema or introspect); "
        "default brand-matrix.toml when present and no --subgraph is given",
    )
    compose.add_argument(
        "--subgraph",
        action="append",
        default=[],
        metavar="NAME=URL@FILE",
        help="a subgraph: its name, routing URL and SDL file; NAME=URL alone fetches the SDL "
        "from URL's _service { sdl }; replaces the config's subgraph of that name (repeatable)",
    )
    compose.add_argument(
        "--out",
        default="schema/supergraph.graphql",
        metavar="FILE",
        help="supergraph output, - for stdout (default schema/supergraph.graphql)",
    )
    compose.add_argument(
        "--api-out",
        metavar="FILE",
        help="API schema output, - for stdout (default api.graphql next to --out; "
        "none when --out is -)",
    )
    compose.add_argument(
        "--contracts-out",
        metavar="DIR",
        help="folder for each [contracts.NAME] schema of the config, as NAME.graphql "
        "(default contracts/ next to the API schema, e.g. schema/contracts/)",
    )
    compose.add_argument(
        "--format",
        choices=["text", "json"],
        default="text",
        help="text: errors and hints on stderr; json: a report on stdout for CI",
    )
    compose.add_argument(
        "--check",
        action="store_true",
        help="write nothing; exit 1 when an output (supergraph, API, contracts) would change",
    )
    compose.add_argument(
        "--no-partition-check",
        dest="partition_check",
        action="store_false",
        help="do not ask the config's running partitions for their SDL (compose from the "
        "schema files alone, before anything runs)",
    )
    compose.add_argument(
        "--timeout",
        type=_positive_float,
        default=10.0,
        metavar="S",
        help="seconds to wait for each live subgraph's SDL (default 10)",
    )
    compose.set_defaults(run=_compose)


def _compose(args: argparse.Namespace) -> int:
    from gateway.composition.command import ComposeOptions, run_compose

    options = ComposeOptions(
        config=args.config,
        subgraphs=list(args.subgraph),
        out=args.out,
        api_out=args.api_out,
        contracts_out=args.contracts_out,
        format=args.format,
        check=args.check,
        timeout=args.timeout,
        partition_check=args.partition_check,
    )
    return run_compose(options)


def _plan(args: argparse.Namespace) -> int:
    notes = _plan_notes(args.config) if getattr(args, "config", None) else {}
    gateway = _load_gateway(args.supergraph)
    try:
        query = _read_query(args.query)
        try:
            plan = gateway.plan(query, args.operation_name)
        except RequestError as error:
            for item in error.errors:
                print(f"error: {located_message(item)}", file=sys.stderr)
            return EXIT_REQUEST_ERROR
        print(plan.describe(notes) if notes else plan)
        return EXIT_OK
    finally:
        asyncio.run(gateway.aclose())


def _plan_notes(config: str) -> dict[str, str]:
    """subgraph -> how it routes by brand, for the `[partitions.NAME]` of the config."""
    from gateway.partitions import ConfigError, load_partitions
    from gateway.partitions.plan_notes import plan_notes

    try:
        return plan_notes(load_partitions(config))
    except ConfigError as error:
        raise CliError(str(error)) from None


def _load_gateway(
    path: str,
    *,
    sdl: str | None = None,
    subgraph_timeout: float = 30.0,
    in_process: str | None = None,
    forward_headers: tuple[str, ...] = (),
    config: str | None = None,
    check_partition_sdls: bool = False,
    auth: Any = None,
    header_rules: Any = None,
    limits: Any = None,
    rate_limiter: Any = None,
    contracts: Any = (),
) -> Gateway:
    # `sdl`: already read or composed (serve); else read from `path`. `auth`: GatewayAuth.
    sdl = _read_supergraph(path) if sdl is None else sdl
    from gateway.service import Gateway  # looked up per call, so tests can stand one in

    transports = _in_process_transports(in_process, subgraph_timeout) if in_process else None
    extra: dict[str, Any] = {} if auth is None else {"auth": auth}
    if header_rules is not None:
        extra["header_rules"] = header_rules
    if limits is not None:  # gateway.limits.Limits
        extra["limits"] = limits
    if rate_limiter is not None:  # gateway.ratelimit.RateLimiter
        extra["rate_limiter"] = rate_limiter
    if contracts:  # gateway.contracts.ContractSpec: /contracts/<name>/graphql
        extra["contracts"] = tuple(contracts)
    partitioned: dict[str, Any] = {}
    if config is not None:
        partitioned, extra["brands"] = _partitioned_transports(
            config, subgraph_timeout, check_sdls=check_partition_sdls
        )
        transports = {**(transports or {}), **partitioned}
    try:
        gateway = Gateway(
            sdl,
            transports,
            subgraph_timeout=subgraph_timeout,
            forward_headers=forward_headers,
            **extra,
        )
    except SupergraphError as error:
        raise CliError(f"invalid supergraph {path}: {error}") from None
    except GraphQLError as error:
        raise CliError(f"invalid supergraph {path}: {error.message}") from None
    except HeaderRuleError as error:
        raise CliError(f"[headers]: {error}") from None
    unknown = sorted(set(partitioned) - set(gateway.transports)) if partitioned else []
    if unknown:
        raise CliError(f"{config}: partitioned subgraph {unknown[0]!r} is not in the supergraph")
    return gateway


def _check_supergraph(path: str, sdl: str, contracts: Any = ()) -> None:
    """CliError when `sdl` is not a usable supergraph, or leaves a contract without a valid
    schema (without building a gateway)."""
    from gateway.supergraph_state import build_supergraph

    try:
        build_supergraph(sdl, tuple(contracts))
    except SupergraphError as error:
        raise CliError(f"invalid supergraph {path}: {error}") from None
    except GraphQLError as error:
        raise CliError(f"invalid supergraph {path}: {error.message}") from None


def _partitioned_transports(
    config: str, timeout: float, *, check_sdls: bool = False
) -> tuple[dict[str, Any], frozenset[str] | None]:
    """A PartitionedTransport per `[partitions.NAME]`, over one HTTP client per brand URL.
    With `check_sdls`, a partition whose live SDL differs from the composed one (or that is
    unreachable) is refused: a `RefusedPartition` stands in for it (see `_refused`)."""
    from gateway.partitions import ConfigError, PartitionedTransport, load_partitions
    from gateway.transport.aiohttp_client import AiohttpTransport

    try:
        partitions = load_partitions(config)
    except ConfigError as error:
        raise CliError(str(error)) from None
    transports: dict[str, Any] = {}
    brands: set[str] = set()
    for name, partition in partitions.items():
        refused = _refused(config, name, partition.brands, timeout) if check_sdls else {}
        clients = {
            brand: refused.get(brand) or AiohttpTransport(f"{name}@{brand}", url, timeout=timeout)
            for brand, url in partition.brands.items()
        }
        transports[name] = PartitionedTransport(name, clients, partition.rules)
        brands.update(partition.brands)
    return transports, (frozenset(brands) if brands else None)


def _refused(config: str, name: str, urls: dict[str, str], timeout: float) -> dict[str, Any]:
    """brand -> RefusedPartition for each partition of `name` whose live `_service { sdl }`
    differs from the reference (`[subgraphs.NAME] schema` of the config, else the first brand
    that answers) or that cannot be reached; one warning line per refused partition."""
    from gateway.partitions.sdl_check import (
        RefusedPartition,
        SdlError,
        check_partitions_sync,
        reference_from_config,
    )

    try:
        reference = reference_from_config(config, name)
        checks = check_partitions_sync(reference, urls, timeout=min(timeout, 10.0))
    except SdlError as error:
        raise CliError(f"subgraph {name!r}: the composed SDL cannot be read: {error}") from None
    refused: dict[str, Any] = {}
    for brand, check in checks.items():
        if not check.ok:
            refused[brand] = RefusedPartition(name, check)
            print(f"{PROG}: warning: refusing {check.summary(name)}", file=sys.stderr)
    return refused


def _in_process_transports(spec: str, timeout: float) -> dict[str, Any]:
    """Load `module:function` and wrap each ASGI app it returns in an in-process transport."""
    from gateway.transport.asgi import AsgiTransport

    apps = _in_process_factory(spec)()
    if not isinstance(apps, dict) or not apps:
        raise CliError(f"{spec}() must return a non-empty dict of subgraph name -> ASGI app")
    return {name: AsgiTransport(name, app, timeout=timeout) for name, app in apps.items()}


def _in_process_factory(spec: str) -> Any:
    """The function `--in-process MODULE:FUNCTION` names (imported, not called)."""
    module_name, _, function_name = spec.partition(":")
    if not module_name or not function_name:
        raise CliError(f"--in-process wants MODULE:FUNCTION, got {spec!r}")
    try:
        module = importlib.import_module(module_name)
    except ImportError as error:
        raise CliError(f"cannot import {module_name!r} for --in-process: {error}") from None
    factory = getattr(module, function_name, None)
    if not callable(factory):
        raise CliError(f"{module_name} has no function {function_name!r}")
    return factory


def _read_supergraph(location: str) -> str:
    """The supergraph SDL from a file, or from an http(s) URL (e.g. a schema registry)."""
    if not location.startswith(("http://", "https://")):
        return _read_text(location, what="supergraph")
    import urllib.error
    import urllib.request

    try:
        with urllib.request.urlopen(
            location, timeout=15
        ) as response:  # http(s) only, checked above
            return response.read().decode("utf-8")
    except (urllib.error.URLError, OSError) as error:
        reason = getattr(error, "reason", None) or error
        raise CliError(f"cannot fetch supergraph {location}: {reason}") from None
    except UnicodeDecodeError:
        raise CliError(f"cannot fetch supergraph {location}: not UTF-8 text") from None


def _read_query(path: str) -> str:
    if path == "-":
        return sys.stdin.read()
    return _read_text(path, what="query")


def _read_text(path: str, *, what: str) -> str:
    try:
        return Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CliError(f"cannot read {what} file {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CliError(f"cannot read {what} file {path}: not UTF-8 text") from None


def _port(value: str) -> int:
    try:
        port = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a port number: {value!r}") from None
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"port out of range 0-65535: {port}")
    return port


def positive_int(value: str) -> int:
    """An argparse type: a whole number of 1 or more (workers, days, ...)."""
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {value!r}") from None
    if number < 1:
        raise argparse.ArgumentTypeError(f"must be 1 or more: {number}")
    return number


def _positive_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number > 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be greater than 0: {value}")
    return number


def _importable(module: str) -> bool:
    return importlib.util.find_spec(module) is not None


def _version() -> str:
    try:
        return metadata.version(PROG)
    except metadata.PackageNotFoundError:  # running from a source tree that is not installed
        return "unknown (not installed)"


def _exit_code(code: str | int | None) -> int:
    if code is None:
        return EXIT_OK
    return code if isinstance(code, int) else EXIT_USAGE


def _one_line(message: str) -> str:
    return " ".join(message.split())


# --- brands: `brand add`, `brand list`, hot reload (gateway/partitions/edit.py, reload.py) ---

DEFAULT_CONFIG = "brand-matrix.toml"


def _add_brand_parser(commands: Any) -> None:
    brand = commands.add_parser("brand", help="add or list the brands of brand-matrix.toml")
    actions = brand.add_subparsers(dest="brand_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "add",
        help="add a brand to the partitioned subgraphs of the config",
        description="Add a brand: its display name and its URL per partitioned subgraph. "
        "Comments and formatting of the file are kept; the file is replaced atomically, so "
        "a running `serve --config` picks the brand up without a restart.",
    )
    add.add_argument("id", help="brand id: a simple lowercase identifier, e.g. vela")
    add.add_argument("--name", required=True, help="display name, e.g. 'Vela Beauty'")
    add.add_argument("--catalogue-url", metavar="URL", help="the brand's catalogue subgraph")
    add.add_argument("--content-url", metavar="URL", help="the brand's content subgraph")
    add.add_argument(
        "--url",
        action="append",
        default=[],
        metavar="SUBGRAPH=URL",
        help="the brand's deployment of any partitioned subgraph (repeatable)",
    )
    add.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=_CONFIG_HELP)
    add.set_defaults(run=_brand_add)
    listing = actions.add_parser("list", help="print the brands and their URLs")
    listing.add_argument("--config", default=DEFAULT_CONFIG, metavar="FILE", help=_CONFIG_HELP)
    listing.set_defaults(run=_brand_list)


_CONFIG_HELP = f"the gateway config file (default {DEFAULT_CONFIG})"


def _brand_add(args: argparse.Namespace) -> int:
    from gateway.partitions import ConfigError
    from gateway.partitions.edit import add_brand

    urls: dict[str, str] = {}
    given = [("catalogue", args.catalogue_url), ("content", args.content_url)]
    for spec in args.url:
        subgraph, sep, url = spec.partition("=")
        if not sep or not subgraph.strip() or not url:
            raise CliError(f"--url wants SUBGRAPH=URL, got {spec!r}")
        given.append((subgraph.strip(), url))
    for subgraph, url in given:
        if url is None:
            continue
        if subgraph in urls:
            raise CliError(f"two URLs for subgraph {subgraph!r}")
        urls[subgraph] = url
    try:
        notes = add_brand(args.config, args.id, args.name, urls)
    except ConfigError as error:
        raise CliError(str(error)) from None
    for note in notes:
        print(f"{PROG}: {note}", file=sys.stderr)
    print(f"added brand {args.id!r} ({args.name}) to {', '.join(urls)} in {args.config}")
    return EXIT_OK


def _brand_list(args: argparse.Namespace) -> int:
    from gateway.partitions import ConfigError
    from gateway.partitions.config import load_config
    from gateway.partitions.edit import brand_table

    if not Path(args.config).exists():
        raise CliError(f"config file {args.config} does not exist")
    try:
        config = load_config(args.config)
    except ConfigError as error:
        raise CliError(str(error)) from None
    for line in brand_table(config):
        print(line)
    return EXIT_OK


def _reload_hooks(
    config: str | None, interval: float, timeout: float, gateway: Gateway
) -> dict[str, Any]:
    """The config watcher's start/stop for the app's lifespan (serve --config only)."""
    if config is None or not interval:
        return {}
    from gateway.partitions.reload import ConfigWatcher
    from gateway.transport.aiohttp_client import AiohttpTransport

    def make_transport(subgraph: str, brand: str, url: str) -> Any:
        return AiohttpTransport(f"{subgraph}@{brand}", url, timeout=timeout)

    watcher = ConfigWatcher(
        config,
        gateway,
        make_transport,
        interval=interval,
        verify_sdl=True,
        verify_timeout=min(timeout, 10.0),
    )
    return {"on_startup": [watcher.start], "on_shutdown": [watcher.stop]}


def _non_negative_float(value: str) -> float:
    try:
        number = float(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a number: {value!r}") from None
    if not number >= 0:  # also rejects nan
        raise argparse.ArgumentTypeError(f"must be 0 or more: {value}")
    return number


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
