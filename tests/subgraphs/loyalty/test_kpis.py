"""`GroupKpis.multiBrandPointsMembers` on constructed ledgers, operators only."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from subgraphs.loyalty import service
from subgraphs.loyalty.service import HistoricalEntry

from .conftest import as_member, as_operator, as_staff, data, error_code, gql, statements

T = datetime(2030, 3, 1, tzinfo=UTC)
DAY = timedelta(days=1)
TINY = timedelta(microseconds=1)
LEDGER = [
    ("A", "lumen", 100, T + DAY),
    ("A", "vitalis", -50, T + 2 * DAY),  # a redemption counts too
    ("B", "lumen", 100, T + DAY),
    ("B", "lumen", 100, T + 3 * DAY),  # one brand twice: no
    ("C", "lumen", 100, T - DAY),  # before the window
    ("C", "vitalis", 100, T + DAY),
    ("D", "lumen", 100, T),  # since is inclusive
    ("D", "aurora", 100, T + 10 * DAY),  # until is exclusive
    ("E", "lumen", 100, T),
    ("E", "cubby", 100, T + 10 * DAY - TINY),
    ("F", "lumen", 100, T + DAY),
    ("F", "purely", 100, T + DAY),
    ("F", "aurora", 100, T + DAY),
]
QUERY = (
    "query($reps: [_Any!]!) { _entities(representations: $reps) "
    "{ ... on GroupKpis { since until multiBrandPointsMembers } } }"
)


def kpis(since: datetime, until: datetime) -> dict:
    return {"__typename": "GroupKpis", "since": since.isoformat(), "until": until.isoformat()}


async def load(app) -> None:
    rows = [
        HistoricalEntry(member, brand, delta, f"k{i}", at, reason="kpi test")
        for i, (member, brand, delta, at) in enumerate(LEDGER)
    ]
    async with app.state.database.session() as s:
        assert await service.import_entries(s, rows) == len(LEDGER)
        assert await service.import_entries(s, rows) == 0


async def test_multi_brand_points_members_with_exact_windows(app):
    await load(app)
    reps = [
        kpis(T, T + 10 * DAY),  # A, E, F
        kpis(T - 5 * DAY, T + 20 * DAY),  # A, C, D, E, F
        kpis(T + 2 * DAY, T + 3 * DAY),  # nobody
        kpis(T, T + 10 * DAY),  # the same window again
    ]
    with statements(app) as seen:
        got = await data(app, QUERY, {"reps": reps}, token=as_operator())
    counts = [e["multiBrandPointsMembers"] for e in got["_entities"]]
    assert counts == [3, 5, 0, 3]
    assert got["_entities"][0]["since"] == T.isoformat()
    kpi_queries = [s for s in seen if "count(DISTINCT" in s or "count(distinct" in s]
    assert len(kpi_queries) == 3, seen  # one per distinct window


async def test_the_kpi_is_for_operators_only(app):
    await load(app)
    for token, code in [
        (as_member("A"), "FORBIDDEN"),
        (as_staff("lumen"), "FORBIDDEN"),
        (None, "UNAUTHENTICATED"),
    ]:
        body = await gql(app, QUERY, {"reps": [kpis(T, T + DAY)]}, token=token)
        assert body["data"]["_entities"] == [None], body
        assert error_code(body) == code


async def test_bad_windows_are_clear_errors(app):
    body = await gql(app, QUERY, {"reps": [kpis(T + DAY, T)]}, token=as_operator())
    assert body["errors"][0]["message"] == "until must not be before since"
    rep = {"__typename": "GroupKpis", "since": "yesterday", "until": T.isoformat()}
    body = await gql(app, QUERY, {"reps": [rep]}, token=as_operator())
    assert body["errors"][0]["message"] == "since must be an ISO 8601 date-time"
    assert error_code(body) == "BAD_USER_INPUT"
