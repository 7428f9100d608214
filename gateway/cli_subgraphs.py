"""`brand-matrix new-subgraph` and `brand-matrix subgraph serve`: the subgraph commands.

Registered by `gateway.cli._build_parser` through `add_parsers(commands)`. The subgraphs are
reached only through an import path (`--stack`, like `brand-matrix dev --stack`), so `gateway`
never imports `subgraphs`.
"""

from __future__ import annotations

import argparse
import os
import sys
from typing import Any

DEFAULT_DEPLOYMENT = "subgraphs.stack:deployment_app"
LOG_LEVELS = ["critical", "error", "warning", "info", "debug"]


def add_parsers(commands: Any) -> None:
    _add_new_subgraph(commands)
    _add_subgraph(commands)


def _add_new_subgraph(commands: Any) -> None:
    new = commands.add_parser(
        "new-subgraph",
        help="scaffold a Strawberry Federation v2 subgraph (code, migrations, schema, tests)",
        description="Create subgraphs/NAME/ (models, service, loaders, schema, app, seed, "
        "print_schema, migrations), schema/NAME.graphql and tests/subgraphs/NAME/ from the "
        "template the group's subgraphs follow. Never overwrites a file.",
    )
    new.add_argument("name", help="a lowercase Python identifier, e.g. gift_cards")
    new.add_argument(
        "--brand-owned",
        action="store_true",
        help="deployed once per brand (a partition, ids like lumen:ITEM-1) instead of central",
    )
    new.add_argument(
        "--dir", default=".", metavar="DIR", help="the repository root (default: current dir)"
    )
    new.add_argument(
        "--no-print-schema",
        dest="print_schema",
        action="store_false",
        help="do not run print_schema to write schema/NAME.graphql",
    )
    new.set_defaults(run=_new_subgraph)


def _add_subgraph(commands: Any) -> None:
    from gateway.cli import _port

    subgraph = commands.add_parser("subgraph", help="run one subgraph deployment")
    actions = subgraph.add_subparsers(dest="subgraph_command", metavar="ACTION", required=True)
    serve = actions.add_parser(
        "serve",
        help="serve ONE deployment of a subgraph over HTTP (uvicorn)",
        description="Serve one deployment: a central subgraph, or one brand's partition of a "
        "brand-owned one. Environment: DATABASE_URL, BRAND_MATRIX_BUS_URL (NATS JetStream), "
        "BRAND_MATRIX_JWT_SECRET or BRAND_MATRIX_JWT_KEYS, BRAND_MATRIX_BRANDS (member), "
        "BRAND_MATRIX_GATEWAY_SECRET (the gateway's shared secret(s); unset: anyone may call).",
    )
    serve.add_argument("name", help="the subgraph, e.g. member or catalogue")
    serve.add_argument("--brand", metavar="B", help="the brand (brand-owned subgraphs)")
    serve.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=4001, help="port to bind (default 4001)")
    serve.add_argument(
        "--database-url", metavar="URL", help="its database (default: $DATABASE_URL, else SQLite)"
    )
    serve.add_argument(
        "--migrate", action="store_true", help="upgrade the database to the latest revision first"
    )
    serve.add_argument(
        "--stack",
        default=DEFAULT_DEPLOYMENT,
        metavar="MODULE:FUNCTION",
        help=f"FUNCTION(name, brand, database_url) -> (app, migrate) (default "
        f"{DEFAULT_DEPLOYMENT})",
    )
    serve.add_argument("--log-level", default="info", choices=LOG_LEVELS, help="default info")
    serve.set_defaults(run=_subgraph_serve)


def _new_subgraph(args: argparse.Namespace) -> int:
    from gateway.cli import CliError
    from gateway.scaffold import ScaffoldError, scaffold

    try:
        result = scaffold(
            args.name, root=args.dir, brand_owned=args.brand_owned, print_schema=args.print_schema
        )
    except ScaffoldError as error:
        raise CliError(str(error)) from None
    for path in result.created:
        print(f"created {path}")
    print(result.next_steps())
    return 0


def _subgraph_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from gateway.cli import CliError
    from gateway.dev import DevError, load_stack_factory

    try:
        factory = load_stack_factory(args.stack)
    except DevError as error:
        raise CliError(str(error).replace("dev stack", "deployment factory")) from None
    database_url = args.database_url or os.environ.get("DATABASE_URL") or None
    try:
        app, migrate = factory(args.name, args.brand, database_url)
    except ValueError as error:
        raise CliError(str(error)) from None
    if args.migrate:
        try:
            migrate()
        except Exception as error:  # a database that cannot be reached: one line, exit 1
            first = (str(error).strip().splitlines() or [type(error).__name__])[0]
            raise CliError(f"cannot migrate {args.name}: {first}", exit_code=1) from None
    label = args.name if args.brand is None else f"{args.name}@{args.brand}"
    if not _gateway_secret_configured(app):
        print(
            f"brand-matrix: warning: {label} accepts requests from anyone: set "
            "BRAND_MATRIX_GATEWAY_SECRET (as the gateway's) so it answers the gateway only",
            file=sys.stderr,
            flush=True,
        )
    print(f"brand-matrix: serving {label} at http://{args.host}:{args.port}/graphql", flush=True)
    uvicorn.run(app, host=args.host, port=args.port, log_level=args.log_level, lifespan="on")
    return 0


def _gateway_secret_configured(app: Any) -> bool:
    """Does the deployment check the gateway's secret? (`app.state.gateway_secrets`, set by
    subgraphs.common.app; a factory that does not say: the environment variable)."""
    state = getattr(app, "state", None)
    secrets = getattr(state, "gateway_secrets", None) if state is not None else None
    if secrets is None:
        return bool(os.environ.get("BRAND_MATRIX_GATEWAY_SECRET", "").strip(" ,"))
    return bool(secrets)
