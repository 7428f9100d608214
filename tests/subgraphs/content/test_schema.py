from __future__ import annotations

from pathlib import Path

import pytest

from gateway.composition import SubgraphInput, compose
from gateway.service import Gateway, GraphQLRequest
from gateway.transport.asgi import AsgiTransport
from subgraphs.catalogue.app import create_app as create_catalogue
from subgraphs.catalogue.app import migrate as migrate_catalogue
from subgraphs.catalogue.print_schema import SCHEMA_FILE as CATALOGUE_SCHEMA_FILE
from subgraphs.catalogue.seed import seed_demo as seed_catalogue
from subgraphs.content.app import create_app, migrate
from subgraphs.content.print_schema import SCHEMA_FILE, main
from subgraphs.content.schema import sdl
from subgraphs.content.seed import seed_demo

from ..common.asgi import call
from . import member_standin
from .conftest import NOW

ROOT = Path(__file__).resolve().parents[3]


def test_checked_in_sdl_is_current():
    assert SCHEMA_FILE == ROOT / "schema" / "content.graphql"
    assert SCHEMA_FILE.read_text(encoding="utf-8") == sdl(), (
        "schema/content.graphql is stale: run python -m subgraphs.content.print_schema"
    )


def test_print_schema_writes_the_sdl(tmp_path, capsys):
    target = tmp_path / "out" / "content.graphql"
    assert main([str(target)]) == 0
    assert target.read_text(encoding="utf-8") == sdl()


async def test_every_brand_serves_the_same_sdl(tmp_path):
    served = []
    for brand in ("lumen", "aurora"):
        app = create_app(brand, f"sqlite+aiosqlite:///{tmp_path / brand}.db")
        status, body = await call(
            app, "POST", "/graphql", json={"query": "{ _service { sdl } contentBrand }"}
        )
        await app.state.database.dispose()
        assert status == 200 and "errors" not in body, body
        assert body["data"]["contentBrand"] == brand
        served.append(body["data"]["_service"]["sdl"].rstrip("\n") + "\n")
    assert served == [SCHEMA_FILE.read_text(encoding="utf-8")] * 2


def _compose_with_catalogue():
    """Content with the catalogue and a member subgraph (content's @requires needs one)."""
    return compose(
        [
            SubgraphInput(
                "catalogue",
                "http://catalogue/graphql",
                CATALOGUE_SCHEMA_FILE.read_text(encoding="utf-8"),
            ),
            SubgraphInput("content", "http://content/graphql", sdl()),
            SubgraphInput("member", "http://member/graphql", member_standin.sdl()),
        ]
    )


def test_content_composes_with_the_catalogue():
    result = _compose_with_catalogue()
    assert result.errors == [] and result.ok, [e.message for e in result.errors]
    assert 'join__type(graph: CONTENT, key: "id", resolvable: false)' in result.supergraph_sdl
    assert 'join__type(graph: CONTENT, key: "id")' in result.supergraph_sdl  # Banner, Article


async def test_gateway_resolves_banner_products_from_the_catalogue(tmp_path):
    brand = "lumen"
    catalogue_url = f"sqlite+aiosqlite:///{tmp_path / 'catalogue.db'}"
    content_url = f"sqlite+aiosqlite:///{tmp_path / 'content.db'}"
    migrate_catalogue(catalogue_url)
    migrate(content_url)
    catalogue = create_catalogue(brand, catalogue_url)
    content = create_app(brand, content_url, clock=lambda: NOW)
    async with catalogue.state.database.session() as session:
        await seed_catalogue(session, brand)
    async with content.state.database.session() as session:
        await seed_demo(session, brand)
    gateway = Gateway(
        _compose_with_catalogue().supergraph_sdl,
        transports={
            "catalogue": AsgiTransport("catalogue", catalogue),
            "content": AsgiTransport("content", content),
            "member": AsgiTransport("member", member_standin.app()),
        },
    )
    try:
        response = await gateway.execute(
            GraphQLRequest('{ banners(placement: "home") { title product { name priceFen } } }')
        )
    finally:
        await gateway.aclose()
        await catalogue.state.database.dispose()
        await content.state.database.dispose()
    assert response.body == {
        "data": {
            "banners": [
                {
                    "title": "Lumen New: Hydra Cream",
                    "product": {"name": "Lumen Hydra Cream", "priceFen": 19800},
                },
                {
                    "title": "Lumen Glow Week",
                    "product": {"name": "Lumen Glow Serum", "priceFen": 16800},
                },
                {"title": "Lumen Member Day", "product": None},
            ]
        }
    }


def test_create_app_rejects_a_malformed_brand():
    for brand in ("", "Lumen", "lu:men", "1lumen"):
        with pytest.raises(ValueError):
            create_app(brand, "sqlite+aiosqlite://")


def test_content_needs_a_member_subgraph_that_owns_the_required_fields():
    """Alone (with the catalogue only), the @external member fields have no owner."""
    result = compose(
        [
            SubgraphInput(
                "catalogue", "http://catalogue/graphql", CATALOGUE_SCHEMA_FILE.read_text()
            ),
            SubgraphInput("content", "http://content/graphql", sdl()),
        ]
    )
    assert not result.ok
    assert {e.code for e in result.errors} == {"EXTERNAL_MISSING_ON_BASE"}
