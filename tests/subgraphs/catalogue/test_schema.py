from __future__ import annotations

from pathlib import Path

import pytest

from gateway.composition import SubgraphInput, compose
from subgraphs.catalogue.app import create_app
from subgraphs.catalogue.print_schema import SCHEMA_FILE, main
from subgraphs.catalogue.schema import sdl

from ..common.asgi import call

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_sdl_is_current():
    assert SCHEMA_FILE == ROOT / "schema" / "catalogue.graphql"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/catalogue.graphql is stale: run python -m subgraphs.catalogue.print_schema"
    )


def test_print_schema_writes_the_sdl(tmp_path, capsys):
    target = tmp_path / "out" / "catalogue.graphql"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()


async def test_every_brand_serves_the_same_sdl(tmp_path):
    served = []
    for brand in ("lumen", "aurora"):
        app = create_app(brand, f"sqlite+aiosqlite:///{tmp_path / brand}.db")
        status, body = await call(
            app, "POST", "/graphql", json={"query": "{ _service { sdl } catalogueBrand }"}
        )
        await app.state.database.dispose()
        assert status == 200 and "errors" not in body, body
        assert body["data"]["catalogueBrand"] == brand
        served.append(body["data"]["_service"]["sdl"].rstrip("\n") + "\n")
    assert served == [SCHEMA_FILE.read_text(encoding="utf-8")] * 2


def test_the_catalogue_composes_alone():
    result = compose([SubgraphInput("catalogue", "http://catalogue/graphql", sdl())])
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    assert "type Product" in result.supergraph_sdl
    assert 'join__type(graph: CATALOGUE, key: "id")' in result.supergraph_sdl


def test_create_app_rejects_a_malformed_brand():
    for brand in ("", "Lumen", "lu:men", "1lumen"):
        with pytest.raises(ValueError):
            create_app(brand, "sqlite+aiosqlite://")
