from __future__ import annotations

from datetime import timedelta

from subgraphs.common.events import Event
from subgraphs.member.erasure import retry_incomplete_erasures
from subgraphs.member.models import (
    Address,
    BrandAccount,
    ConsentRecord,
    Engagement,
    Member,
    PaymentMethod,
    RefreshToken,
    utcnow,
)

from .conftest import BRANDS, code, count, data, error, gql, operator_token, outbox, sign_in
from .test_engagement import paid
from .test_profile import CONSENT, HOME, SAVE_ADDRESS

ERASE_ME = (
    "mutation { eraseMe { id memberId status attempts completedAt "
    "participants { participant completedAt } } }"
)
ERASE = "mutation($m: ID!) { eraseMember(memberId: $m) { id memberId status attempts } }"
STATUS = (
    "query($id: ID!) { erasureRequest(id: $id) { id memberId status attempts completedAt "
    "participants { participant completedAt } } }"
)
MEMBER = (
    "query($r: [_Any!]!) { _entities(representations: $r) { ... on Member { id unionId "
    "displayName erasedAt brandAccounts { brand } addresses { id } paymentMethods { id } "
    "crossBrandConsent { granted } engagement { ordersCount brandsUsed brandsPurchased } } } }"
)
PARTICIPANTS = ["content:" + b for b in sorted(BRANDS)] + ["loyalty", "order"]


async def _full_member(app) -> dict:
    a = await sign_in(app, "oUnionA", "oA", "lumen", name="Wang Fang")
    await sign_in(app, "oUnionA", "oAur", "aurora")
    token = a["accessToken"]
    await data(app, SAVE_ADDRESS, {"i": HOME}, token=token)
    card = {"provider": "sandbox", "token": "tok_sandbox_00000001", "label": "Card"}
    await data(
        app,
        "mutation($i: PaymentMethodInput!) { savePaymentMethod(input: $i) { id } }",
        {"i": card},
        token=token,
    )
    await data(app, CONSENT, {"g": True, "v": "v1", "c": "app"}, token=token)
    return a


def completed(member_id: str, request_id: str, participant: str) -> Event:
    return Event(
        id=f"{participant}:{member_id}:erasure-completed",
        topic="erasure.completed",
        payload={"memberId": member_id, "requestId": request_id, "participant": participant},
        occurred_at=utcnow().isoformat(),
    )


async def test_erasure_end_to_end(app, bus):
    a = await _full_member(app)
    member_id, token = a["member"]["id"], a["accessToken"]
    await app.state.events.start()
    await bus.publish(paid("1", member_id, "2026-11-01T10:00:00Z", [("lumen", "skincare")]))
    await bus.drain()
    assert await count(app, Engagement) == 1

    # Participants listen for member.erased.
    seen: list[Event] = []

    async def participant(event: Event) -> None:
        seen.append(event)

    await bus.subscribe("test-participants", ["member.erased"], participant)

    request = (await data(app, ERASE_ME, token=token))["eraseMe"]
    assert request["memberId"] == member_id and request["status"] == "PENDING"
    assert request["attempts"] == 1 and request["completedAt"] is None
    assert [p["participant"] for p in request["participants"]] == PARTICIPANTS
    again = (await data(app, ERASE_ME, token=token))["eraseMe"]  # idempotent
    assert again["id"] == request["id"]
    ops = (await data(app, ERASE, {"m": member_id}, token=operator_token()))["eraseMember"]
    assert ops["id"] == request["id"] and ops["attempts"] == 1

    # Personal data is gone, here and now.
    for model in (BrandAccount, Address, PaymentMethod, ConsentRecord, Engagement, RefreshToken):
        assert await count(app, model) == 0, model
    async with app.state.database.session() as session:
        row = await session.get(Member, member_id)
    assert row.union_id != "oUnionA" and "oUnionA" not in row.union_id
    assert row.display_name is None and row.erased_at is not None
    entity = (
        await data(
            app, MEMBER, {"r": [{"__typename": "Member", "id": member_id}]}, token=operator_token()
        )
    )["_entities"][0]
    assert entity["unionId"] is None and entity["displayName"] is None
    assert entity["erasedAt"] is not None
    assert entity["brandAccounts"] == entity["addresses"] == entity["paymentMethods"] == []
    assert entity["crossBrandConsent"] == {"granted": False}
    assert entity["engagement"] == {"ordersCount": 0, "brandsUsed": [], "brandsPurchased": []}
    err = await error(app, "{ me { id } }", token=token)
    assert code(err) == "UNAUTHENTICATED" and "erased" in err["message"]
    assert code(await error(app, SAVE_ADDRESS, {"i": HOME}, token=token)) == "UNAUTHENTICATED"
    refresh = "mutation($t: String!) { refreshSession(refreshToken: $t) { accessToken } }"
    assert code(await error(app, refresh, {"t": a["refreshToken"]})) == "UNAUTHENTICATED"

    # member.erased was published once, with the request.
    await app.state.events.relay.publish_pending()
    await bus.drain()
    assert [(e.id, e.topic, dict(e.payload)) for e in seen] == [
        (
            f"member:{member_id}:erased:1",
            "member.erased",
            {"memberId": member_id, "requestId": request["id"]},
        ),
    ]

    # Orders paid after erasure do not rebuild engagement.
    await bus.publish(paid("2", member_id, "2026-11-02T10:00:00Z", [("lumen", "skincare")]))
    # Participants report back (one twice); the request completes when all did.
    for name in [*PARTICIPANTS[:-1], PARTICIPANTS[0]]:
        await bus.publish(completed(member_id, request["id"], name))
    await bus.publish(completed(member_id, "era_unknown", "loyalty"))
    await bus.drain()
    assert await count(app, Engagement) == 0
    status = await data(app, STATUS, {"id": request["id"]}, token=operator_token())
    status = status["erasureRequest"]
    assert status["status"] == "PENDING"
    assert [p["participant"] for p in status["participants"] if p["completedAt"] is None] == [
        "order"
    ]
    await bus.publish(completed(member_id, request["id"], "order"))
    await bus.drain()
    status = await data(app, STATUS, {"id": request["id"]}, token=operator_token())
    status = status["erasureRequest"]
    assert status["status"] == "COMPLETED" and status["completedAt"] is not None

    # Signing in again with the old UnionID starts a new member.
    fresh = await sign_in(app, "oUnionA", "oA", "lumen")
    assert fresh["newMember"] is True and fresh["member"]["id"] != member_id
    assert fresh["member"]["displayName"] is None


