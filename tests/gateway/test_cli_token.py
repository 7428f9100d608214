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
    assert claims.roles == {"editor", "pricing"} and claims.scopes == {"catalogue:write"}
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
    require_operator(operator)
    service = subgraph_verify(
        KeyRing.from_env(),
        issue(capsys, "--kind", "service", "--subject", "relay", "--scope", "member:read"),
    )
    require_service(service, "member:read")


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
