"""The gateway's shared secret: proof to the subgraphs that a request came through it.

Subgraphs started with `BRAND_MATRIX_GATEWAY_SECRET` (subgraphs/common/gateway_secret.py)
answer `/graphql` only when the `x-brand-matrix-gateway` header holds one of its
comma-separated secrets. The gateway sends the first secret of `[gateway] subgraph_secret`
(env `BRAND_MATRIX_GATEWAY_SUBGRAPH_SECRET`), else of `BRAND_MATRIX_GATEWAY_SECRET`, to every
subgraph: on every fetch (`header_rules`: the last rules, for every subgraph, so nothing a
client sends under that name ever reaches a subgraph) and on its own probes (`_service { sdl }`
for partition checks and live composition, `/ready`: `outgoing_headers`).

Kept apart from `subgraphs`: `gateway` never imports it (the header and variable names are the
contract; tests check both sides agree).
"""

from __future__ import annotations

import os
import secrets as _random

from gateway.headers import HeaderRule, HeaderRules, Insert, Remove

SECRET_ENV = "BRAND_MATRIX_GATEWAY_SECRET"
HEADER = "x-brand-matrix-gateway"

_configured: list[str | None] = []  # this process's secret, once a server set it


def first_secret(value: str | None) -> str | None:
    """The secret to send from "new,old" (the first non-blank), None when there is none."""
    if not value:
        return None
    return next((item.strip() for item in value.split(",") if item.strip()), None)


def resolve(configured: str | None = None) -> str | None:
    """The secret to send: `configured` ([gateway] subgraph_secret), else the environment."""
    return first_secret(configured) or first_secret(os.environ.get(SECRET_ENV))


def generate() -> str:
    """A fresh random secret (`brand-matrix dev`)."""
    return _random.token_urlsafe(32)


def use(secret: str | None) -> None:
    """Make `secret` the one this process's probes send (`outgoing_headers`)."""
    _configured[:] = [secret]


def outgoing_headers() -> dict[str, str]:
    """The header for a request of the gateway's own (SDL fetches, readiness probes)."""
    secret = (_configured[0] if _configured else None) or resolve()
    return {HEADER: secret} if secret else {}


def header_rules(rules: HeaderRules | None, secret: str | None) -> HeaderRules:
    """`rules`, then for every subgraph: drop the client's `x-brand-matrix-gateway`, and with
    a `secret` insert it."""
    rules = rules or HeaderRules()
    last: list[HeaderRule] = [Remove(named=HEADER)]
    if secret:
        last.append(Insert(HEADER, secret))
    return HeaderRules(
        (*rules.all_subgraphs, *last),
        {name: (*own, *last) for name, own in rules.subgraphs.items()},
    )
