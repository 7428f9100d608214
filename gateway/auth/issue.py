"""Issue access tokens for staff, operators and services: `brand-matrix token issue`.

Signs with the key the member subgraph signs with (both read it through `tokenkeys.env`): the
private key of `BRAND_MATRIX_JWT_PRIVATE_KEY_FILE` / the first of `BRAND_MATRIX_JWT_PRIVATE_KEYS`
when set, else the first key of `BRAND_MATRIX_JWT_KEYS`, else `BRAND_MATRIX_JWT_SECRET` under
kid "default", else the development secret; its kid goes in the header. The claims are the
member subgraph's (`tokenkeys.claims.access_claims`), which the subgraphs and the gateway's
`TokenVerifier` accept.

Members get their tokens from the member subgraph's sign-in; this is for the platform team.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from gateway.auth.keys import signing_key_from_env
from tokenkeys.claims import access_claims, kind_scopes

KINDS = ("staff", "operator", "service")  # members sign in through the member subgraph
DEFAULT_TTL = 15 * 60
MAX_TTL = 90 * 24 * 3600
_BRAND = re.compile(r"[a-z][a-z0-9_-]{0,31}")  # as subgraphs/common/brand_ids.BRAND_ID
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:/-]*")


class IssueError(ValueError):
    """A token that must not be issued; the message is one line."""


def issue(
    *,
    kind: str,
    subject: str,
    brand: str | None = None,
    roles: Iterable[str] = (),
    scopes: Iterable[str] = (),
    ttl: int = DEFAULT_TTL,
    environ: Mapping[str, str] | None = None,
    now: float | None = None,
) -> str:
    """A signed token; `IssueError` for a kind, subject, brand, role, scope or ttl that is
    wrong (staff need a brand; operators and services work for the group, not one brand)."""
    if kind not in KINDS:
        raise IssueError(f"unknown kind {kind!r} (one of {', '.join(KINDS)})")
    subject = subject.strip()
    if not subject or not _NAME.fullmatch(subject):
        raise IssueError(f"the subject {subject!r} is not an id (letters, digits, _.:/-)")
    if kind == "staff" and not brand:
        raise IssueError("a staff token needs --brand (the brand they work for)")
    if kind != "staff" and brand:
        raise IssueError(f"a {kind} token works for the whole group: it takes no --brand")
    if brand is not None and not _BRAND.fullmatch(brand):
        raise IssueError(f"{brand!r} is not a brand id (lowercase letters, digits, - or _)")
    roles, scopes = sorted(set(roles)), sorted(set(scopes))
    for what, names in (("role", roles), ("scope", scopes)):
        bad = next((n for n in names if not _NAME.fullmatch(n)), None)
        if bad is not None:
            raise IssueError(f"the {what} {bad!r} is not a name (letters, digits, _.:/-)")
    if kind == "service" and not scopes:
        raise IssueError("a service token needs at least one --scope")
    try:  # the kind is a scope too; another kind's name would be a lie
        kind_scopes(kind, scopes)
    except ValueError as error:
        raise IssueError(str(error)) from None
    if not 0 < ttl <= MAX_TTL:
        raise IssueError(f"--ttl must be between 1 and {MAX_TTL} seconds")
    try:
        key = signing_key_from_env(environ)  # the first key signs, as in KeyRing
    except ValueError as error:
        raise IssueError(str(error)) from None
    except IndexError:  # verification keys only (public keys, a JWKS URL): nothing signs
        raise IssueError(
            "no signing key: set BRAND_MATRIX_JWT_PRIVATE_KEY_FILE or BRAND_MATRIX_JWT_SECRET"
        ) from None
    claims = access_claims(
        subject=subject, kind=kind, brand=brand, scopes=scopes, roles=roles, ttl_seconds=ttl,
        now=now,
    )  # fmt: skip
    return key.sign(claims)
