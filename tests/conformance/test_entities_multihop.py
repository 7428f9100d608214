"""Multi-hop entity jumps: reaching a subgraph whose key the current one cannot provide.

`Parcel` is known by a different key in each subgraph: `tracking` by `ref`, `warehouse` by
`ref` and `barcode`, `sorting` by `barcode` and `rfid`, `dispatch` by `rfid`. A field of
`dispatch` asked from `tracking` needs three jumps (ref -> barcode -> rfid -> truck), and the
way back needs the same chain reversed. Reference resolvers accept only the keys they
declare. Covered here: two- and three-hop chains in both directions, chains from a single
root entity and through lists of lists, and a chain broken in the middle (an intermediate
subgraph does not know the parcel: the fields behind the break are null).
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# ref -> barcode (warehouse), barcode -> rfid (sorting), rfid -> truck (dispatch)
_BARCODES: dict[str, str] = {"T1": "0001", "T2": "0002", "T3": "0003", "T4": "0004"}
_RFIDS: dict[str, str] = {"0001": "E2-A", "0002": "E2-B", "0004": "E2-D"}  # 0003 unsorted
_TRUCKS: dict[str, str | None] = {"E2-A": "truck-12", "E2-B": None, "E2-D": "truck-7"}

# --------------------------------------------------------------------------- tracking

_STATUS: dict[str, str] = {"T1": "in transit", "T2": "held", "T3": "received", "T4": "in transit"}


@strawberry.federation.type(name="Parcel", keys=["ref"])
class TrackedParcel:
    ref: str

    @strawberry.field
    def status(self) -> str:
        return _STATUS[self.ref]

    @classmethod
    def resolve_reference(cls, ref: str) -> TrackedParcel | None:
        return cls(ref=ref) if ref in _STATUS else None


@strawberry.type(name="Query")
class TrackingQuery:
    @strawberry.field
    def parcels(self) -> list[TrackedParcel]:
        return [TrackedParcel(ref=r) for r in ("T1", "T2", "T3", "T4")]

    @strawberry.field
    def parcel(self, ref: str) -> TrackedParcel | None:
        return TrackedParcel(ref=ref) if ref in _STATUS else None

    @strawberry.field
    def batches(self) -> list[list[TrackedParcel]]:
        return [[TrackedParcel(ref="T4"), TrackedParcel(ref="T1")], [], [TrackedParcel(ref="T4")]]


tracking_schema = strawberry.federation.Schema(
    query=TrackingQuery, types=[TrackedParcel], federation_version="2.3"
)

# --------------------------------------------------------------------------- warehouse

_BINS: dict[str, str] = {"0001": "A-3", "0002": "C-1", "0003": "A-9", "0004": "B-2"}


@strawberry.federation.type(name="Parcel", keys=["ref", "barcode"])
class StoredParcel:
    ref: str
    barcode: str

    @strawberry.field
    def bin(self) -> str:
        return _BINS[self.barcode]

    @classmethod
    def resolve_reference(
        cls, ref: str | None = None, barcode: str | None = None
    ) -> StoredParcel | None:
        if ref is None:
            ref = next((r for r, b in _BARCODES.items() if b == barcode), None)
        if ref is None or ref not in _BARCODES:
            return None
        return cls(ref=ref, barcode=_BARCODES[ref])


warehouse_schema = strawberry.federation.Schema(types=[StoredParcel], federation_version="2.3")

# --------------------------------------------------------------------------- sorting

_LANES: dict[str, int] = {"0001": 4, "0002": 2, "0004": 4}


@strawberry.federation.type(name="Parcel", keys=["barcode", "rfid"])
class SortedParcel:
    barcode: str
    rfid: str

    @strawberry.field
    def lane(self) -> int | None:
        return _LANES.get(self.barcode)

    @classmethod
    def resolve_reference(
        cls, barcode: str | None = None, rfid: str | None = None
    ) -> SortedParcel | None:
        if barcode is None:
            barcode = next((b for b, r in _RFIDS.items() if r == rfid), None)
        if barcode is None or barcode not in _RFIDS:
            return None
        return cls(barcode=barcode, rfid=_RFIDS[barcode])


sorting_schema = strawberry.federation.Schema(types=[SortedParcel], federation_version="2.3")

# --------------------------------------------------------------------------- dispatch


@strawberry.federation.type(name="Parcel", keys=["rfid"])
class DispatchedParcel:
    rfid: str

    @strawberry.field
    def truck(self) -> str | None:
        return _TRUCKS[self.rfid]

    @classmethod
    def resolve_reference(cls, rfid: str) -> DispatchedParcel | None:
        return cls(rfid=rfid) if rfid in _TRUCKS else None


@strawberry.type(name="Query")
class DispatchQuery:
    @strawberry.field
    def loaded_parcels(self) -> list[DispatchedParcel]:
        return [DispatchedParcel(rfid=r) for r in ("E2-D", "E2-A")]


dispatch_schema = strawberry.federation.Schema(
    query=DispatchQuery, types=[DispatchedParcel], federation_version="2.3"
)

SUBGRAPHS = {
    "tracking": tracking_schema,
    "warehouse": warehouse_schema,
    "sorting": sorting_schema,
    "dispatch": dispatch_schema,
}


CASES = [
    Case(
        "two-hops",
        '{ parcel(ref: "T2") { ref lane } }',
        {"data": {"parcel": {"ref": "T2", "lane": 2}}},
    ),
    Case(
        "three-hops",
        '{ parcel(ref: "T1") { status truck } }',
        {"data": {"parcel": {"status": "in transit", "truck": "truck-12"}}},
    ),
    Case(
        "every-hop-contributes-a-field",
        '{ parcel(ref: "T4") { truck lane bin status barcode rfid } }',
        {
            "data": {
                "parcel": {
                    "truck": "truck-7",
                    "lane": 4,
                    "bin": "B-2",
                    "status": "in transit",
                    "barcode": "0004",
                    "rfid": "E2-D",
                }
            }
        },
    ),
    Case(
        "chain-broken-in-the-middle",
        "{ parcels { ref bin lane truck } }",
        {
            "data": {
                "parcels": [
                    {"ref": "T1", "bin": "A-3", "lane": 4, "truck": "truck-12"},
                    {"ref": "T2", "bin": "C-1", "lane": 2, "truck": None},
                    {"ref": "T3", "bin": "A-9", "lane": None, "truck": None},
                    {"ref": "T4", "bin": "B-2", "lane": 4, "truck": "truck-7"},
                ]
            }
        },
    ),
    Case(
        "nullable-field-behind-a-broken-chain",
        "{ parcels { ref truck } }",
        {
            "data": {
                "parcels": [
                    {"ref": "T1", "truck": "truck-12"},
                    {"ref": "T2", "truck": None},
                    {"ref": "T3", "truck": None},
                    {"ref": "T4", "truck": "truck-7"},
                ]
            }
        },
    ),
    Case(
        "three-hops-back",
        "{ loadedParcels { truck status ref } }",
        {
            "data": {
                "loadedParcels": [
                    {"truck": "truck-7", "status": "in transit", "ref": "T4"},
                    {"truck": "truck-12", "status": "in transit", "ref": "T1"},
                ]
            }
        },
    ),
    Case(
        "hops-through-list-of-lists",
        "{ batches { ref truck bin } }",
        {
            "data": {
                "batches": [
                    [
                        {"ref": "T4", "truck": "truck-7", "bin": "B-2"},
                        {"ref": "T1", "truck": "truck-12", "bin": "A-3"},
                    ],
                    [],
                    [{"ref": "T4", "truck": "truck-7", "bin": "B-2"}],
                ]
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_entities_multihop(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
