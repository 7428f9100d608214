from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time

import jwt
import pytest

from subgraphs.common import auth
from subgraphs.common.auth import (
    FORBIDDEN,
    UNAUTHENTICATED,
    AuthError,
    Claims,
    KeyRing,
    SigningKey,
    claims_from_headers,
    issue_token,
    require_member,
    require_operator,
    require_self,
    require_service,
    require_staff,
    verify_token,
)

OLD = SigningKey("k2024", "an-old-secret-that-is-long-enough-for-hs256!!")
NEW = SigningKey("k2025", "a-new-secret-that-is-also-long-enough-for-hs256")


@pytest.fixture
def ring() -> KeyRing:
    return KeyRing([NEW])


def refused(call, code: str = UNAUTHENTICATED) -> AuthError:
    with pytest.raises(AuthError) as caught:
        call()
    assert caught.value.code == code
    assert caught.value.extensions == {"code": code}
    return caught.value


# --- issue and verify ---------------------------------------------------------------------------


def test_round_trip(ring):
    token = issue_token(
        ring,
        subject="mbr_1",
        kind="member",
        brand="lumen",
        scopes=["b", "a", "a"],
        roles=["vip"],
    )
    claims = verify_token(ring, token)
    assert claims.subject == "mbr_1"
    assert claims.kind == "member"
    assert claims.brand == "lumen"
    assert claims.scopes == frozenset({"a", "b", "member"})  # the kind is a scope too
    assert claims.roles == frozenset({"vip"})
    assert claims.token_id and claims.expires_at is not None
    assert abs(claims.expires_at - (time.time() + auth.DEFAULT_ACCESS_TTL)) < 5
    assert jwt.get_unverified_header(token)["kid"] == NEW.kid


def test_each_token_has_its_own_id(ring):
    first = verify_token(ring, issue_token(ring, subject="s", kind="service"))
    second = verify_token(ring, issue_token(ring, subject="s", kind="service"))
    assert first.token_id != second.token_id
    assert first.brand is None


def test_unknown_kind_is_not_issued(ring):
    with pytest.raises(ValueError, match="kind"):
        issue_token(ring, subject="x", kind="admin")


def test_expired_token(ring):
    token = issue_token(ring, subject="mbr_1", kind="member", ttl_seconds=60, now=time.time() - 120)
    error = refused(lambda: verify_token(ring, token))
    assert "expired" in error.message


def test_expiry_has_a_small_leeway_only(ring):
    # expired 2 s ago: within the leeway; 30 s ago: refused
    token = issue_token(ring, subject="m", kind="member", ttl_seconds=60, now=time.time() - 62)
    assert verify_token(ring, token).subject == "m"
    token = issue_token(ring, subject="m", kind="member", ttl_seconds=60, now=time.time() - 90)
    refused(lambda: verify_token(ring, token))


def test_wrong_audience(ring):
    token = issue_token(ring, subject="m", kind="member", audience="someone-else")
    refused(lambda: verify_token(ring, token))
    assert verify_token(ring, token, audience="someone-else").subject == "m"


def test_wrong_issuer(ring):
    now = int(time.time())
    payload = {"iss": "evil", "aud": auth.AUDIENCE, "sub": "m", "kind": "member"}
    token = ring.sign({**payload, "iat": now, "exp": now + 60})
    error = refused(lambda: verify_token(ring, token))
    assert "issuer" in error.message.lower()


def test_missing_required_claim(ring):
    now = int(time.time())
    token = ring.sign({"iss": auth.ISSUER, "aud": auth.AUDIENCE, "kind": "member", "iat": now})
    refused(lambda: verify_token(ring, token))  # no exp, no sub


def test_token_without_a_valid_kind(ring):
    now = int(time.time())
    base = {"iss": auth.ISSUER, "aud": auth.AUDIENCE, "sub": "m", "iat": now, "exp": now + 60}
    for kind in (None, "admin", ["member"]):
        payload = dict(base) if kind is None else {**base, "kind": kind}
        refused(lambda payload=payload: verify_token(ring, ring.sign(payload)))


