"""`brand-matrix token issue`: access tokens for staff, operators and services.

For the platform team: signs with the key ring of the environment (`BRAND_MATRIX_JWT_KEYS` /
`BRAND_MATRIX_JWT_SECRET`, as the subgraphs and the gateway read it) and prints the token on
one line. Anything wrong (a staff token without `--brand`, an unknown kind, a bad ttl) is one
line on stderr and exit 2. Registered by `gateway.cli._build_parser`.
"""

from __future__ import annotations

import argparse
from typing import Any


def add_parsers(commands: Any) -> None:
    token = commands.add_parser("token", help="issue access tokens (staff, operator, service)")
    actions = token.add_subparsers(dest="token_command", metavar="ACTION", required=True)
    issue = actions.add_parser(
        "issue",
        help="sign a staff, operator or service token with the configured key ring",
        description="Print a signed access token. Keys: BRAND_MATRIX_JWT_KEYS (the first signs) "
        "or BRAND_MATRIX_JWT_SECRET, as the subgraphs and the gateway verify them. Staff "
        "need --brand; services need --scope.",
    )
    # Checked by gateway.auth.issue (not argparse), so a mistake is one line and exit 2.
    issue.add_argument("--kind", metavar="staff|operator|service", help="who the token is for")
    issue.add_argument("--subject", metavar="ID", help="staff id, operator id or service name")
    issue.add_argument("--brand", metavar="B", help="the brand a staff member works for")
    issue.add_argument(
        "--role", dest="roles", action="append", default=[], metavar="R", help="repeatable"
    )
    issue.add_argument(
        "--scope", dest="scopes", action="append", default=[], metavar="S", help="repeatable"
    )
    issue.add_argument("--ttl", metavar="SECONDS", help="lifetime (default 900)")
    issue.set_defaults(run=_issue)


def _issue(args: argparse.Namespace) -> int:
    from gateway.auth.issue import DEFAULT_TTL, IssueError, issue
    from gateway.cli import CliError

    if not args.kind:
        raise CliError("token issue: give --kind staff|operator|service")
    if not args.subject:
        raise CliError("token issue: give --subject ID")
    try:
        ttl = DEFAULT_TTL if args.ttl is None else int(args.ttl)
    except ValueError:
        given = repr(args.ttl)
        raise CliError(f"token issue: --ttl must be a number of seconds, not {given}") from None
    try:
        token = issue(
            kind=args.kind,
            subject=args.subject,
            brand=args.brand,
            roles=args.roles,
            scopes=args.scopes,
            ttl=ttl,
        )
    except IssueError as error:
        raise CliError(f"token issue: {error}") from None
    print(token)
    return 0
