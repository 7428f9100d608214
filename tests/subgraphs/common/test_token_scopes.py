"""Tokens carry their kind as a scope (`kind_scopes`), so the gateway's `@requiresScopes` can
tell members, staff, operators and services apart; another kind's name is refused."""

from __future__ import annotations

import pytest

from subgraphs.common.auth import KeyRing, issue_token, kind_scopes, verify_token

RING = KeyRing.from_env({"BRAND_MATRIX_JWT_SECRET": "a-secret-of-thirty-two-bytes-at-least-ok"})


@pytest.mark.parametrize("kind", ["member", "staff", "operator", "service"])
def test_the_kind_is_always_a_scope(kind: str) -> None:
    token = issue_token(RING, subject="s", kind=kind, scopes=["loyalty:earn"])
    assert verify_token(RING, token).scopes == {"loyalty:earn", kind}


def test_scopes_stay_sorted_and_unique() -> None:
    assert kind_scopes("staff", ["b", "staff", "a", "b"]) == ["a", "b", "staff"]


@pytest.mark.parametrize(
    ("kind", "scope"),
    [("member", "staff"), ("staff", "operator"), ("service", "member"), ("operator", "service")],
)
def test_another_kinds_scope_is_refused(kind: str, scope: str) -> None:
    with pytest.raises(ValueError, match=f"cannot carry the scope '{scope}'"):
        issue_token(RING, subject="s", kind=kind, scopes=[scope])
