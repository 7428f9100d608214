"""`[limits]` and `[gateway] introspection` in the config, the environment and `serve`."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from gateway.config import ConfigFileError, load_config
from gateway.limits import Limits
from gateway.limits.settings import build_limits
from tests.gateway.http.asgi_client import request
from tests.gateway.limits.federation import supergraph_sdl

IN_PROCESS = "tests.gateway.limits.federation:in_process_apps"
GRAPHQL_JSON = "application/graphql-response+json"


def test_the_defaults() -> None:
    config = load_config(None, env={})
    limits = build_limits(config.limits, introspection=config.gateway.introspection)
    assert limits == Limits()
    assert (limits.max_depth, limits.max_aliases, limits.max_root_fields) == (15, 30, 20)
    assert (limits.max_tokens, limits.max_directives, limits.max_cost) == (15_000, 50, 50_000)
    assert limits.introspection


def test_file_and_environment(tmp_path: Path) -> None:
    path = tmp_path / "gw.toml"
    path.write_text("[limits]\nmax_depth = 8\nmax_cost = 5000\n[gateway]\nintrospection = false\n")
    config = load_config(path, env={"BRAND_MATRIX_LIMITS_MAX_DEPTH": "4"})
    assert config.limits.max_depth == 4  # the environment overrides the file
    assert config.origins["limits.max_depth"] == "environment BRAND_MATRIX_LIMITS_MAX_DEPTH"
    assert config.limits.max_cost == 5000
    limits = build_limits(config.limits, introspection=config.gateway.introspection)
    assert (limits.max_depth, limits.max_cost, limits.introspection) == (4, 5000, False)


@pytest.mark.parametrize(
    ("env", "expected"),
    [
        ({"BRAND_MATRIX_LIMITS_MAX_DEPTH": "deep"}, "limits.max_depth must be an integer"),
        ({"BRAND_MATRIX_LIMITS_MAX_ALIASES": "-1"}, "limits.max_aliases must be 0 to"),
        ({"BRAND_MATRIX_LIMITS_MAX_COST": "-5"}, "limits.max_cost must be 0 or more"),
        ({"BRAND_MATRIX_LIMITS_DEPTH": "3"}, "unknown key limits.depth"),
    ],
)
def test_bad_values(env: dict[str, str], expected: str) -> None:
    with pytest.raises(ConfigFileError) as raised:
        load_config(None, env=env)
    [problem] = raised.value.problems
    assert expected in problem


async def test_serve_wires_the_limits_and_introspection(tmp_path: Path) -> None:
    from gateway.serve import build_app

    (tmp_path / "supergraph.graphql").write_text(supergraph_sdl())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\nintrospection = false\n'
        '[supergraph]\nsource = "supergraph.graphql"\n'
        "[telemetry]\njson_logs = false\naccess_log = false\nmetrics = false\n"
        "[limits]\nmax_cost = 20\n",
        encoding="utf-8",
    )
    env = {"BRAND_MATRIX_LIMITS_MAX_DEPTH": "2"}
    app = await asyncio.to_thread(build_app, load_config(path, env=env))

    async def post(query: str) -> tuple[int, list[str]]:
        reply = await request(app, "POST", json={"query": query}, headers={"Accept": GRAPHQL_JSON})
        errors = reply.json().get("errors") or []
        return reply.status, [e["extensions"]["code"] for e in errors]

    assert await post("{ node { id } }") == (200, [])
    assert await post("{ node { child { id } } }") == (400, ["MAX_DEPTH_EXCEEDED"])
    assert await post("{ __schema { description } }") == (400, ["INTROSPECTION_DISABLED"])
    assert await post("{ __typename }") == (200, [])
    assert await post("{ expensive }") == (400, ["COST_ESTIMATED_TOO_EXPENSIVE"])


def test_dev_gateways_have_the_default_limits() -> None:
    from gateway.dev import DevServer

    server = DevServer(stack=None, supergraph_sdl=supergraph_sdl(), transports={}, brands=[])
    assert server.gateway().limits == Limits()
    assert server.gateway(limits=None).limits is None


async def test_the_production_profile(tmp_path: Path) -> None:
    """Persisted-only mode (safelist + require_hash), introspection off, default limits."""
    from gateway.persisted import sha256_hex
    from gateway.serve import build_app

    registered = "query Hello { hello node { id } }"
    (tmp_path / "ops" / "app").mkdir(parents=True)
    (tmp_path / "ops" / "app" / "hello.graphql").write_text(registered)
    (tmp_path / "supergraph.graphql").write_text(supergraph_sdl())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\nintrospection = false\ngraphiql = false\n'
        '[supergraph]\nsource = "supergraph.graphql"\n'
        "[telemetry]\njson_logs = false\naccess_log = false\nmetrics = false\n"
        '[persisted_queries]\nsafelist = "ops"\nrequire_hash = true\n',
        encoding="utf-8",
    )
    app = await asyncio.to_thread(build_app, load_config(path, env={}))

    async def post(payload: dict[str, object]) -> tuple[int, dict]:
        reply = await request(app, "POST", json=payload, headers={"Accept": GRAPHQL_JSON})
        return reply.status, reply.json()

    def by_hash(text: str) -> dict[str, object]:
        return {"extensions": {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex(text)}}}

    assert await post(by_hash(registered)) == (200, {"data": {"hello": "hi", "node": {"id": 1}}})
    status, body = await post({"query": registered})
    assert (status, body["errors"][0]["extensions"]["code"]) == (
        400,
        "PERSISTED_QUERY_ID_REQUIRED",
    )
    status, body = await post(by_hash("{ __schema { description } }"))
    assert body["errors"][0]["extensions"]["code"] == "PERSISTED_QUERY_NOT_IN_SAFELIST"
