"""`serve` wires [usage]: requests counted, flushed to the sink on shutdown, and GET /usage
when the endpoint is on (404 when off)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from gateway.config import load_config
from gateway.serve import build_app
from gateway.usage.reader import read_usage
from tests.gateway.http.asgi_client import request, run_lifespan
from tests.gateway.reload_federation import supergraph
from tests.gateway.test_cli_serve_config import IN_PROCESS


def write_config(tmp_path: Path, usage: str) -> Path:
    (tmp_path / "supergraph.graphql").write_text(supergraph())
    path = tmp_path / "gateway.toml"
    path.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\n'
        '[supergraph]\nsource = "supergraph.graphql"\n'
        f"[telemetry]\njson_logs = false\n[usage]\n{usage}\n",
        encoding="utf-8",
    )
    return path


async def test_served_requests_reach_the_endpoint_and_the_sink(tmp_path: Path) -> None:
    sink = f"sqlite:///{tmp_path / 'usage.db'}"
    path = write_config(tmp_path, f'endpoint = true\nsink = "{sink}"')
    app = await asyncio.to_thread(build_app, load_config(path, env={}))
    for _ in range(2):
        reply = await request(app, "POST", json={"query": "query P { pid }"},
                              headers={"apollographql-client-name": "mini-program"})  # fmt: skip
        assert reply.status == 200 and "errors" not in reply.json()
    usage = await request(app, "GET", "/usage", params={"days": "1"})
    assert usage.status == 200
    body = usage.json()
    assert body["days"] == 1 and body["fields"]["Query.pid"] == 2
    assert body["operations"] == [{"client": "mini-program", "operation": "P", "requests": 2}]
    for days in ("0", "x", "31", "²", "-1", "1.5"):  # "²" is a digit to str.isdigit
        assert (await request(app, "GET", "/usage", params={"days": days})).status == 400
    await run_lifespan(app)  # shutdown flushes to the sink
    assert read_usage(sink, days=1)["Query.pid"] == 2


async def test_no_endpoint_unless_enabled(tmp_path: Path) -> None:
    app = await asyncio.to_thread(build_app, load_config(write_config(tmp_path, ""), env={}))
    assert (await request(app, "POST", json={"query": "{ pid }"})).status == 200
    assert (await request(app, "GET", "/usage")).status == 404
