from __future__ import annotations

from datetime import timedelta

from subgraphs.common.auth import issue_token, verify_token
from subgraphs.member import sessions
from subgraphs.member.identity import Credentials
from subgraphs.member.models import BrandAccount, Member, RefreshToken, utcnow

from .conftest import RING, SIGN_IN, code, count, data, error, gql, sign_in

ME = "{ me { id unionId displayName brandAccounts { brand openId } } }"
REFRESH = (
    "mutation($t: String!) { refreshSession(refreshToken: $t) "
    "{ accessToken refreshToken newMember member { id unionId } } }"
)
SIGN_OUT = "mutation($t: String!) { signOut(refreshToken: $t) }"


async def test_first_sign_in_creates_the_member_and_issues_tokens(app):
    first = await sign_in(app, "oUnion1", "oLumen1", "lumen", name="Wang Fang")
    member = first["member"]
    assert first["newMember"] is True and member["id"].startswith("mbr_")
    assert ":" not in member["id"]
    assert member["unionId"] == "oUnion1" and member["displayName"] == "Wang Fang"
    assert member["brandAccounts"] == [{"brand": "lumen", "openId": "oLumen1"}]
    assert first["expiresIn"] == 15 * 60
    claims = verify_token(RING, first["accessToken"])
    assert (claims.subject, claims.kind, claims.brand) == (member["id"], "member", "lumen")
    assert "member" in claims.scopes
    me = (await data(app, ME, token=first["accessToken"]))["me"]
    assert me["id"] == member["id"] and me["unionId"] == "oUnion1"
    # Only the hash of the refresh token is kept.
    async with app.state.database.session() as session:
        rows = (await session.exec(RefreshToken.__table__.select())).all()
    assert len(rows) == 1
    assert rows[0].token_hash == sessions.hash_token(first["refreshToken"])
    assert first["refreshToken"] not in {str(v) for v in rows[0]}


async def test_sign_in_again_finds_the_member_and_another_brand_links_to_it(app):
    first = await sign_in(app, "oUnion1", "oLumen1", "lumen")
    again = await sign_in(app, "oUnion1", "oLumen1", "lumen")
    assert again["newMember"] is False and again["member"]["id"] == first["member"]["id"]
    linked = await sign_in(app, "oUnion1", "oAurora1", "aurora")
    assert linked["newMember"] is False and linked["member"]["id"] == first["member"]["id"]
    assert linked["member"]["brandAccounts"] == [
        {"brand": "lumen", "openId": "oLumen1"},
        {"brand": "aurora", "openId": "oAurora1"},
    ]
    assert verify_token(RING, linked["accessToken"]).brand == "aurora"
    other = await sign_in(app, "oUnion2", "oLumen2", "lumen")
    assert other["newMember"] is True and other["member"]["id"] != first["member"]["id"]
    assert (await count(app, Member), await count(app, BrandAccount)) == (2, 3)


async def test_an_open_id_of_another_union_id_is_refused(app):
    await sign_in(app, "oUnion1", "oLumen1", "lumen")
    err = await error(app, SIGN_IN, {"brand": "lumen", "c": {"unionId": "oX", "openId": "oLumen1"}})
    assert code(err) == "CONFLICT"
    assert await count(app, Member) == 1


async def test_bad_sign_in_inputs_are_graphql_errors(app):
    cases = [
        ("lumen", {"unionId": "", "openId": "o1"}, "UNAUTHENTICATED"),
        ("lumen", {"unionId": "u1"}, "UNAUTHENTICATED"),
        ("lumen", {"unionId": "u" * 10_000, "openId": "o1"}, "UNAUTHENTICATED"),
        ("lumen", {"unionId": "u 1; drop", "openId": "o1"}, "UNAUTHENTICATED"),
        ("lumen", {"unionId": "u1", "openId": "o1", "displayName": "x" * 500}, "BAD_USER_INPUT"),
        ("Lumen!", {"unionId": "u1", "openId": "o1"}, "BAD_USER_INPUT"),
        ("", {"unionId": "u1", "openId": "o1"}, "BAD_USER_INPUT"),
        ("b" * 5000, {"unionId": "u1", "openId": "o1"}, "BAD_USER_INPUT"),
        ("verde", {"unionId": "u1", "openId": "o1"}, "BAD_USER_INPUT"),  # not a known brand
    ]
    for brand, credentials, expected in cases:
        err = await error(app, SIGN_IN, {"brand": brand, "c": credentials})
        assert code(err) == expected, (brand, credentials, err)
    assert await count(app, Member) == 0


