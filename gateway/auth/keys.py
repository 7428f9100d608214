"""The gateway's readings of the key environment (the keys themselves are `tokenkeys`, shared
with the subgraphs).

`hs256_keys_from_env` reads the same shared secrets the subgraphs sign with
(`BRAND_MATRIX_JWT_KEYS`, else `BRAND_MATRIX_JWT_SECRET` under kid "default", else the
development secret); `signing_key_from_env` the key `brand-matrix token issue` signs with.
"""

from __future__ import annotations

from collections.abc import Mapping

from tokenkeys import env as _env
from tokenkeys.signing import SigningKey
from tokenkeys.verification import StaticKeys, hs256_keys


def hs256_keys_from_env(environ: Mapping[str, str] | None = None) -> StaticKeys:
    """The embedded default: the same secrets the group's subgraphs sign and verify with."""
    return hs256_keys(_env.hs256_secrets(environ))


def signing_key_from_env(environ: Mapping[str, str] | None = None) -> SigningKey:
    """The key the subgraphs' issuer signs with: the first private key, else the first shared
    secret (ValueError, one line, for a bad variable)."""
    return _env.key_config(environ).signing[0]