def test_tampered_signature(ring):
    token = issue_token(ring, subject="mbr_1", kind="member")
    head, body, signature = token.split(".")
    flipped = signature[:-2] + ("AA" if signature[-2:] != "AA" else "BB")
    refused(lambda: verify_token(ring, f"{head}.{body}.{flipped}"))


def test_tampered_payload(ring):
    token = issue_token(ring, subject="mbr_1", kind="member")
    head, _body, signature = token.split(".")
    forged = jwt.decode(token, options={"verify_signature": False})
    forged["kind"] = "operator"
    body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()
    refused(lambda: verify_token(ring, f"{head}.{body}.{signature}"))


def test_signed_with_another_secret_under_a_known_kid(ring):
    impostor = KeyRing([SigningKey(NEW.kid, "a-different-secret-of-sufficient-length-here")])
    refused(lambda: verify_token(ring, issue_token(impostor, subject="m", kind="member")))


def test_unsigned_token_is_refused(ring):
    now = int(time.time())
    payload = {"iss": auth.ISSUER, "aud": auth.AUDIENCE, "sub": "m", "kind": "operator"}
    token = jwt.encode(
        {**payload, "iat": now, "exp": now + 60}, None, algorithm="none", headers={"kid": NEW.kid}
    )
    refused(lambda: verify_token(ring, token))


def test_unknown_kid(ring):
    other = KeyRing([SigningKey("elsewhere", NEW.secret)])
    error = refused(lambda: verify_token(ring, issue_token(other, subject="m", kind="member")))
    assert "unknown key" in error.message


def hand_signed(header: dict, payload: dict, secret: str) -> str:
    """A HS256 token built by hand (PyJWT refuses to encode some odd headers)."""

    def part(data: bytes) -> str:
        return base64.urlsafe_b64encode(data).rstrip(b"=").decode()

    signing_input = f"{part(json.dumps(header).encode())}.{part(json.dumps(payload).encode())}"
    digest = hmac.new(secret.encode(), signing_input.encode(), hashlib.sha256).digest()
    return f"{signing_input}.{part(digest)}"


def valid_payload(**changes) -> dict:
    now = int(time.time())
    payload = {"iss": auth.ISSUER, "aud": auth.AUDIENCE, "sub": "m", "kind": "member"}
    return {**payload, "iat": now, "exp": now + 60, **changes}


def test_hand_signed_tokens_verify(ring):
    token = hand_signed({"alg": "HS256", "typ": "JWT", "kid": NEW.kid}, valid_payload(), NEW.secret)
    assert verify_token(ring, token).subject == "m"


@pytest.mark.parametrize("kid", [["k2025"], {"a": 1}, 7, None])
def test_odd_kid_headers_are_refused_not_crashing(ring, kid):
    header = {"alg": "HS256", "typ": "JWT"} | ({} if kid is None else {"kid": kid})
    refused(lambda: verify_token(ring, hand_signed(header, valid_payload(), NEW.secret)))


@pytest.mark.parametrize("header", [[1, 2], "text", {"alg": "HS512", "kid": "k2025"}])
def test_odd_headers_are_refused(ring, header):
    refused(lambda: verify_token(ring, hand_signed(header, valid_payload(), NEW.secret)))


def test_a_payload_that_is_not_an_object_is_refused(ring):
    header = {"alg": "HS256", "kid": NEW.kid}
    refused(lambda: verify_token(ring, hand_signed(header, ["m"], NEW.secret)))  # type: ignore[arg-type]


@pytest.mark.parametrize("token", ["", "garbage", "a.b.c", "x" * 5000, "...."])
def test_malformed_tokens(ring, token):
    refused(lambda: verify_token(ring, token))


# --- key rotation -------------------------------------------------------------------------------


