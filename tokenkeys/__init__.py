"""Token keys, shared by the gateway and the subgraphs (neither imports the other, both import
this): verification keys (HS256 secrets, PEM public keys), a JWKS source, signing keys (a
secret or a PEM private key), the environment variables that configure them (`tokenkeys.env`,
whose docstring lists them) and a JWKS document of public keys (`tokenkeys.publish`).
"""

from tokenkeys.env import KeyConfig, KeyConfigError, key_config
from tokenkeys.jwks import JwksKeys, parse_jwks
from tokenkeys.publish import jwks_document
from tokenkeys.signing import SigningKey, private_key, write_key_pair
from tokenkeys.verification import (
    DEFAULT_KID,
    DEV_SECRET,
    KeySource,
    StaticKeys,
    VerificationKey,
    algorithm_for,
    hs256_keys,
    matching,
    pem_file_keys,
    public_key,
)

__all__ = [
    "DEFAULT_KID",
    "DEV_SECRET",
    "JwksKeys",
    "KeyConfig",
    "KeyConfigError",
    "KeySource",
    "SigningKey",
    "StaticKeys",
    "VerificationKey",
    "algorithm_for",
    "hs256_keys",
    "jwks_document",
    "key_config",
    "matching",
    "parse_jwks",
    "pem_file_keys",
    "private_key",
    "public_key",
    "write_key_pair",
]
