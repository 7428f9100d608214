"""Gateway authentication (access tokens) and authorization (access directives)."""

from gateway.auth.control import (
    AccessControl,
    Caller,
    GatewayAuth,
    PolicyContext,
    PolicyFunction,
)
from gateway.auth.filtering import UNAUTHORIZED_CODE, AccessDecision
from gateway.auth.jwks import JwksKeys
from gateway.auth.keys import (
    StaticKeys,
    VerificationKey,
    hs256_keys,
    hs256_keys_from_env,
    pem_file_keys,
    public_key,
)
from gateway.auth.verifier import TokenError, TokenVerifier

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
