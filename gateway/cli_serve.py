"""`brand-matrix serve` and `brand-matrix config check`: their flags, and how flags, the config
file and the environment combine (gateway/config.py; the flags win)."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gateway import cli
from gateway.config import ConfigFileError, GatewayConfig, config_path, load_config

LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]
_CONFIG_HELP = (
    "the gateway config file (TOML: [gateway], [supergraph], [reload], [subgraphs], "
    "[partitions], [brands]); default $BRAND_MATRIX_CONFIG, else none"
)


def add_parsers(commands: Any) -> None:
    serve = commands.add_parser(
        "serve",
        help="serve a supergraph over HTTP",
        description="Serve a supergraph. Settings come from the config file, then "
        "BRAND_MATRIX_<SECTION>_<KEY> environment variables, then these flags.",
    )
    serve.add_argument(
        "--supergraph",
        metavar="FILE|URL",
        help="supergraph SDL file, http(s) URL, or 'compose' (the config's [subgraphs]); "
        "default: [supergraph] source of the config",
    )
    serve.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
    serve.add_argument("--host", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=cli._port, help="port to bind (default 4000)")
    serve.add_argument(
        "--workers", type=cli.positive_int, metavar="N", help="worker processes (default 1)"
    )
    serve.add_argument(
        "--subgraph-timeout",
        type=cli._positive_float,
        metavar="S",
        help="seconds to wait for each subgraph request (default 30)",
    )
    serve.add_argument(
        "--in-process",
        metavar="MODULE:FUNCTION",
        help="serve subgraphs in-process: FUNCTION() returns {subgraph name: ASGI app}; "
        "subgraphs it does not name are reached over HTTP at their supergraph URL",
    )
    serve.add_argument(
        "--forward-header",
        action="append",
        default=[],
        metavar="NAME",
        help="client request header to pass on to subgraphs (repeatable)",
    )
    serve.add_argument(
        "--reload-interval",
        type=cli._non_negative_float,
        metavar="S",
        help="seconds between checks of the config file for brand changes, applied without "
        "a restart (default 1; 0 off)",
    )
    serve.add_argument(
        "--supergraph-reload-interval",
        type=cli._non_negative_float,
        metavar="S",
        help="seconds between checks of the supergraph source; a change is swapped in "
        "without a restart (default 1 for a file, 30 for a URL, 10 for compose; 0 off)",
    )
    serve.add_argument("--log-level", choices=LOG_LEVELS, help="server log level (default info)")
    serve.set_defaults(run=run_serve, parser=serve)

    config = commands.add_parser("config", help="check the gateway config")
    actions = config.add_subparsers(dest="config_command", metavar="ACTION", required=True)
    check = actions.add_parser(
        "check",
        help="print the effective config (environment applied, secrets masked) or its errors",
    )
    check.add_argument("--config", metavar="FILE", help=_CONFIG_HELP)
    check.set_defaults(run=run_check)


def overrides(args: argparse.Namespace) -> dict[str, dict[str, Any]]:
    """The flags given, as config overrides (flags not given are None: the config decides)."""
    return {
        "gateway": {
            "host": args.host,
            "port": args.port,
            "workers": args.workers,
            "subgraph_timeout": args.subgraph_timeout,
            "in_process": args.in_process,
            "forward_headers": list(args.forward_header) or None,
            "log_level": args.log_level,
        },
        "supergraph": {"source": args.supergraph},
        "reload": {
            "config_interval": args.reload_interval,
            "supergraph_interval": args.supergraph_reload_interval,
        },
    }


def load(path: str | None, flags: dict[str, dict[str, Any]] | None = None) -> GatewayConfig:
    try:
        return load_config(config_path(path), overrides=flags)
    except ConfigFileError as error:
        for problem in error.problems[:-1]:
            print(f"{cli.PROG}: error: {cli._one_line(problem)}", file=sys.stderr)
        raise cli.CliError(error.problems[-1]) from None


def run_serve(args: argparse.Namespace) -> int:
    from gateway.serve import run

    flags = overrides(args)
    config = load(args.config, flags)
    if config.supergraph.source is None:
        args.parser.print_usage(sys.stderr)
        raise cli.CliError(
            "no supergraph: pass --supergraph FILE|URL or set [supergraph] source in the config"
        )
    run(config, flags)
    return cli.EXIT_OK


def run_check(args: argparse.Namespace) -> int:
    from gateway.config_print import describe

    config = load(args.config)
    print(describe(config), end="")
    if config.supergraph.source is None:
        print(
            f"{cli.PROG}: note: no [supergraph] source; serve needs --supergraph", file=sys.stderr
        )
    return cli.EXIT_OK