async def test_incomplete_erasures_are_announced_again(app, bus):
    a = await sign_in(app, "oUnionA", "oA")
    member_id = a["member"]["id"]
    request = (await data(app, ERASE_ME, token=a["accessToken"]))["eraseMe"]

    # The runtime's pass (what its periodic task runs), here without a delay.
    app.state.events.settings = type(app.state.settings)(
        brands=app.state.settings.brands, erasure_retry_after=timedelta(0)
    )
    assert await app.state.events.retry_erasures() == 1

    async with app.state.database.session() as session:
        assert await retry_incomplete_erasures(session, timedelta(minutes=10)) == 0  # too soon
        later = utcnow() + timedelta(minutes=11)
        assert await retry_incomplete_erasures(session, timedelta(minutes=10), now=later) == 1
        assert await retry_incomplete_erasures(session, timedelta(minutes=10), now=later) == 0
    erased = await outbox(app, "member.erased")
    assert [e.event_id for e in erased] == [
        f"member:{member_id}:erased:{attempt}" for attempt in (1, 2, 3)
    ]
    assert {tuple(e.payload.items()) for e in erased} == {
        (("memberId", member_id), ("requestId", request["id"]))
    }
    status = await data(app, STATUS, {"id": request["id"]}, token=operator_token())
    assert status["erasureRequest"]["attempts"] == 3

    # Once every participant completed, nothing is re-announced.
    async with app.state.database.session() as session:
        from subgraphs.common.events import handle_once
        from subgraphs.member.erasure import complete_participant

        for name in PARTICIPANTS:
            event = completed(member_id, request["id"], name)
            await handle_once(
                session, "member", event, lambda s, e=event: complete_participant(s, e.payload)
            )
        assert await retry_incomplete_erasures(session, timedelta(0)) == 0


async def test_the_retry_task_runs_with_the_app_lifespan(database_url, bus):
    from subgraphs.member.app import MemberSettings, create_app, migrate

    from .conftest import RING

    migrate(database_url)
    settings = MemberSettings(
        brands=("lumen",), erasure_retry_after=timedelta(0), erasure_retry_every_seconds=0.05
    )
    app = create_app(database_url, bus=bus, key_ring=RING, settings=settings)
    try:
        a = await sign_in(app, "oUnionA", "oA")
        await data(app, ERASE_ME, token=a["accessToken"])
        import asyncio

        async with app.router.lifespan_context(app):
            for _ in range(100):
                if len(await outbox(app, "member.erased")) >= 2:
                    break
                await asyncio.sleep(0.05)
        assert len(await outbox(app, "member.erased")) >= 2
        assert app.state.events._retry_task is None  # stopped with the app
    finally:
        await bus.close()
        await app.state.database.dispose()


async def test_erasure_is_guarded_and_checks_its_input(app):
    a = await sign_in(app, "oUnionA", "oA")
    b = await sign_in(app, "oUnionB", "oB")
    member_id = a["member"]["id"]
    assert code(await error(app, ERASE, {"m": member_id}, token=b["accessToken"])) == "FORBIDDEN"
    assert code(await error(app, ERASE, {"m": member_id})) == "UNAUTHENTICATED"
    assert code(await error(app, ERASE_ME)) == "UNAUTHENTICATED"
    ops = operator_token()
    assert code(await error(app, ERASE, {"m": "mbr_nobody"}, token=ops)) == "NOT_FOUND"
    assert code(await error(app, ERASE, {"m": "m" * 10_000}, token=ops)) == "BAD_USER_INPUT"
    assert code(await error(app, STATUS, {"id": "era_x"}, token=b["accessToken"])) == "FORBIDDEN"
    assert (await data(app, STATUS, {"id": "era_x"}, token=ops))["erasureRequest"] is None
    assert await outbox(app, "member.erased") == []
    body = await gql(app, "{ me { id } }", token=a["accessToken"])
    assert body["data"]["me"]["id"] == member_id
