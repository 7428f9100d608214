"""Gateway authentication (access tokens) and authorization (access directives)."""

from gateway.auth.control import (
    AccessControl,
    Caller,
    GatewayAuth,
    PolicyContext,
    PolicyFunction,
)
from gateway.auth.filtering import UNAUTHORIZED_CODE, AccessDecision
from gateway.auth.keys import hs256_keys_from_env
from gateway.auth.verifier import TokenError, TokenVerifier
from tokenkeys.jwks import JwksKeys
from tokenkeys.verification import (
    StaticKeys,
    VerificationKey,
    hs256_keys,
    pem_file_keys,
    public_key,
)

__all__ = [
    "UNAUTHORIZED_CODE",
    "AccessControl",
    "AccessDecision",
    "Caller",
    "GatewayAuth",
    "JwksKeys",
    "PolicyContext",
    "PolicyFunction",
    "StaticKeys",
    "TokenError",
    "TokenVerifier",
    "VerificationKey",
    "hs256_keys",
    "hs256_keys_from_env",
    "pem_file_keys",
    "public_key",
]
