"""The keys of the environment, read once here for the gateway, the subgraphs and the CLI.

Shared secrets (HS256, the embedded default):
  BRAND_MATRIX_JWT_SECRET          one secret, kid "default"
  BRAND_MATRIX_JWT_KEYS            "kid1=secret1,kid2=secret2": the first signs, all verify
Signing with a private key (the member subgraph, `brand-matrix token issue`):
  BRAND_MATRIX_JWT_PRIVATE_KEY_FILE   a PEM private key (RS256, ES256 or EdDSA) ...
  BRAND_MATRIX_JWT_KID                ... and its kid (default: the file name before the
                                      first ".", so keygen's `k1.private.pem` is "k1")
  BRAND_MATRIX_JWT_PRIVATE_KEYS       or "kid1=path1,kid2=path2": the first signs, every one's
                                      public key verifies and is published (rotation)
Verifying with public keys (every subgraph; named as the gateway's `[auth] public_keys`,
`jwks_url`, `jwks_max_age`):
  BRAND_MATRIX_JWT_PUBLIC_KEYS     "kid1=path1,kid2=path2": PEM public keys
  BRAND_MATRIX_JWT_JWKS_URL        a JWKS URL (e.g. the member subgraph's
                                   /.well-known/jwks.json), cached, refreshed on an unknown kid
  BRAND_MATRIX_JWT_JWKS_MAX_AGE    seconds its keys are reused (default 300)

Once any private key, public key or JWKS URL is configured, shared secrets are accepted only
when BRAND_MATRIX_JWT_SECRET / _KEYS are set: the well-known development secret never is.
A bad value is a `KeyConfigError` (a ValueError) of one line naming the variable.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path

from tokenkeys.jwks import JwksKeys
from tokenkeys.signing import SigningKey, private_key_file
from tokenkeys.verification import (
    DEFAULT_KID,
    DEV_SECRET,
    KeySource,
    StaticKeys,
    public_key,
    read_pem,
)

SECRET = "BRAND_MATRIX_JWT_SECRET"
KEYS = "BRAND_MATRIX_JWT_KEYS"
PRIVATE_KEY_FILE = "BRAND_MATRIX_JWT_PRIVATE_KEY_FILE"
KID = "BRAND_MATRIX_JWT_KID"
PRIVATE_KEYS = "BRAND_MATRIX_JWT_PRIVATE_KEYS"
PUBLIC_KEYS = "BRAND_MATRIX_JWT_PUBLIC_KEYS"
JWKS_URL = "BRAND_MATRIX_JWT_JWKS_URL"
JWKS_MAX_AGE = "BRAND_MATRIX_JWT_JWKS_MAX_AGE"
ALL = (SECRET, KEYS, PRIVATE_KEY_FILE, KID, PRIVATE_KEYS, PUBLIC_KEYS, JWKS_URL, JWKS_MAX_AGE)


class KeyConfigError(ValueError):
    """A key variable that cannot be used; the message is one line naming it."""


@dataclass(frozen=True)
class KeyConfig:
    """`signing`: the first signs, all verify; `sources`: further verification keys."""

    signing: list[SigningKey] = field(default_factory=list)
    sources: list[KeySource] = field(default_factory=list)


def _env(environ: Mapping[str, str] | None) -> Mapping[str, str]:
    return os.environ if environ is None else environ


def _pairs(name: str, value: str, what: str) -> dict[str, str]:
    """{kid: value} of "kid1=v1,kid2=v2"; blanks between commas are skipped."""
    out: dict[str, str] = {}
    for item in value.split(","):
        if not item.strip():
            continue  # a trailing or doubled comma
        kid, sep, rest = (part.strip() for part in item.partition("="))
        if not sep or not kid or not rest:
            raise KeyConfigError(f"{name} must read 'kid={what}[,kid={what}...]'")
        if kid in out:  # a silent overwrite would sign or verify with the wrong key
            raise KeyConfigError(f"{name} lists key {kid!r} twice")
        out[kid] = rest
    if not out:
        raise KeyConfigError(f"{name} must read 'kid={what}[,kid={what}...]'")
    return out


def shared_secrets(environ: Mapping[str, str] | None = None) -> dict[str, str] | None:
    """The configured HS256 secrets by kid; None when neither variable is set."""
    env = _env(environ)
    listed = env.get(KEYS, "").strip()
    if listed:
        return _pairs(KEYS, listed, "secret")
    secret = env.get(SECRET)
    return {DEFAULT_KID: secret} if secret else None


def hs256_secrets(
    environ: Mapping[str, str] | None = None, *, beside_keys: bool = False
) -> dict[str, str]:
    """The configured secrets, else the development secret under kid "default" — but never
    `beside_keys` (private, public or JWKS keys configured): the development secret is in the
    source code, so accepting it next to real keys would let anyone mint tokens."""
    configured = shared_secrets(environ)
    if configured is not None:
        return configured
    return {} if beside_keys else {DEFAULT_KID: DEV_SECRET}


def private_keys(environ: Mapping[str, str] | None = None) -> list[SigningKey]:
    """The configured private keys, the signing one first ([] when none)."""
    env = _env(environ)
    listed = env.get(PRIVATE_KEYS, "").strip()
    single = env.get(PRIVATE_KEY_FILE, "").strip()
    if listed and single:
        raise KeyConfigError(f"set {PRIVATE_KEYS} or {PRIVATE_KEY_FILE}, not both")
    if single:
        kid = env.get(KID, "").strip() or Path(single).name.split(".")[0]
        if not kid:
            raise KeyConfigError(f"{KID} must name the kid of {PRIVATE_KEY_FILE}")
        paths = {kid: single}
        name = PRIVATE_KEY_FILE
    elif listed:
        paths = _pairs(PRIVATE_KEYS, listed, "path")
        name = PRIVATE_KEYS
    else:
        return []
    keys = []
    for kid, path in paths.items():
        try:
            keys.append(private_key_file(path, kid=kid))
        except ValueError as error:
            raise KeyConfigError(f"{name}: {error}") from None
    return keys


def public_keys(environ: Mapping[str, str] | None = None) -> StaticKeys | None:
    env = _env(environ)
    listed = env.get(PUBLIC_KEYS, "").strip()
    if not listed:
        return None
    keys = []
    for kid, path in _pairs(PUBLIC_KEYS, listed, "path").items():
        try:
            keys.append(public_key(read_pem(path), kid=kid, source=path))
        except ValueError as error:
            raise KeyConfigError(f"{PUBLIC_KEYS}: {error}") from None
    return StaticKeys(keys)


def jwks(environ: Mapping[str, str] | None = None) -> JwksKeys | None:
    env = _env(environ)
    url = env.get(JWKS_URL, "").strip()
    if not url:
        return None
    if not url.startswith(("http://", "https://")) or len(url) <= len("https://"):
        raise KeyConfigError(f"{JWKS_URL} must be an http:// or https:// URL, not {url!r}")
    raw = env.get(JWKS_MAX_AGE, "").strip() or "300"
    try:
        max_age = float(raw)
    except ValueError:
        max_age = -1.0
    if not max_age > 0:
        raise KeyConfigError(f"{JWKS_MAX_AGE} must be a number of seconds above 0, not {raw!r}")
    return JwksKeys(url, max_age=max_age)


def key_config(environ: Mapping[str, str] | None = None) -> KeyConfig:
    """Everything above: signing keys (private keys first, then shared secrets) and the
    further verification sources (public keys, JWKS)."""
    signers = private_keys(environ)
    sources: list[KeySource] = [s for s in (public_keys(environ), jwks(environ)) if s]
    secrets = hs256_secrets(environ, beside_keys=bool(signers or sources))
    for kid, secret in secrets.items():
        if any(key.kid == kid for key in signers):
            raise KeyConfigError(f"{KEYS}: kid {kid!r} is also a private key's kid")
        signers.append(SigningKey(kid, secret))
    return KeyConfig(signers, sources)
