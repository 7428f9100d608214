"""Subgraphs answer the gateway only: a shared secret in the `x-brand-matrix-gateway` header.

`BRAND_MATRIX_GATEWAY_SECRET` holds the accepted secret(s), comma-separated so a secret
rotates without downtime (subgraphs accept "new,old", then the gateway sends "new", then "old"
is dropped); the gateway sends the first. Without it, a subgraph accepts every request (the
embedded `brand-matrix dev` and tests; `brand-matrix subgraph serve` warns).

`GatewayGuard(app, secrets)` wraps a subgraph's GraphQL endpoint: a request without a valid
secret gets HTTP 403 and one GraphQL error with `extensions.code` `GATEWAY_REQUIRED`, so
`_entities` and `_service` cannot be called around the gateway. Secrets are compared in
constant time (`hmac.compare_digest`).
"""

from __future__ import annotations

import hmac
import json
import os
from collections.abc import Iterable, Mapping
from typing import Any

from starlette.types import ASGIApp, Receive, Scope, Send

SECRET_ENV = "BRAND_MATRIX_GATEWAY_SECRET"
HEADER = "x-brand-matrix-gateway"
GATEWAY_REQUIRED = "GATEWAY_REQUIRED"
_HEADER_BYTES = HEADER.encode()


def parse_secrets(value: str | Iterable[str] | None) -> tuple[str, ...]:
    """The accepted secrets of "s1,s2" (or a list), blanks dropped, in order."""
    if value is None:
        return ()
    items = value.split(",") if isinstance(value, str) else list(value)
    return tuple(item.strip() for item in items if item and item.strip())


def secrets_from_env(environ: Mapping[str, str] | None = None) -> tuple[str, ...]:
    env = os.environ if environ is None else environ
    return parse_secrets(env.get(SECRET_ENV))


def is_valid(given: str | bytes | None, secrets: Iterable[str]) -> bool:
    """Does `given` equal one of `secrets`? Every secret is compared, in constant time."""
    if given is None:
        return False
    presented = given if isinstance(given, bytes) else given.encode()
    valid = False
    for secret in secrets:
        valid |= hmac.compare_digest(presented, secret.encode())
    return valid


_REFUSAL = json.dumps(
    {
        "data": None,
        "errors": [
            {
                "message": "this subgraph answers the Brand Matrix gateway only",
                "extensions": {"code": GATEWAY_REQUIRED},
            }
        ],
    }
).encode()


class GatewayGuard:
    """ASGI middleware: HTTP requests need a valid `x-brand-matrix-gateway` header."""

    def __init__(self, app: ASGIApp, secrets: Iterable[str]) -> None:
        self.app = app
        self.secrets = parse_secrets(list(secrets))
        if not self.secrets:
            raise ValueError("a gateway guard needs at least one secret")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "websocket" and not self._allowed(scope):
            await send({"type": "websocket.close", "code": 1008})  # policy violation
            return
        if scope["type"] == "http" and not self._allowed(scope):
            await send(
                {
                    "type": "http.response.start",
                    "status": 403,
                    "headers": [
                        (b"content-type", b"application/json"),
                        (b"content-length", str(len(_REFUSAL)).encode()),
                    ],
                }
            )
            await send({"type": "http.response.body", "body": _REFUSAL})
            return
        await self.app(scope, receive, send)

    def _allowed(self, scope: Scope) -> bool:
        given: Any = None
        for name, value in scope.get("headers") or ():
            if name.lower() == _HEADER_BYTES:
                given = value
                break
        return is_valid(given, self.secrets)
