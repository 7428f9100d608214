"""@external fields that are only used as keys.

`charts` declares `Album` and `Track` as type extensions, the Federation 1 way of referencing
entities owned by `catalog`: `extend type Album @key(fields: "upc") { upc: String! @external }`
and `extend type Track @key(fields: "number album { upc }")` with both `number` and `album`
@external (a nested key). Those external fields are used only as keys: the extending
subgraph still has their values (it receives them in representations and returns them with
the references it creates), so selecting them needs no jump. Covered here: external key
fields selected from the extending subgraph's root, jumps out of and into the extending
subgraph through a simple and a nested external key, a round trip, and `__typename`.
"""

from __future__ import annotations

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# upc -> (title, artist, track titles by number)
_ALBUMS: dict[str, tuple[str, str, dict[int, str]]] = {
    "075678": ("Blue Lines", "Massive Attack", {1: "Safe from Harm", 5: "Unfinished Sympathy"}),
    "724384": ("OK Computer", "Radiohead", {1: "Airbag", 2: "Paranoid Android"}),
    "602537": ("Random Access Memories", "Daft Punk", {8: "Get Lucky"}),
}

# --------------------------------------------------------------------------- catalog


@strawberry.federation.type(name="Album", keys=["upc"])
class CatalogAlbum:
    upc: str
    title: str
    artist: str

    @strawberry.field
    def tracks(self) -> list[CatalogTrack]:
        return [
            CatalogTrack(number=n, album=self, title=t) for n, t in _ALBUMS[self.upc][2].items()
        ]

    @classmethod
    def resolve_reference(cls, upc: str) -> CatalogAlbum | None:
        return _album(upc)


def _album(upc: str) -> CatalogAlbum | None:
    if upc not in _ALBUMS:
        return None
    title, artist, _ = _ALBUMS[upc]
    return CatalogAlbum(upc=upc, title=title, artist=artist)


@strawberry.federation.type(name="Track", keys=["number album { upc }"])
class CatalogTrack:
    number: int
    album: CatalogAlbum
    title: str

    @classmethod
    def resolve_reference(cls, number: int, album: dict[str, str]) -> CatalogTrack | None:
        owner = _album(album["upc"])
        if owner is None or number not in _ALBUMS[owner.upc][2]:
            return None
        return cls(number=number, album=owner, title=_ALBUMS[owner.upc][2][number])


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def albums(self) -> list[CatalogAlbum]:
        return [a for a in map(_album, _ALBUMS) if a is not None]


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery, types=[CatalogAlbum, CatalogTrack], federation_version="2.3"
)

# --------------------------------------------------------------------------- charts

_POSITIONS: dict[str, int] = {"602537": 1, "075678": 2, "724384": 3}
_PLAYS: dict[tuple[str, int], int] = {
    ("075678", 1): 410,
    ("075678", 5): 9120,
    ("724384", 1): 2200,
    ("724384", 2): 8700,
    ("602537", 8): 15300,
}


@strawberry.federation.type(name="Album", keys=["upc"], extend=True)
class ChartsAlbum:
    upc: str = strawberry.federation.field(external=True)

    @strawberry.field
    def position(self) -> int:
        return _POSITIONS[self.upc]

    @classmethod
    def resolve_reference(cls, upc: str) -> ChartsAlbum | None:
        return cls(upc=upc) if upc in _POSITIONS else None


@strawberry.federation.type(name="Track", keys=["number album { upc }"], extend=True)
class ChartsTrack:
    number: int = strawberry.federation.field(external=True)
    album: ChartsAlbum = strawberry.federation.field(external=True)

    @strawberry.field
    def plays(self) -> int:
        return _PLAYS[(self.album.upc, self.number)]

    @classmethod
    def resolve_reference(cls, number: int, album: dict[str, str]) -> ChartsTrack | None:
        if (album["upc"], number) not in _PLAYS:
            return None
        return cls(number=number, album=ChartsAlbum(upc=album["upc"]))


@strawberry.type(name="Query")
class ChartsQuery:
    @strawberry.field
    def top_albums(self) -> list[ChartsAlbum]:
        return [ChartsAlbum(upc=u) for u in sorted(_POSITIONS, key=_POSITIONS.__getitem__)]

    @strawberry.field
    def most_played(self) -> list[ChartsTrack]:
        ranked = sorted(_PLAYS, key=_PLAYS.__getitem__, reverse=True)[:3]
        return [ChartsTrack(number=n, album=ChartsAlbum(upc=u)) for u, n in ranked]


