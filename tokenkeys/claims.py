"""The claims of the group's access tokens, in one place for their two issuers: the member
subgraph (sign-in, service tokens) and `brand-matrix token issue` (staff, operators, services).

`iss`/`aud` "brand-matrix", `sub`, `kind`, `brand` (when there is one), `scopes` (always
including the kind), `roles`, `iat`, `exp`, `jti` — what `subgraphs.common.auth.verify_token`
and the gateway's `TokenVerifier` accept.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterable
from typing import Any

ISSUER = "brand-matrix"
AUDIENCE = "brand-matrix"
KINDS = ("member", "staff", "operator", "service")


def kind_scopes(kind: str, scopes: Iterable[str]) -> list[str]:
    """The token's scopes with its kind among them, so the gateway's `@requiresScopes` can
    refuse early (`member`, `staff`, `operator`, `service`); a scope naming another kind
    would let the gateway pass a caller the resolver guards (which read `kind`) refuse."""
    named = set(scopes)
    other = sorted(named & set(KINDS) - {kind})
    if other:
        raise ValueError(f"a {kind} token cannot carry the scope {other[0]!r} of another kind")
    return sorted(named | {kind})


def access_claims(
    *,
    subject: str,
    kind: str,
    brand: str | None = None,
    scopes: Iterable[str] = (),
    roles: Iterable[str] = (),
    ttl_seconds: int,
    audience: str = AUDIENCE,
    now: float | None = None,
) -> dict[str, Any]:
    """The payload of one access token (ValueError for an unknown kind or another kind's
    scope)."""
    if kind not in KINDS:
        raise ValueError(f"unknown token kind {kind!r}")
    issued = int(time.time() if now is None else now)
    payload: dict[str, Any] = {
        "iss": ISSUER,
        "aud": audience,
        "sub": subject,
        "kind": kind,
        "scopes": kind_scopes(kind, scopes),
        "roles": sorted(set(roles)),
        "iat": issued,
        "exp": issued + ttl_seconds,
        "jti": uuid.uuid4().hex,
    }
    if brand is not None:
        payload["brand"] = brand
    return payload