async def test_refresh_rotates_and_a_reused_token_revokes_the_family(app):
    first = await sign_in(app, "oUnion1", "oLumen1")
    second = (await data(app, REFRESH, {"t": first["refreshToken"]}))["refreshSession"]
    assert second["refreshToken"] != first["refreshToken"]
    assert second["member"]["id"] == first["member"]["id"] and second["newMember"] is False
    assert verify_token(RING, second["accessToken"]).brand == "lumen"
    third = (await data(app, REFRESH, {"t": second["refreshToken"]}))["refreshSession"]

    # The first token comes back (stolen?): refused, and the live token dies with it.
    err = await error(app, REFRESH, {"t": first["refreshToken"]})
    assert code(err) == "UNAUTHENTICATED" and "already used" in err["message"]
    err = await error(app, REFRESH, {"t": third["refreshToken"]})
    assert code(err) == "UNAUTHENTICATED"

    # Another session of the same member is untouched.
    other = await sign_in(app, "oUnion1", "oLumen1")
    assert (await data(app, REFRESH, {"t": other["refreshToken"]}))["refreshSession"]


async def test_sign_out_ends_the_session(app):
    first = await sign_in(app, "oUnion1", "oLumen1")
    assert (await data(app, SIGN_OUT, {"t": first["refreshToken"]}))["signOut"] is True
    assert (await data(app, SIGN_OUT, {"t": first["refreshToken"]}))["signOut"] is True
    assert code(await error(app, REFRESH, {"t": first["refreshToken"]})) == "UNAUTHENTICATED"
    assert code(await error(app, SIGN_OUT, {"t": "nonsense"})) == "UNAUTHENTICATED"


async def test_invalid_and_expired_refresh_tokens_are_refused(app):
    for token in ("", "nonsense", "x" * 100_000):
        assert code(await error(app, REFRESH, {"t": token})) == "UNAUTHENTICATED"
    settings = app.state.settings
    async with app.state.database.session() as session:
        old = await sessions.sign_in(
            session,
            RING,
            settings,
            "lumen",
            Credentials(open_id="o1", union_id="u1"),
            now=utcnow() - settings.refresh_ttl - timedelta(minutes=1),
        )
    err = await error(app, REFRESH, {"t": old.refresh_token})
    assert code(err) == "UNAUTHENTICATED" and "expired" in err["message"]


async def test_expired_invalid_and_missing_access_tokens(app):
    first = await sign_in(app, "oUnion1", "oLumen1")
    member_id = first["member"]["id"]
    expired = issue_token(
        RING,
        subject=member_id,
        kind="member",
        brand="lumen",
        ttl_seconds=60,
        now=utcnow().timestamp() - 3600,
    )
    for token in (expired, "not-a-jwt", first["accessToken"] + "x"):
        assert code(await error(app, ME, token=token)) == "UNAUTHENTICATED"
    assert code(await error(app, ME)) == "UNAUTHENTICATED"
    unknown = issue_token(RING, subject="mbr_ffffffffffffffff", kind="member", brand="lumen")
    assert code(await error(app, ME, token=unknown)) == "UNAUTHENTICATED"
    staff = issue_token(RING, subject="s1", kind="staff", brand="lumen")
    assert code(await error(app, ME, token=staff)) == "FORBIDDEN"
    body = await gql(app, ME, token=first["accessToken"])
    assert "errors" not in body


async def test_settings_choose_the_identity_provider(database_url):
    import pytest

    from subgraphs.member.app import MemberSettings
    from subgraphs.member.identity import Identity, InvalidCredentials

    with pytest.raises(ValueError, match="identity provider"):
        MemberSettings(identity="wechat")

    class CodeProvider:  # stands in for WeChat's code -> code2session -> unionid
        async def identify(self, brand, credentials):
            if credentials.code != "good-code":
                raise InvalidCredentials("WeChat refused the login code")
            return Identity(union_id="oUnionW", open_id=f"o{brand}W", display_name="Wei")

    from subgraphs.member.app import create_app, migrate

    migrate(database_url)
    app = create_app(
        database_url, key_ring=RING, settings=MemberSettings(identity_provider=CodeProvider())
    )
    try:
        query = SIGN_IN
        ok = await data(app, query, {"brand": "purely", "c": {"code": "good-code"}})
        assert ok["signIn"]["member"]["unionId"] == "oUnionW"
        err = await error(app, query, {"brand": "purely", "c": {"code": "stale"}})
        assert code(err) == "UNAUTHENTICATED" and "refused" in err["message"]
    finally:
        await app.state.database.dispose()