charts_schema = strawberry.federation.Schema(
    query=ChartsQuery, types=[ChartsAlbum, ChartsTrack], federation_version="2.3"
)

SUBGRAPHS = {"catalog": catalog_schema, "charts": charts_schema}


RAM = "Random Access Memories"

CASES = [
    Case(
        "external-key-field-from-extending-root",
        "{ topAlbums { upc position } }",
        {
            "data": {
                "topAlbums": [
                    {"upc": "602537", "position": 1},
                    {"upc": "075678", "position": 2},
                    {"upc": "724384", "position": 3},
                ]
            }
        },
    ),
    Case(
        "jump-out-through-external-key",
        "{ topAlbums { position title artist } }",
        {
            "data": {
                "topAlbums": [
                    {"position": 1, "title": RAM, "artist": "Daft Punk"},
                    {"position": 2, "title": "Blue Lines", "artist": "Massive Attack"},
                    {"position": 3, "title": "OK Computer", "artist": "Radiohead"},
                ]
            }
        },
    ),
    Case(
        "jump-into-extending-subgraph",
        "{ albums { title position } }",
        {
            "data": {
                "albums": [
                    {"title": "Blue Lines", "position": 2},
                    {"title": "OK Computer", "position": 3},
                    {"title": RAM, "position": 1},
                ]
            }
        },
    ),
    Case(
        "nested-external-key-fields-need-no-jump",
        "{ mostPlayed { number album { upc } plays } }",
        {
            "data": {
                "mostPlayed": [
                    {"number": 8, "album": {"upc": "602537"}, "plays": 15300},
                    {"number": 5, "album": {"upc": "075678"}, "plays": 9120},
                    {"number": 2, "album": {"upc": "724384"}, "plays": 8700},
                ]
            }
        },
    ),
    Case(
        "jump-out-through-nested-external-key",
        "{ mostPlayed { title plays album { title } } }",
        {
            "data": {
                "mostPlayed": [
                    {"title": "Get Lucky", "plays": 15300, "album": {"title": RAM}},
                    {
                        "title": "Unfinished Sympathy",
                        "plays": 9120,
                        "album": {"title": "Blue Lines"},
                    },
                    {"title": "Paranoid Android", "plays": 8700, "album": {"title": "OK Computer"}},
                ]
            }
        },
    ),
    Case(
        "jump-into-extending-subgraph-through-nested-key",
        "{ albums { upc tracks { number plays } } }",
        {
            "data": {
                "albums": [
                    {
                        "upc": "075678",
                        "tracks": [{"number": 1, "plays": 410}, {"number": 5, "plays": 9120}],
                    },
                    {
                        "upc": "724384",
                        "tracks": [{"number": 1, "plays": 2200}, {"number": 2, "plays": 8700}],
                    },
                    {"upc": "602537", "tracks": [{"number": 8, "plays": 15300}]},
                ]
            }
        },
    ),
    Case(
        "round-trip-through-external-keys",
        "{ mostPlayed { album { position tracks { title plays } } } }",
        {
            "data": {
                "mostPlayed": [
                    {"album": {"position": 1, "tracks": [{"title": "Get Lucky", "plays": 15300}]}},
                    {
                        "album": {
                            "position": 2,
                            "tracks": [
                                {"title": "Safe from Harm", "plays": 410},
                                {"title": "Unfinished Sympathy", "plays": 9120},
                            ],
                        }
                    },
                    {
                        "album": {
                            "position": 3,
                            "tracks": [
                                {"title": "Airbag", "plays": 2200},
                                {"title": "Paranoid Android", "plays": 8700},
                            ],
                        }
                    },
                ]
            }
        },
    ),
    Case(
        "typename-on-extended-entities",
        "{ topAlbums { __typename upc } mostPlayed { __typename album { __typename } } }",
        {
            "data": {
                "topAlbums": [
                    {"__typename": "Album", "upc": "602537"},
                    {"__typename": "Album", "upc": "075678"},
                    {"__typename": "Album", "upc": "724384"},
                ],
                "mostPlayed": [
                    {"__typename": "Track", "album": {"__typename": "Album"}},
                    {"__typename": "Track", "album": {"__typename": "Album"}},
                    {"__typename": "Track", "album": {"__typename": "Album"}},
                ],
            }
        },
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_external_keys(case: Case) -> None:
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
