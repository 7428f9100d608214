"""`brand-matrix check`: would this subgraph change break composition, the API schema or a
registered front-end operation? For brand teams' CI. Registered by `gateway.cli._build_parser`;
the work is in gateway/checks/ (check.py runs it, report.py prints it).
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from gateway.cli import positive_int

DESCRIPTION = """\
Compose proposed subgraph schemas with the checked-in schemas of every other subgraph (the
schema files of the config's [subgraphs.NAME] tables: no service is contacted, so it runs in
CI), then report composition errors, a classified diff (breaking, dangerous, safe) of the new
API schema against the checked-in one, and every registered operation in
schema/operations/<front-end>/ that would no longer validate (against the API schema, or the
contract schema that lists its front-end) or plan.

Exit codes: 0 nothing breaks (safe and dangerous changes only, breaking changes that usage
data shows unused, or breaking changes and failing operations acknowledged with
--allow-breaking); 1 composition errors (never acknowledgeable), or breaking changes or
failing registered operations not acknowledged; 2 bad input (missing file, invalid SDL,
unknown subgraph, unreadable config or usage sink)."""


def add_parsers(commands: Any) -> None:
    check = commands.add_parser(
        "check",
        help="check a subgraph schema change against the checked-in schemas and operations",
        description=DESCRIPTION,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    check.add_argument(
        "--config",
        default="brand-matrix.toml",
        metavar="FILE",
        help="config with [subgraphs.NAME] tables; their schema files are the current "
        "schemas (default brand-matrix.toml)",
    )
    check.add_argument(
        "--subgraph",
        dest="subgraphs",
        action="append",
        default=[],
        metavar="NAME",
        help="a configured subgraph whose schema changes; pair each with --schema (repeatable)",
    )
    check.add_argument(
        "--schema",
        dest="schemas",
        action="append",
        default=[],
        metavar="FILE",
        help="the proposed SDL of the --subgraph given before it",
    )
    check.add_argument(
        "--all",
        action="store_true",
        help="check every subgraph's working copy: the SDL its code prints now "
        "(python -m subgraphs.NAME.print_schema, run in a subprocess)",
    )
    check.add_argument(
        "--print-module",
        default="subgraphs.{name}.print_schema",
        metavar="PATTERN",
        help="with --all: the module whose main([FILE]) writes a subgraph's SDL "
        "(default subgraphs.{name}.print_schema)",
    )
    check.add_argument(
        "--format", choices=["text", "json"], default="text", help="text (default) or json"
    )
    check.add_argument(
        "--allow-breaking",
        metavar="REASON",
        help="pass despite breaking changes and failing registered operations (each is still "
        "printed, and REASON with them); never despite composition errors",
    )
    check.add_argument(
        "--usage",
        metavar="SINK",
        help="usage sink (redis://, postgresql://, sqlite:///; default [usage] sink of the "
        "config): a breaking change with no recorded use does not fail the check",
    )
    check.add_argument(
        "--usage-days",
        type=positive_int,
        metavar="N",
        help="the usage window in days (default 30)",
    )
    check.add_argument(
        "--allow-missing-usage",
        action="store_true",
        help="check without usage data when the sink cannot be read (default: exit 2)",
    )
    check.add_argument(
        "--api-schema",
        metavar="FILE",
        help="the checked-in API schema to diff against (default schema/api.graphql next to "
        "the config)",
    )
    check.add_argument(
        "--operations",
        metavar="DIR",
        help="registered operations, DIR/<front-end>/*.graphql (default schema/operations "
        "next to the config)",
    )
    check.set_defaults(run=_check)


def _check(args: argparse.Namespace) -> int:
    from gateway.checks.check import CheckOptions, run_check
    from gateway.checks.inputs import CheckInputError
    from gateway.checks.report import print_json, print_text

    try:
        _check_flags(args)
    except CheckInputError as error:
        return _input_failure(error, args.format)
    options = CheckOptions(
        config=args.config,
        subgraphs=list(zip(args.subgraphs, args.schemas, strict=True)),
        all=args.all,
        allow_breaking=args.allow_breaking,
        usage=args.usage,
        usage_days=args.usage_days,
        allow_missing_usage=args.allow_missing_usage,
        api_schema=args.api_schema,
        operations=args.operations,
        print_module=args.print_module,
    )
    try:
        report = run_check(options)
    except CheckInputError as error:
        return _input_failure(error, args.format)
    if args.format == "json":
        print_json(report, sys.stdout)
    else:
        print_text(report, sys.stdout)
    return report.exit_code


def _check_flags(args: argparse.Namespace) -> None:
    from gateway.checks.inputs import CheckInputError

    if len(args.subgraphs) != len(args.schemas):
        raise CheckInputError("check: give one --schema FILE for each --subgraph NAME")
    if args.all and args.subgraphs:
        raise CheckInputError("check: give --subgraph NAME --schema FILE or --all, not both")
    if args.allow_breaking is not None and not args.allow_breaking.strip():
        raise CheckInputError("check: --allow-breaking needs a reason")


def _input_failure(error: Any, format: str) -> int:
    """One line per problem on stderr; with --format json, CI's stdout still gets an object."""
    import orjson

    from gateway.checks.check import EXIT_INPUT

    for problem in error.problems:
        print(f"brand-matrix: error: {' '.join(problem.split())}", file=sys.stderr)
    if format == "json":
        problems = [{"code": "INVALID_INPUT", "message": p} for p in error.problems]
        body = {"ok": False, "exit_code": EXIT_INPUT, "input_errors": problems}
        sys.stdout.write(orjson.dumps(body, option=orjson.OPT_INDENT_2).decode() + "\n")
    return EXIT_INPUT
