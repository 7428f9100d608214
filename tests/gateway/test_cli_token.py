"""`brand-matrix token issue` (gateway/cli_token.py, gateway/auth/issue.py): tokens for staff,
operators and services, signed with the key ring of the environment, accepted by the subgraphs
and by the gateway alike."""

from __future__ import annotations

import asyncio

import jwt
import pytest

from gateway.auth.keys import hs256_keys_from_env
from gateway.auth.verifier import TokenVerifier
from gateway.cli import main
from subgraphs.common.auth import KeyRing, require_operator, require_service, require_staff
from subgraphs.common.auth import verify_token as subgraph_verify
from tests.gateway.test_cli import one_error_line


@pytest.fixture(autouse=True)
def keys(monkeypatch):
    monkeypatch.delenv("BRAND_MATRIX_JWT_SECRET", raising=False)
    monkeypatch.setenv(
        "BRAND_MATRIX_JWT_KEYS",
        "k2=new-secret-thirty-two-bytes-long-at-least,k1=old-secret-thirty-two-bytes-long-too",
    )


def issue(capsys, *argv: str) -> str:
    assert main(["token", "issue", *argv]) == 0
    out = capsys.readouterr().out.strip()
    assert "\n" not in out
    return out


def test_a_staff_token_verifies_in_the_subgraphs_and_at_the_gateway(capsys):
    token = issue(
        capsys, "--kind", "staff", "--subject", "st-1", "--brand", "lumen",
        "--role", "editor", "--role", "pricing", "--scope", "catalogue:write", "--ttl", "600",
    )  # fmt: skip
    assert jwt.get_unverified_header(token)["kid"] == "k2"  # the first key signs
    claims = subgraph_verify(KeyRing.from_env(), token)
    assert (claims.subject, claims.kind, claims.brand) == ("st-1", "staff", "lumen")
    assert claims.roles == {"editor", "pricing"}
    # the kind is a scope too: the gateway's @requiresScopes reads scopes, not kind
    assert claims.scopes == {"catalogue:write", "staff"}
    assert claims.token_id and claims.expires_at
    require_staff(claims, "lumen")
    with pytest.raises(Exception, match="staff of brand 'vitalis'"):
        require_staff(claims, "vitalis")
    verified = asyncio.run(TokenVerifier([hs256_keys_from_env()]).verify(token))
    assert verified["kind"] == "staff" and verified["brand"] == "lumen"
    assert verified["exp"] - verified["iat"] == 600
    assert {"iss", "aud", "sub", "kind", "scopes", "roles", "iat", "exp", "jti"} <= set(verified)


def test_operator_and_service_tokens(capsys):
    operator = subgraph_verify(KeyRing.from_env(), issue(capsys, "--kind", "operator",
                                                         "--subject", "ops-1"))  # fmt: skip
    assert operator.kind == "operator" and operator.brand is None
    assert operator.scopes == {"operator"}
    require_operator(operator)
    service = subgraph_verify(
        KeyRing.from_env(),
        issue(capsys, "--kind", "service", "--subject", "relay", "--scope", "member:read"),
    )
    require_service(service, "member:read")
    assert service.scopes == {"member:read", "service"}


def test_a_token_signed_with_the_single_secret_uses_kid_default(capsys, monkeypatch):
    monkeypatch.delenv("BRAND_MATRIX_JWT_KEYS")
    monkeypatch.setenv("BRAND_MATRIX_JWT_SECRET", "only-secret-thirty-two-bytes-long-at-least")
    token = issue(capsys, "--kind", "operator", "--subject", "ops")
    assert jwt.get_unverified_header(token)["kid"] == "default"
    assert subgraph_verify(KeyRing.from_env(), token).kind == "operator"


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--kind", "staff", "--subject", "s"], "needs --brand"),
        (["--kind", "member", "--subject", "m"], "unknown kind 'member'"),
        (["--kind", "boss", "--subject", "b"], "unknown kind 'boss'"),
        (["--subject", "s"], "give --kind"),
        (["--kind", "operator"], "give --subject"),
        (["--kind", "operator", "--subject", "o", "--brand", "lumen"], "takes no --brand"),
        (["--kind", "staff", "--subject", "s", "--brand", "Lumen!"], "not a brand id"),
        (["--kind", "service", "--subject", "svc"], "needs at least one --scope"),
        (["--kind", "operator", "--subject", "o", "--ttl", "0"], "--ttl must be between"),
        (["--kind", "operator", "--subject", "o", "--ttl", "soon"], "number of seconds"),
        (["--kind", "operator", "--subject", "a b"], "is not an id"),
        (["--kind", "operator", "--subject", "o", "--role", "x y"], "role 'x y'"),
        # a scope naming another kind would pass the gateway where the subgraphs refuse
        (["--kind", "operator", "--subject", "o", "--scope", "staff"], "cannot carry the scope"),
        (["--kind", "service", "--subject", "svc", "--scope", "member"], "scope 'member'"),
    ],
)
def test_bad_input_is_one_line_with_exit_2(capsys, argv, message):
    assert main(["token", "issue", *argv]) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert message in one_error_line(captured.err)