def test_key_rotation():
    before = KeyRing([OLD])
    old_token = issue_token(before, subject="m", kind="member")

    during = KeyRing([OLD, NEW], active=NEW.kid)  # the new key signs, both verify
    new_token = issue_token(during, subject="m", kind="member")
    assert jwt.get_unverified_header(new_token)["kid"] == NEW.kid
    assert verify_token(during, old_token).subject == "m"
    assert verify_token(during, new_token).subject == "m"
    refused(lambda: verify_token(before, new_token))  # a replica not yet rotated

    after = KeyRing([NEW])  # the old key dropped
    assert verify_token(after, new_token).subject == "m"
    refused(lambda: verify_token(after, old_token))


def test_key_ring_validation():
    with pytest.raises(ValueError):
        KeyRing([])
    with pytest.raises(ValueError, match="not in the ring"):
        KeyRing([OLD], active=NEW.kid)
    assert KeyRing([OLD, NEW]).active == OLD.kid


# --- configuration from the environment ---------------------------------------------------------


def test_from_env_default_is_the_development_secret():
    ring = KeyRing.from_env({})
    assert [(k.kid, k.secret) for k in ring.keys.values()] == [("default", auth.DEV_SECRET)]


def test_from_env_secret():
    secret = "s" * 40
    ring = KeyRing.from_env({"BRAND_MATRIX_JWT_SECRET": secret})
    assert ring.keys[ring.active].secret == secret
    token = issue_token(ring, subject="m", kind="member")
    refused(lambda: verify_token(KeyRing.from_env({}), token))


def test_from_env_keys_first_is_active():
    ring = KeyRing.from_env(
        {"BRAND_MATRIX_JWT_KEYS": f" new = {NEW.secret} ,old={OLD.secret}==,", "X": "y"}
    )
    assert ring.active == "new"
    assert ring.keys["new"].secret == NEW.secret  # whitespace around kid and secret dropped
    assert ring.keys["old"].secret == OLD.secret + "=="  # '=' may appear in a secret
    old_only = KeyRing.from_env({"BRAND_MATRIX_JWT_KEYS": f"old={OLD.secret}=="})
    token = issue_token(old_only, subject="m", kind="member")
    assert verify_token(ring, token).subject == "m"


def test_from_env_keys_win_over_the_secret():
    ring = KeyRing.from_env(
        {"BRAND_MATRIX_JWT_KEYS": f"a={NEW.secret}", "BRAND_MATRIX_JWT_SECRET": OLD.secret}
    )
    assert list(ring.keys) == ["a"]


@pytest.mark.parametrize(
    "value",
    ["nokey", "=secret", "kid=", "a=secret-one,b", " , ", "a=x,a=y", "a = ", "a=s1,,=s2"],
)
def test_from_env_keys_errors(value):
    with pytest.raises(ValueError, match="BRAND_MATRIX_JWT_KEYS"):
        KeyRing.from_env({"BRAND_MATRIX_JWT_KEYS": value})


def test_from_env_reads_os_environ(monkeypatch):
    monkeypatch.setenv("BRAND_MATRIX_JWT_KEYS", f"env={NEW.secret}")
    assert KeyRing.from_env().active == "env"


# --- the Authorization header -------------------------------------------------------------------


def test_claims_from_headers(ring):
    token = issue_token(ring, subject="mbr_9", kind="member")
    assert claims_from_headers(ring, {}) is None
    assert claims_from_headers(ring, {"authorization": ""}) is None
    assert claims_from_headers(ring, {"authorization": f"Bearer {token}"}).subject == "mbr_9"
    assert claims_from_headers(ring, {"authorization": f"bearer  {token} "}).subject == "mbr_9"
    # a plain dict as written by hand keeps its capital letter
    assert claims_from_headers(ring, {"Authorization": f"Bearer {token}"}).subject == "mbr_9"


@pytest.mark.parametrize(
    "value", ["Basic dXNlcjpwYXNz", "Bearer", "Bearer   ", "Token abc", "garbage", "Bearer x.y.z"]
)
def test_claims_from_bad_headers(ring, value):
    refused(lambda: claims_from_headers(ring, {"authorization": value}))


# --- guards -------------------------------------------------------------------------------------


