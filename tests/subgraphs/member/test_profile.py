from __future__ import annotations

from subgraphs.common.auth import issue_token
from subgraphs.member.models import Address, ConsentRecord, PaymentMethod

from .conftest import RING, code, count, data, error, gql, operator_token, outbox, sign_in

SAVE_ADDRESS = (
    "mutation($i: AddressInput!) { saveAddress(input: $i) "
    "{ id recipient phone region city line1 postalCode isDefault } }"
)
REMOVE_ADDRESS = "mutation($id: ID!) { removeAddress(id: $id) }"
SAVE_PM = (
    "mutation($i: PaymentMethodInput!) { savePaymentMethod(input: $i) "
    "{ id provider label maskedToken } }"
)
REMOVE_PM = "mutation($id: ID!) { removePaymentMethod(id: $id) }"
CONSENT = (
    "mutation($g: Boolean!, $v: String!, $c: String!) { setCrossBrandConsent(granted: $g, "
    "version: $v, channel: $c) { granted version channel changedAt } }"
)
ME = (
    "{ me { addresses { id city isDefault } paymentMethods { id label maskedToken } "
    "crossBrandConsent { granted version channel changedAt } } }"
)
ENTITIES = (
    "query($reps: [_Any!]!) { _entities(representations: $reps) { "
    "... on Member { id addresses { id } } ... on Address { id city } "
    "... on PaymentMethod { id provider maskedToken } } }"
)
HOME = {
    "recipient": "Wang Fang",
    "phone": "13800000001",
    "region": "Shanghai",
    "city": "Shanghai",
    "line1": "88 Huaihai Rd",
    "postalCode": "200000",
}


async def _two_members(app) -> tuple[dict, dict]:
    return await sign_in(app, "oUnionA", "oA"), await sign_in(app, "oUnionB", "oB")


async def test_addresses_are_saved_updated_removed_with_their_events(app):
    a = await sign_in(app, "oUnionA", "oA")
    token, member_id = a["accessToken"], a["member"]["id"]
    home = (await data(app, SAVE_ADDRESS, {"i": HOME}, token=token))["saveAddress"]
    assert home["id"].startswith("adr_") and home["isDefault"] is True  # the first one
    office = (await data(app, SAVE_ADDRESS, {"i": {**HOME, "city": "Beijing"}}, token=token))[
        "saveAddress"
    ]
    assert office["isDefault"] is False
    moved = {**HOME, "id": office["id"], "line1": "1 Chang'an Ave", "isDefault": True}
    updated = (await data(app, SAVE_ADDRESS, {"i": moved}, token=token))["saveAddress"]
    assert updated["id"] == office["id"] and updated["line1"] == "1 Chang'an Ave"
    me = (await data(app, ME, token=token))["me"]
    assert [(x["id"], x["isDefault"]) for x in me["addresses"]] == [
        (home["id"], False),
        (office["id"], True),
    ]
    assert (await data(app, REMOVE_ADDRESS, {"id": office["id"]}, token=token))["removeAddress"]
    me = (await data(app, ME, token=token))["me"]
    assert [(x["id"], x["isDefault"]) for x in me["addresses"]] == [(home["id"], True)]

    saved = await outbox(app, "member.address.saved")
    assert len(saved) == 3
    assert saved[-1].payload == {
        "memberId": member_id,
        "address": {
            "id": office["id"],
            "recipient": "Wang Fang",
            "phone": "13800000001",
            "region": "Shanghai",
            "city": "Shanghai",
            "line1": "1 Chang'an Ave",
            "postalCode": "200000",
        },
    }
    removed = await outbox(app, "member.address.removed")
    assert [e.payload for e in removed] == [{"memberId": member_id, "addressId": office["id"]}]


