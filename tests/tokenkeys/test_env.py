"""tokenkeys.env: the key variables, read once for the gateway, the subgraphs and the CLI."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec

from tokenkeys import env
from tokenkeys.env import KeyConfigError, key_config
from tokenkeys.jwks import JwksKeys
from tokenkeys.verification import DEV_SECRET, StaticKeys

from .keys import ed_key, es_key, private_pem, public_pem, rsa_key, write_pair


def test_the_embedded_default_is_the_development_secret():
    config = key_config({})
    assert [(k.kid, k.secret, k.algorithm) for k in config.signing] == [
        ("default", DEV_SECRET, "HS256")
    ]
    assert config.sources == []


def test_a_private_key_file_signs_under_its_kid(tmp_path):
    private, _ = write_pair(tmp_path, "k1", ed_key())
    config = key_config({env.PRIVATE_KEY_FILE: str(private)})
    assert [(k.kid, k.algorithm) for k in config.signing] == [("k1", "EdDSA")]  # from the name
    named = key_config({env.PRIVATE_KEY_FILE: str(private), env.KID: "2026-01"})
    assert named.signing[0].kid == "2026-01"


def test_private_keys_rotate_the_first_signs(tmp_path):
    new, _ = write_pair(tmp_path, "new", rsa_key())
    old, _ = write_pair(tmp_path, "old", es_key())
    config = key_config({env.PRIVATE_KEYS: f"new={new},old={old}"})
    assert [(k.kid, k.algorithm) for k in config.signing] == [("new", "RS256"), ("old", "ES256")]


def test_asymmetric_keys_drop_the_development_secret(tmp_path):
    private, public = write_pair(tmp_path, "k1", ed_key())
    config = key_config({env.PRIVATE_KEY_FILE: str(private)})
    assert all(not key.is_shared_secret for key in config.signing)
    verify_only = key_config({env.PUBLIC_KEYS: f"k1={public}"})
    assert verify_only.signing == []
    assert isinstance(verify_only.sources[0], StaticKeys)
    # A secret that is configured on purpose still counts (a mixed migration period).
    mixed = key_config({env.PUBLIC_KEYS: f"k1={public}", env.SECRET: "s" * 32})
    assert [(k.kid, k.secret) for k in mixed.signing] == [("default", "s" * 32)]


def test_a_jwks_url_is_a_source(tmp_path):
    config = key_config({env.JWKS_URL: "http://member:8000/.well-known/jwks.json"})
    (source,) = config.sources
    assert isinstance(source, JwksKeys) and source.max_age == 300
    aged = key_config({env.JWKS_URL: "https://idp/jwks", env.JWKS_MAX_AGE: "60"})
    assert aged.sources[0].max_age == 60


def _bad(tmp_path) -> list[tuple[dict[str, str], str, str]]:
    private, public = write_pair(tmp_path, "k1", rsa_key())
    text = tmp_path / "text.pem"
    text.write_text("hello\n")
    odd = tmp_path / "odd.pem"
    odd.write_bytes(public_pem(es_key(ec.SECP256K1())))
    odd_private = tmp_path / "odd.private.pem"
    odd_private.write_bytes(private_pem(es_key(ec.SECP256K1())))
    return [
        ({env.KEYS: "no-equals-sign"}, env.KEYS, "kid=secret"),
        ({env.KEYS: "a=1,a=2"}, env.KEYS, "twice"),
        ({env.PUBLIC_KEYS: "k1"}, env.PUBLIC_KEYS, "kid=path"),
        ({env.PUBLIC_KEYS: f"k1={tmp_path / 'missing.pem'}"}, env.PUBLIC_KEYS, "cannot be read"),
        ({env.PUBLIC_KEYS: f"k1={text}"}, env.PUBLIC_KEYS, "not a PEM public key"),
        ({env.PUBLIC_KEYS: f"k1={private}"}, env.PUBLIC_KEYS, "holds a private key"),
        ({env.PUBLIC_KEYS: f"k1={odd}"}, env.PUBLIC_KEYS, "unsupported elliptic curve"),
        ({env.PRIVATE_KEY_FILE: str(public)}, env.PRIVATE_KEY_FILE, "holds a public key"),
        ({env.PRIVATE_KEY_FILE: str(text)}, env.PRIVATE_KEY_FILE, "not a PEM private key"),
        ({env.PRIVATE_KEY_FILE: str(odd_private)}, env.PRIVATE_KEY_FILE, "secp256k1"),
        ({env.PRIVATE_KEYS: f"k1={tmp_path}/nope"}, env.PRIVATE_KEYS, "cannot be read"),
        (
            {env.PRIVATE_KEYS: f"k1={private}", env.PRIVATE_KEY_FILE: str(private)},
            env.PRIVATE_KEYS,
            "not both",
        ),
        ({env.PRIVATE_KEY_FILE: str(private), env.KEYS: "k1=x"}, env.KEYS, "also a private"),
        ({env.JWKS_URL: "member:8000/jwks"}, env.JWKS_URL, "http:// or https://"),
        ({env.JWKS_URL: "http://m/j", env.JWKS_MAX_AGE: "soon"}, env.JWKS_MAX_AGE, "seconds"),
        ({env.JWKS_URL: "http://m/j", env.JWKS_MAX_AGE: "0"}, env.JWKS_MAX_AGE, "above 0"),
    ]


def test_a_bad_value_is_one_line_naming_the_variable(tmp_path):
    for environ, variable, words in _bad(tmp_path):
        with pytest.raises(KeyConfigError) as raised:
            key_config(environ)
        message = str(raised.value)
        assert variable in message, (environ, message)
        assert words in message, (environ, message)
        assert "\n" not in message and "Traceback" not in message