def test_a_bad_key_ring_is_one_line(capsys, monkeypatch):
    monkeypatch.setenv("BRAND_MATRIX_JWT_KEYS", "no-equals-sign")
    assert main(["token", "issue", "--kind", "operator", "--subject", "o"]) == 2
    assert "BRAND_MATRIX_JWT_KEYS" in one_error_line(capsys.readouterr().err)


# --- token keygen, and issue with a private key ----------------------------------------------


@pytest.mark.parametrize("algorithm", ["RS256", "ES256", "EdDSA"])
def test_keygen_output_signs_with_issue(capsys, monkeypatch, tmp_path, algorithm):
    import stat

    from tokenkeys.verification import pem_file_keys

    keygen = ["token", "keygen", "--algorithm", algorithm, "--kid", "ops-1", "--out", str(tmp_path)]
    assert main(keygen) == 0
    assert "ops-1.private.pem" in capsys.readouterr().out
    private, public = tmp_path / "ops-1.private.pem", tmp_path / "ops-1.public.pem"
    assert stat.S_IMODE(private.stat().st_mode) == 0o600
    monkeypatch.setenv("BRAND_MATRIX_JWT_PRIVATE_KEY_FILE", str(private))
    token = issue(capsys, "--kind", "operator", "--subject", "ops-1")
    assert jwt.get_unverified_header(token) == {"alg": algorithm, "kid": "ops-1", "typ": "JWT"}
    subgraph = KeyRing.from_env({"BRAND_MATRIX_JWT_PUBLIC_KEYS": f"ops-1={public}"})
    assert subgraph_verify(subgraph, token).kind == "operator"
    verified = asyncio.run(TokenVerifier([pem_file_keys({"ops-1": public})]).verify(token))
    assert verified["sub"] == "ops-1"
    # The shared secrets no longer verify what the private key signed.
    with pytest.raises(Exception, match="unknown key"):
        subgraph_verify(KeyRing.from_env({"BRAND_MATRIX_JWT_SECRET": "s" * 32}), token)


def test_keygen_never_overwrites_and_bad_input_is_one_line(capsys, tmp_path):
    out = ["--out", str(tmp_path)]
    argv = ["--algorithm", "EdDSA", "--kid", "k1", *out]
    assert main(["token", "keygen", *argv]) == 0
    before = (tmp_path / "k1.private.pem").read_bytes()
    capsys.readouterr()
    for bad, words in [
        (argv, "exists already"),
        (["--algorithm", "HS256", "--kid", "k2", *out], "RS256, ES256, EdDSA"),
        (["--algorithm", "EdDSA", *out], "--kid"),
        (["--algorithm", "EdDSA", "--kid", "a/b", *out], "kid"),
    ]:
        assert main(["token", "keygen", *bad]) == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert words in one_error_line(captured.err)
    assert (tmp_path / "k1.private.pem").read_bytes() == before


def test_issue_with_a_bad_private_key_file_is_one_line(capsys, monkeypatch, tmp_path):
    (tmp_path / "k.pem").write_text("not a key\n")
    monkeypatch.setenv("BRAND_MATRIX_JWT_PRIVATE_KEY_FILE", str(tmp_path / "k.pem"))
    assert main(["token", "issue", "--kind", "operator", "--subject", "o"]) == 2
    line = one_error_line(capsys.readouterr().err)
    assert "BRAND_MATRIX_JWT_PRIVATE_KEY_FILE" in line and "not a PEM private key" in line