async def test_payment_methods_never_show_the_token(app):
    a = await sign_in(app, "oUnionA", "oA")
    token, member_id = a["accessToken"], a["member"]["id"]
    card = {"provider": "wechatpay", "token": "tok_live_1234567890abcd", "label": "WeChat Pay"}
    saved = (await data(app, SAVE_PM, {"i": card}, token=token))["savePaymentMethod"]
    assert saved["maskedToken"] == "••••abcd" and saved["provider"] == "wechatpay"
    again = await data(app, SAVE_PM, {"i": {**card, "label": "Main"}}, token=token)
    assert again["savePaymentMethod"]["id"] == saved["id"]  # same token: relabelled
    body = await gql(app, ME, token=token)
    assert "tok_live_1234567890abcd" not in str(body)
    assert body["data"]["me"]["paymentMethods"] == [
        {"id": saved["id"], "label": "Main", "maskedToken": "••••abcd"}
    ]
    events = await outbox(app, "member.payment_method.saved")
    assert events[0].payload == {
        "memberId": member_id,
        "paymentMethod": {
            "id": saved["id"],
            "provider": "wechatpay",
            "token": "tok_live_1234567890abcd",
            "label": "WeChat Pay",
        },
    }
    assert (await data(app, REMOVE_PM, {"id": saved["id"]}, token=token))["removePaymentMethod"]
    assert [e.payload for e in await outbox(app, "member.payment_method.removed")] == [
        {"memberId": member_id, "paymentMethodId": saved["id"]}
    ]
    assert await count(app, PaymentMethod) == 0


async def test_consent_is_appended_and_can_be_withdrawn(app):
    a = await sign_in(app, "oUnionA", "oA")
    token = a["accessToken"]
    me = (await data(app, ME, token=token))["me"]
    assert me["crossBrandConsent"] == {
        "granted": False,
        "version": None,
        "channel": None,
        "changedAt": None,
    }
    given = await data(app, CONSENT, {"g": True, "v": "2026-01", "c": "mini-program"}, token=token)
    assert given["setCrossBrandConsent"]["granted"] is True
    withdrawn = await data(app, CONSENT, {"g": False, "v": "2026-01", "c": "settings"}, token=token)
    assert withdrawn["setCrossBrandConsent"]["granted"] is False
    me = (await data(app, ME, token=token))["me"]
    assert me["crossBrandConsent"]["granted"] is False
    assert me["crossBrandConsent"]["channel"] == "settings"
    assert await count(app, ConsentRecord) == 2  # append-only


async def test_another_member_can_neither_read_nor_change(app):
    a, b = await _two_members(app)
    home = (await data(app, SAVE_ADDRESS, {"i": HOME}, token=a["accessToken"]))["saveAddress"]
    card = {"provider": "sandbox", "token": "tok_sandbox_00000001", "label": "Card"}
    pm = (await data(app, SAVE_PM, {"i": card}, token=a["accessToken"]))["savePaymentMethod"]
    await data(app, CONSENT, {"g": True, "v": "v1", "c": "app"}, token=a["accessToken"])
    a_id, b_token = a["member"]["id"], b["accessToken"]

    reps = [{"__typename": "Member", "id": a_id}]
    assert code(await error(app, ENTITIES, {"reps": reps}, token=b_token)) == "FORBIDDEN"
    consent = (
        "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { "
        "crossBrandConsent { granted } engagement { ordersCount } } } }"
    )
    assert code(await error(app, consent, {"r": reps}, token=b_token)) == "FORBIDDEN"
    assert code(await error(app, consent, {"r": reps})) == "UNAUTHENTICATED"
    for rep in (
        {"__typename": "Address", "id": home["id"]},
        {"__typename": "PaymentMethod", "id": pm["id"]},
    ):
        assert code(await error(app, ENTITIES, {"reps": [rep]}, token=b_token)) == "FORBIDDEN"

    before = len(await outbox(app))
    changed = {**HOME, "id": home["id"], "city": "Hacked"}
    assert code(await error(app, SAVE_ADDRESS, {"i": changed}, token=b_token)) == "FORBIDDEN"
    assert code(await error(app, REMOVE_ADDRESS, {"id": home["id"]}, token=b_token)) == "FORBIDDEN"
    assert code(await error(app, REMOVE_PM, {"id": pm["id"]}, token=b_token)) == "FORBIDDEN"
    assert len(await outbox(app)) == before  # nothing recorded for refused changes

    # The owner and an operator can read; a staff token cannot change a member's consent.
    owner = await data(app, ENTITIES, {"reps": reps}, token=a["accessToken"])
    assert owner["_entities"] == [{"id": a_id, "addresses": [{"id": home["id"]}]}]
    ops = await data(app, ENTITIES, {"reps": reps}, token=operator_token())
    assert ops["_entities"][0]["addresses"] == [{"id": home["id"]}]
    staff = issue_token(RING, subject="s1", kind="staff", brand="lumen")
    args = {"g": False, "v": "v1", "c": "app"}
    assert code(await error(app, CONSENT, args, token=staff)) == "FORBIDDEN"
    assert code(await error(app, CONSENT, args)) == "UNAUTHENTICATED"
    service = issue_token(RING, subject="order", kind="service", scopes=["member:read"])
    read = await data(
        app, ENTITIES, {"reps": [{"__typename": "Address", "id": home["id"]}]}, token=service
    )
    assert read["_entities"] == [{"id": home["id"], "city": "Shanghai"}]


