"""`brand-matrix token issue|keygen`: access tokens for staff, operators and services.

For the platform team: signs with the signing key of the environment (a private key of
`BRAND_MATRIX_JWT_PRIVATE_KEY_FILE` / `_PRIVATE_KEYS`, else `BRAND_MATRIX_JWT_KEYS` /
`BRAND_MATRIX_JWT_SECRET`, read by `tokenkeys.env` as for the member subgraph) and prints the
token on one line; `token keygen` writes a new key pair. Anything wrong (a staff token
without `--brand`, an unknown kind, a bad ttl, a key file that exists) is one line on stderr
and exit 2. Registered by `gateway.cli._build_parser`.
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
        description="Print a signed access token. Keys: BRAND_MATRIX_JWT_PRIVATE_KEY_FILE (or "
        "the first of BRAND_MATRIX_JWT_PRIVATE_KEYS), else BRAND_MATRIX_JWT_KEYS (the first "
        "signs) or BRAND_MATRIX_JWT_SECRET, as the member subgraph signs. Staff "
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
    keygen = actions.add_parser(
        "keygen",
        help="write a new private/public key pair (RS256, ES256, EdDSA) for signing tokens",
        description="Write KID.private.pem (mode 0600) and KID.public.pem into --out; an "
        "existing file is never overwritten. Sign with BRAND_MATRIX_JWT_PRIVATE_KEY_FILE="
        "DIR/KID.private.pem; verify with BRAND_MATRIX_JWT_PUBLIC_KEYS=KID=DIR/KID.public.pem "
        "or the member subgraph's /.well-known/jwks.json.",
    )
    # Checked by tokenkeys.signing (not argparse choices), so a mistake is one line and exit 2.
    keygen.add_argument("--algorithm", metavar="RS256|ES256|EdDSA", help="the key type")
    keygen.add_argument("--kid", metavar="KID", help="the key id (also the file names)")
    keygen.add_argument("--out", metavar="DIR", help="the directory to write the files in")
    keygen.set_defaults(run=_keygen)


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


def _keygen(args: argparse.Namespace) -> int:
    from gateway.cli import CliError
    from tokenkeys.signing import KEYGEN_ALGORITHMS, write_key_pair

    for flag, value in (("--algorithm", args.algorithm), ("--kid", args.kid), ("--out", args.out)):
        if not value:
            raise CliError(f"token keygen: give {flag}")
    if args.algorithm not in KEYGEN_ALGORITHMS:
        known = ", ".join(KEYGEN_ALGORITHMS)
        raise CliError(f"token keygen: --algorithm must be one of {known}, not {args.algorithm!r}")
    try:
        private, public = write_key_pair(args.algorithm, args.kid, args.out)
    except ValueError as error:
        raise CliError(f"token keygen: {error}") from None
    print(f"wrote {private} (keep it secret) and {public}")
    return 0
