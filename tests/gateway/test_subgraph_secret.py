"""The gateway's side of "subgraphs answer the gateway only" (gateway/subgraph_secret.py):
the secret it sends, from the config or the environment, on every fetch and probe, and a
client's header of that name never reaching a subgraph."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from gateway import subgraph_secret
from gateway.config import load_config
from gateway.config_print import describe
from gateway.headers import HeaderRules, Propagate, headers_for
from gateway.subgraph_secret import HEADER, SECRET_ENV


@pytest.fixture(autouse=True)
def _no_process_secret(monkeypatch):
    monkeypatch.delenv(SECRET_ENV, raising=False)
    monkeypatch.setattr(subgraph_secret, "_configured", [])


def test_the_names_are_the_subgraphs_own():
    from subgraphs.common import gateway_secret

    assert (HEADER, SECRET_ENV) == (gateway_secret.HEADER, gateway_secret.SECRET_ENV)


def test_the_first_secret_is_sent_config_before_environment(monkeypatch):
    assert subgraph_secret.resolve() is None
    monkeypatch.setenv(SECRET_ENV, " new , old")
    assert subgraph_secret.resolve() == "new"
    assert subgraph_secret.resolve("cfg,older") == "cfg"
    assert subgraph_secret.first_secret(" , ") is None
    assert subgraph_secret.generate() != subgraph_secret.generate()


def test_a_clients_header_of_that_name_is_dropped_and_the_secret_inserted():
    client = {"authorization": "Bearer t", HEADER: "forged", "x-brand": "lumen"}
    everything = HeaderRules([Propagate(matching=".*")], {"order": [Propagate(named=HEADER)]})
    for rules in (None, HeaderRules.forward(["authorization", HEADER]), everything):
        sent = subgraph_secret.header_rules(rules, None).apply(client)
        for subgraph in ("member", "order"):
            assert HEADER not in headers_for(sent, subgraph)
        sent = subgraph_secret.header_rules(rules, "s3cret").apply(client)
        for subgraph in ("member", "order"):
            assert headers_for(sent, subgraph)[HEADER] == "s3cret"
    sent = subgraph_secret.header_rules(everything, "s3cret").apply({})
    assert headers_for(sent, "order")[HEADER] == "s3cret"


def test_the_gateway_config_has_a_secret_setting(tmp_path):
    path = tmp_path / "gateway.toml"
    path.write_text('[gateway]\nsubgraph_secret = "from-file"\n')
    assert load_config(path, env={}).gateway.subgraph_secret == "from-file"
    config = load_config(path, env={"BRAND_MATRIX_GATEWAY_SUBGRAPH_SECRET": "from-env"})
    assert config.gateway.subgraph_secret == "from-env"
    assert "from-env" not in describe(config)  # a secret setting: masked
    assert load_config(None, env={}).gateway.subgraph_secret is None
    # The subgraphs' variable is not mistaken for a [gateway] setting named "secret".
    assert load_config(None, env={SECRET_ENV: "shared"}).gateway.subgraph_secret is None


def test_serve_sends_the_configured_secret_to_every_subgraph(tmp_path, monkeypatch):
    from gateway import cli
    from gateway.serve import build_app
    from tests.gateway.reload_federation import supergraph

    (tmp_path / "supergraph.graphql").write_text(supergraph())
    path = tmp_path / "gateway.toml"
    path.write_text(
        '[supergraph]\nsource = "supergraph.graphql"\n[gateway]\nsubgraph_secret = "cfg,old"\n'
    )
    seen: dict[str, Any] = {}

    class Stop(Exception):
        pass

    def load_gateway(*args, **kwargs):
        seen.update(kwargs, probe=subgraph_secret.outgoing_headers())
        raise Stop

    monkeypatch.setattr(cli, "_load_gateway", load_gateway)
    with pytest.raises(Stop):
        build_app(load_config(path, env={}))
    assert seen["header_rules"].apply({HEADER: "forged"})[HEADER] == "cfg"
    assert seen["probe"] == {HEADER: "cfg"}  # partition SDL checks, live composition


def test_sdl_fetches_and_readiness_probes_carry_the_secret(monkeypatch):
    from gateway.composition import sources_live
    from gateway.http.ready import Readiness

    subgraph_secret.use("probe-secret")
    posted: list[dict[str, str]] = []

    class Session:
        def post(self, url, *, data, headers):
            posted.append(headers)
            raise OSError("no network in this test")

    asyncio.run(sources_live._fetch_one(Session(), "member", "http://member/graphql", 1.0))
    assert posted[0][HEADER] == "probe-secret"

    fetched: list[Any] = []

    class Transport:
        async def fetch(self, request):
            fetched.append(dict(request.headers))
            return {"data": {"__typename": "Query"}}

    class Gateway:
        transports = {"member": Transport()}
        _forwarding = subgraph_secret.header_rules(HeaderRules.forward(["authorization"]), "gw")

    asyncio.run(Readiness(Gateway()).report())
    assert fetched == [{HEADER: "gw"}]


def test_dev_uses_a_random_secret_end_to_end(monkeypatch, tmp_path):
    from gateway import dev

    built: dict[str, Any] = {}
    real = dev.build_dev_server

    def build(*args, **kwargs):
        built.update(kwargs)
        built["server"] = real(*args, **kwargs)
        return built["server"]

    monkeypatch.setattr(dev, "build_dev_server", build)
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: None)
    dev.serve_dev(
        str(tmp_path), host="127.0.0.1", port=0, brands=["lumen"], log_level="error",
        stack_spec="tests.test_access_matrix:access_stack", reset=False,
    )  # fmt: skip
    secret = built["gateway_secret"]
    assert secret and len(secret) >= 32
    server = built["server"]
    assert server.gateway_secret == secret
    member = server.stack.central_apps["member"]
    assert member.state.gateway_secrets == (secret,)  # the subgraphs were built with it
    assert server._gateway._forwarding.apply({})[HEADER] == secret
    assert SECRET_ENV not in __import__("os").environ  # set only while the stack was built


@pytest.mark.parametrize("secret", [None, "s3cret,older"])
def test_subgraph_serve_warns_in_one_line_without_a_secret(capsys, monkeypatch, tmp_path, secret):
    from gateway.cli import main

    if secret:
        monkeypatch.setenv(SECRET_ENV, secret)
    served: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: served.append(app))
    url = f"sqlite+aiosqlite:///{tmp_path / 'order.db'}"
    assert main(["subgraph", "serve", "order", "--database-url", url]) == 0
    err = capsys.readouterr().err
    if secret:
        assert err == ""
        assert served[0].state.gateway_secrets == ("s3cret", "older")
    else:
        assert err.count("\n") == 1
        assert "warning: order accepts requests from anyone" in err and SECRET_ENV in err