def claims(kind: str, subject: str = "x", brand: str | None = None, scopes=()) -> Claims:
    return Claims(subject=subject, kind=kind, brand=brand, scopes=frozenset(scopes))


MEMBER = claims("member", "mbr_1", "lumen")
OTHER_MEMBER = claims("member", "mbr_2", "lumen")
STAFF_LUMEN = claims("staff", "st_1", "lumen")
STAFF_NO_BRAND = claims("staff", "st_2")
OPERATOR = claims("operator", "op_1", scopes=["erasure"])
SERVICE = claims("service", "order", scopes=["members:read"])


def test_every_guard_needs_claims():
    for guard in (
        require_member,
        lambda c: require_self(c, "mbr_1"),
        lambda c: require_staff(c, "lumen"),
        require_operator,
        lambda c: require_service(c, "members:read"),
    ):
        refused(lambda guard=guard: guard(None), UNAUTHENTICATED)


def test_require_member():
    assert require_member(MEMBER) is MEMBER
    for other in (STAFF_LUMEN, OPERATOR, SERVICE):
        refused(lambda other=other: require_member(other), FORBIDDEN)


def test_require_self():
    assert require_self(MEMBER, "mbr_1") is MEMBER
    refused(lambda: require_self(OTHER_MEMBER, "mbr_1"), FORBIDDEN)
    for other in (STAFF_LUMEN, OPERATOR, SERVICE):
        refused(lambda other=other: require_self(other, "mbr_1"), FORBIDDEN)
    # a service with the named scope may act for the member; without it, or unnamed, not
    assert require_self(SERVICE, "mbr_1", allow_service="members:read") is SERVICE
    refused(lambda: require_self(SERVICE, "mbr_1", allow_service="members:write"), FORBIDDEN)
    # the scope is for services only: a member with it is still only themself
    scoped_member = claims("member", "mbr_2", scopes=["members:read"])
    refused(lambda: require_self(scoped_member, "mbr_1", allow_service="members:read"), FORBIDDEN)
    # a service named like the member is not the member
    refused(lambda: require_self(claims("service", "mbr_1"), "mbr_1"), FORBIDDEN)


def test_require_staff():
    assert require_staff(STAFF_LUMEN, "lumen") is STAFF_LUMEN
    assert require_staff(OPERATOR, "lumen") is OPERATOR
    assert require_staff(OPERATOR, None) is OPERATOR
    refused(lambda: require_staff(STAFF_LUMEN, "vitalis"), FORBIDDEN)
    refused(lambda: require_staff(STAFF_LUMEN, None), FORBIDDEN)
    refused(lambda: require_staff(STAFF_NO_BRAND, None), FORBIDDEN)
    refused(lambda: require_staff(MEMBER, "lumen"), FORBIDDEN)  # a member of the brand
    refused(lambda: require_staff(claims("service", brand="lumen"), "lumen"), FORBIDDEN)


def test_require_operator():
    assert require_operator(OPERATOR) is OPERATOR
    for other in (MEMBER, STAFF_LUMEN, SERVICE):
        refused(lambda other=other: require_operator(other), FORBIDDEN)


def test_require_service():
    assert require_service(SERVICE, "members:read") is SERVICE
    assert require_service(OPERATOR, "erasure") is OPERATOR
    refused(lambda: require_service(SERVICE, "members:write"), FORBIDDEN)
    refused(lambda: require_service(OPERATOR, "members:read"), FORBIDDEN)
    refused(lambda: require_service(claims("member", scopes=["members:read"]), "members:read"),
            FORBIDDEN)  # fmt: skip
    refused(lambda: require_service(claims("staff", scopes=["members:read"]), "members:read"),
            FORBIDDEN)  # fmt: skip


def test_guards_through_real_tokens(ring):
    token = issue_token(ring, subject="order", kind="service", scopes=["members:read"])
    service = claims_from_headers(ring, {"authorization": f"Bearer {token}"})
    assert require_service(service, "members:read").subject == "order"
    assert require_self(service, "mbr_7", allow_service="members:read") is service