async def test_unknown_entities_resolve_to_null(app):
    a = await sign_in(app, "oUnionA", "oA")
    reps = [
        {"__typename": "Member", "id": "mbr_ffffffffffffffff"},
        {"__typename": "Address", "id": "adr_nope"},
        {"__typename": "PaymentMethod", "id": "x" * 10_000},
    ]
    body = await data(app, ENTITIES, {"reps": reps}, token=a["accessToken"])
    assert body["_entities"] == [None, None, None]


async def test_bad_inputs_are_graphql_errors_and_record_nothing(app):
    a = await sign_in(app, "oUnionA", "oA")
    token = a["accessToken"]
    bad_addresses = [
        {**HOME, "recipient": ""},
        {**HOME, "recipient": "   "},
        {**HOME, "line1": "x" * 100_000},
        {**HOME, "phone": "call me"},
        {**HOME, "postalCode": "#" * 20},
        {**HOME, "city": "Shang\x00hai"},
    ]
    for address in bad_addresses:
        err = await error(app, SAVE_ADDRESS, {"i": address}, token=token)
        assert code(err) == "BAD_USER_INPUT", (address, err)
    unknown = {**HOME, "id": "adr_0000000000000000"}
    assert code(await error(app, SAVE_ADDRESS, {"i": unknown}, token=token)) == "NOT_FOUND"
    assert code(await error(app, REMOVE_ADDRESS, {"id": "adr_x"}, token=token)) == "NOT_FOUND"
    huge = {"id": "a" * 100_000}
    assert code(await error(app, REMOVE_ADDRESS, huge, token=token)) == "BAD_USER_INPUT"
    assert code(await error(app, REMOVE_PM, {"id": "pm_x"}, token=token)) == "NOT_FOUND"
    bad_cards = [
        {"provider": "", "token": "tok_1", "label": "x"},
        {"provider": "Sandbox Pay", "token": "tok_1", "label": "x"},
        {"provider": "sandbox", "token": "tok with spaces", "label": "x"},
        {"provider": "sandbox", "token": "t" * 300, "label": "x"},
        {"provider": "sandbox", "token": "tok_1", "label": ""},
    ]
    for card in bad_cards:
        assert code(await error(app, SAVE_PM, {"i": card}, token=token)) == "BAD_USER_INPUT"
    for version, channel in (("", "app"), ("v1", ""), ("v" * 100, "app"), ("v1", "a b")):
        args = {"g": True, "v": version, "c": channel}
        assert code(await error(app, CONSENT, args, token=token)) == "BAD_USER_INPUT"
    assert await outbox(app) == []
    assert (await count(app, Address), await count(app, PaymentMethod)) == (0, 0)
    assert await count(app, ConsentRecord) == 0


async def test_limits_refuse_without_writing(app):
    a = await sign_in(app, "oUnionA", "oA")
    for _ in range(20):
        await data(app, SAVE_ADDRESS, {"i": HOME}, token=a["accessToken"])
    err = await error(app, SAVE_ADDRESS, {"i": HOME}, token=a["accessToken"])
    assert code(err) == "BAD_USER_INPUT" and "at most 20" in err["message"]
    assert await count(app, Address) == 20
    assert len(await outbox(app, "member.address.saved")) == 20


async def test_a_failure_after_the_event_was_recorded_rolls_both_back(app, monkeypatch):
    from subgraphs.member import service

    a = await sign_in(app, "oUnionA", "oA")
    real = service.record_event

    def record_then_fail(session, topic, payload, **kw):
        real(session, topic, payload, **kw)
        raise RuntimeError("disk full")

    monkeypatch.setattr(service, "record_event", record_then_fail)
    err = await error(app, SAVE_ADDRESS, {"i": HOME}, token=a["accessToken"])
    assert err["message"] == "disk full"
    assert await outbox(app) == [] and await count(app, Address) == 0
    monkeypatch.setattr(service, "record_event", real)
    await data(app, SAVE_ADDRESS, {"i": HOME}, token=a["accessToken"])
    assert len(await outbox(app)) == 1 and await count(app, Address) == 1
