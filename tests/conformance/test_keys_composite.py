"""Composite (`number date`) and nested (`id airline { code }`) @key field sets.

A key's field set may name several fields and select into object fields; a representation
must carry all of them, nested objects included (`{__typename, id, airline: {code}}`). The data
is chosen so that a partial key is ambiguous: flight LH400 runs on two dates with different
gates, and crew id "7" exists at two airlines. Covered here: jumps in both directions over a
composite key, over a nested key whose inner object is itself an entity, a further jump from
that inner object, and `__typename`/key-only selections.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --------------------------------------------------------------------------- schedule

# (number, date) -> (origin, destination)
_FLIGHTS: dict[tuple[str, str], tuple[str, str]] = {
    ("LH400", "2024-05-01"): ("FRA", "JFK"),
    ("LH400", "2024-05-02"): ("FRA", "JFK"),
    ("AF22", "2024-05-01"): ("CDG", "EWR"),
}


@strawberry.federation.type(name="Flight", keys=["number date"])
class ScheduledFlight:
    number: str
    date: str
    origin: str
    destination: str

    @classmethod
    def resolve_reference(cls, number: str, date: str) -> ScheduledFlight | None:
        return _scheduled(number, date)


def _scheduled(number: str, date: str) -> ScheduledFlight | None:
    if (number, date) not in _FLIGHTS:
        return None
    origin, destination = _FLIGHTS[(number, date)]
    return ScheduledFlight(number=number, date=date, origin=origin, destination=destination)


@strawberry.type(name="Query")
class ScheduleQuery:
    @strawberry.field
    def flights(self) -> list[ScheduledFlight]:
        return [f for f in (_scheduled(n, d) for n, d in _FLIGHTS) if f is not None]

    @strawberry.field
    def flight(self, number: str, date: str) -> ScheduledFlight | None:
        return _scheduled(number, date)


schedule_schema = strawberry.federation.Schema(
    query=ScheduleQuery, types=[ScheduledFlight], federation_version="2.3"
)

# --------------------------------------------------------------------------- crew

_AIRLINES: dict[str, str] = {"LH": "Lufthansa", "AF": "Air France"}
# (id, airline code) -> (name, role)
_CREW: dict[tuple[str, str], tuple[str, str]] = {
    ("7", "LH"): ("Greta", "captain"),
    ("9", "LH"): ("Jonas", "purser"),
    ("7", "AF"): ("Amelie", "first officer"),
}


@strawberry.federation.type(name="Airline", keys=["code"])
class CrewAirline:
    code: str

    @strawberry.field
    def name(self) -> str:
        return _AIRLINES[self.code]

    @classmethod
    def resolve_reference(cls, code: str) -> CrewAirline | None:
        return cls(code=code) if code in _AIRLINES else None


@strawberry.federation.type(name="CrewMember", keys=["id airline { code }"])
class CrewMember:
    id: strawberry.ID
    airline: CrewAirline
    name: str
    role: str

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, airline: dict[str, str]) -> CrewMember | None:
        return _crew_member(id, airline["code"])


def _crew_member(cid: str, code: str) -> CrewMember | None:
    if (cid, code) not in _CREW:
        return None
    name, role = _CREW[(cid, code)]
    return CrewMember(id=strawberry.ID(cid), airline=CrewAirline(code=code), name=name, role=role)


@strawberry.type(name="Query")
class CrewQuery:
    @strawberry.field
    def crew(self) -> list[CrewMember]:
        return [c for c in (_crew_member(i, a) for i, a in _CREW) if c is not None]


crew_schema = strawberry.federation.Schema(
    query=CrewQuery, types=[CrewMember, CrewAirline], federation_version="2.3"
)

# --------------------------------------------------------------------------- ops

# (number, date) -> (gate, status, crew keys)
_OPS: dict[tuple[str, str], tuple[str, str, list[tuple[str, str]]]] = {
    ("LH400", "2024-05-01"): ("B44", "landed", [("7", "LH"), ("9", "LH")]),
    ("LH400", "2024-05-02"): ("B20", "boarding", [("9", "LH")]),
    ("AF22", "2024-05-01"): ("K3", "delayed", [("7", "AF")]),
}
_HOURS: dict[tuple[str, str], int] = {("7", "LH"): 61, ("9", "LH"): 48, ("7", "AF"): 35}


@strawberry.federation.type(name="Airline", keys=["code"])
class OpsAirline:
    code: str


@strawberry.federation.type(name="CrewMember", keys=["id airline { code }"])
class OpsCrewMember:
    id: strawberry.ID
    airline: OpsAirline

    @strawberry.field
    def hours_this_month(self) -> int:
        return _HOURS[(self.id, self.airline.code)]

    @classmethod
    def resolve_reference(cls, id: strawberry.ID, airline: dict[str, str]) -> OpsCrewMember | None:
        if (id, airline["code"]) not in _HOURS:
            return None
        return cls(id=id, airline=OpsAirline(code=airline["code"]))


@strawberry.federation.type(name="Flight", keys=["number date"])
class OpsFlight:
    number: str
    date: str

    @strawberry.field
    def gate(self) -> str:
        return _OPS[(self.number, self.date)][0]

    @strawberry.field
    def status(self) -> str:
        return _OPS[(self.number, self.date)][1]

    @strawberry.field
    def crew(self) -> list[OpsCrewMember]:
        return [
            OpsCrewMember(id=strawberry.ID(cid), airline=OpsAirline(code=code))
            for cid, code in _OPS[(self.number, self.date)][2]
        ]

    @classmethod
    def resolve_reference(cls, number: str, date: str) -> OpsFlight | None:
        return cls(number=number, date=date) if (number, date) in _OPS else None


@strawberry.type(name="Query")
class OpsQuery:
    @strawberry.field
    def departures(self) -> list[OpsFlight]:
        order = [("AF22", "2024-05-01"), ("LH400", "2024-05-02"), ("LH400", "2024-05-01")]
        return [OpsFlight(number=n, date=d) for n, d in order]


ops_schema = strawberry.federation.Schema(
    query=OpsQuery, types=[OpsFlight, OpsCrewMember, OpsAirline], federation_version="2.3"
)

SUBGRAPHS = {"schedule": schedule_schema, "crew": crew_schema, "ops": ops_schema}


CASES = [
    Case(
        "composite-key-from-owner",
        "{ flights { number date gate status } }",
        {
            "data": {
                "flights": [
                    {"number": "LH400", "date": "2024-05-01", "gate": "B44", "status": "landed"},
                    {"number": "LH400", "date": "2024-05-02", "gate": "B20", "status": "boarding"},
                    {"number": "AF22", "date": "2024-05-01", "gate": "K3", "status": "delayed"},
                ]
            }
        },
    ),
    Case(
        "composite-key-to-owner",
        "{ departures { date origin destination gate } }",
        {
            "data": {
                "departures": [
                    {"date": "2024-05-01", "origin": "CDG", "destination": "EWR", "gate": "K3"},
                    {"date": "2024-05-02", "origin": "FRA", "destination": "JFK", "gate": "B20"},
                    {"date": "2024-05-01", "origin": "FRA", "destination": "JFK", "gate": "B44"},
                ]
            }
        },
    ),
    Case(
        "composite-key-from-root-arguments",
        '{ flight(number: "LH400", date: "2024-05-02") { origin gate status } }',
        {"data": {"flight": {"origin": "FRA", "gate": "B20", "status": "boarding"}}},
    ),
    Case(
        "nested-key-to-owner",
        "{ departures { number crew { name role hoursThisMonth } } }",
        {
            "data": {
                "departures": [
                    {
                        "number": "AF22",
                        "crew": [{"name": "Amelie", "role": "first officer", "hoursThisMonth": 35}],
                    },
                    {
                        "number": "LH400",
                        "crew": [{"name": "Jonas", "role": "purser", "hoursThisMonth": 48}],
                    },
                    {
                        "number": "LH400",
                        "crew": [
                            {"name": "Greta", "role": "captain", "hoursThisMonth": 61},
                            {"name": "Jonas", "role": "purser", "hoursThisMonth": 48},
                        ],
                    },
                ]
            }
        },
    ),
    Case(
        "nested-key-from-owner",
        "{ crew { id airline { code } name hoursThisMonth } }",
        {
            "data": {
                "crew": [
                    {"id": "7", "airline": {"code": "LH"}, "name": "Greta", "hoursThisMonth": 61},
                    {"id": "9", "airline": {"code": "LH"}, "name": "Jonas", "hoursThisMonth": 48},
                    {"id": "7", "airline": {"code": "AF"}, "name": "Amelie", "hoursThisMonth": 35},
                ]
            }
        },
    ),
    Case(
        "jump-from-inner-object-of-nested-key",
        "{ departures { crew { airline { code name } } } }",
        {
            "data": {
                "departures": [
                    {"crew": [{"airline": {"code": "AF", "name": "Air France"}}]},
                    {"crew": [{"airline": {"code": "LH", "name": "Lufthansa"}}]},
                    {
                        "crew": [
                            {"airline": {"code": "LH", "name": "Lufthansa"}},
                            {"airline": {"code": "LH", "name": "Lufthansa"}},
                        ]
                    },
                ]
            }
        },
    ),
    Case(
        "three-subgraphs-through-composite-and-nested-keys",
        "{ flights { origin crew { airline { name } name hoursThisMonth } } }",
        {
            "data": {
                "flights": [
                    {
                        "origin": "FRA",
                        "crew": [
                            {
                                "airline": {"name": "Lufthansa"},
                                "name": "Greta",
                                "hoursThisMonth": 61,
                            },
                            {
                                "airline": {"name": "Lufthansa"},
                                "name": "Jonas",
                                "hoursThisMonth": 48,
                            },
                        ],
                    },
                    {
                        "origin": "FRA",
                        "crew": [
                            {
                                "airline": {"name": "Lufthansa"},
                                "name": "Jonas",
                                "hoursThisMonth": 48,
                            }
                        ],
                    },
                    {
                        "origin": "CDG",
                        "crew": [
                            {
                                "airline": {"name": "Air France"},
                                "name": "Amelie",
                                "hoursThisMonth": 35,
                            }
                        ],
                    },
                ]
            }
        },
    ),
    Case(
        "key-fields-and-typename-need-no-jump",
        "{ departures { __typename number date crew { __typename id airline { code } } } }",
        {
            "data": {
                "departures": [
                    {
                        "__typename": "Flight",
                        "number": "AF22",
                        "date": "2024-05-01",
                        "crew": [
                            {"__typename": "CrewMember", "id": "7", "airline": {"code": "AF"}}
                        ],
                    },
                    {
                        "__typename": "Flight",
                        "number": "LH400",
                        "date": "2024-05-02",
                        "crew": [
                            {"__typename": "CrewMember", "id": "9", "airline": {"code": "LH"}}
                        ],
                    },
                    {
                        "__typename": "Flight",
                        "number": "LH400",
                        "date": "2024-05-01",
                        "crew": [
                            {"__typename": "CrewMember", "id": "7", "airline": {"code": "LH"}},
                            {"__typename": "CrewMember", "id": "9", "airline": {"code": "LH"}},
                        ],
                    },
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_keys_composite(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
