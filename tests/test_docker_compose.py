"""docker-compose.yml, checked against the code (no Docker engine runs here): every command is
a real `brand-matrix` command with valid flags, every import path imports, every port matches
the gateway config's URLs, every environment variable is one the project reads, every health
check asks a path that exists, and services start in order of health."""

from __future__ import annotations

import re
import shlex
import tomllib
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
import yaml

from gateway.cli import _build_parser, main
from gateway.dev import load_stack_factory

ROOT = Path(__file__).resolve().parents[1]
COMPOSE = yaml.safe_load((ROOT / "docker-compose.yml").read_text(encoding="utf-8"))
SERVICES: dict[str, dict[str, Any]] = COMPOSE["services"]
SOURCE_DIRS = ("gateway", "subgraphs", "tokenkeys")
THIRD_PARTY = {"postgres", "nats", "redis"}
EXPECTED = {
    "gateway",
    "member",
    "loyalty",
    "order",
    "catalogue-lumen",
    "catalogue-vitalis",
    "content-lumen",
    "content-vitalis",
} | THIRD_PARTY


def command(service: dict[str, Any]) -> list[str]:
    value = service["command"]
    return shlex.split(value) if isinstance(value, str) else [str(v) for v in value]


def ours() -> dict[str, list[str]]:
    """service -> argv, for the services that run `brand-matrix`."""
    return {name: command(s) for name, s in SERVICES.items() if name not in THIRD_PARTY}


def flag(argv: list[str], name: str) -> str | None:
    return argv[argv.index(name) + 1] if name in argv else None


def environment(service: dict[str, Any]) -> dict[str, str]:
    env: dict[str, str] = {}
    for file in service.get("env_file", []):
        for line in (ROOT / file).read_text(encoding="utf-8").splitlines():
            if line.strip() and not line.lstrip().startswith("#"):
                key, _, value = line.partition("=")
                env[key.strip()] = value.strip()
    given = service.get("environment") or {}
    if isinstance(given, list):
        given = dict(item.split("=", 1) for item in given)
    env.update({k: str(v) for k, v in given.items()})
    return env


def gateway_config() -> dict[str, Any]:
    path = flag(ours()["gateway"], "--config")
    assert path is not None
    return tomllib.loads((ROOT / path).read_text(encoding="utf-8"))


def test_the_services_are_the_whole_group_with_its_infrastructure():
    assert set(SERVICES) == EXPECTED
    assert "-js" in command(SERVICES["nats"])  # JetStream: the event bus's durable consumers


@pytest.mark.parametrize("name", sorted(EXPECTED - THIRD_PARTY))
def test_each_command_is_a_real_brand_matrix_command_with_valid_flags(name):
    argv = ours()[name]
    assert argv[0] == "brand-matrix"
    args = _build_parser().parse_args(argv[1:])  # argparse exits on an unknown flag or value
    if name == "gateway":
        assert args.command == "serve"
    else:
        assert (args.command, args.subgraph_command) == ("subgraph", "serve")
        assert args.migrate, "each deployment migrates its own database at start"
        factory = load_stack_factory(args.stack)  # the import path it names imports
        assert callable(factory)
    assert flag(argv, "--host") == "0.0.0.0"  # reachable from the other containers


def test_every_file_a_command_names_exists_and_the_gateway_config_composes(capsys, tmp_path):
    for name, argv in ours().items():
        for option in ("--config", "--supergraph"):
            path = flag(argv, option)
            if path and path != "compose":
                assert (ROOT / path).is_file(), f"{name}: {option} {path}"
    config = flag(ours()["gateway"], "--config")
    assert gateway_config()["supergraph"]["source"] == "compose"
    contracts = tmp_path / "contracts"
    argv = ["compose", "--config", config, "--no-partition-check", "--out", "-"]
    assert main([*argv, "--contracts-out", str(contracts)]) == 0
    assert "join__Graph" in capsys.readouterr().out
    assert "groupKpis" not in (contracts / "miniprogram.graphql").read_text()  # operator-only


def test_ports_match_the_urls_of_the_gateway_config():
    config = gateway_config()
    wanted: dict[str, str] = {}  # URL -> what it should reach
    for subgraph, table in config["subgraphs"].items():
        if subgraph not in config.get("partitions", {}):
            wanted[table["url"]] = subgraph
    for subgraph, partition in config["partitions"].items():
        for brand, url in partition["brands"].items():
            wanted[url] = f"{subgraph}@{brand}"
    served: dict[str, str] = {}
    for name, argv in ours().items():
        if name == "gateway":
            continue
        args = _build_parser().parse_args(argv[1:])
        label = args.name if args.brand is None else f"{args.name}@{args.brand}"
        served[f"http://{name}:{args.port}/graphql"] = label
    assert served == wanted
    # The partitioned subgraphs' routing URL is one of their partitions.
    for subgraph in config["partitions"]:
        assert (
            config["subgraphs"][subgraph]["url"]
            in config["partitions"][subgraph]["brands"].values()
        )
    gateway = _build_parser().parse_args(ours()["gateway"][1:])
    assert SERVICES["gateway"]["ports"] == [f"{gateway.port}:{gateway.port}"]


def _read_by_the_project() -> set[str]:
    """Environment variable names the source reads (a quoted literal), and the gateway
    config's BRAND_MATRIX_<SECTION>_<KEY> settings."""
    text = "\n".join(
        path.read_text(encoding="utf-8")
        for directory in SOURCE_DIRS
        for path in (ROOT / directory).rglob("*.py")
    )
    names = set(re.findall(r"[\"']([A-Z][A-Z0-9_]{3,})[\"']", text))
    from dataclasses import fields

    from gateway.config import ENV_PREFIX, SECTIONS

    for section, settings in SECTIONS.items():
        names |= {f"{ENV_PREFIX}{section.upper()}_{f.name.upper()}" for f in fields(settings)}
    return names


def test_every_environment_variable_is_one_the_project_reads():
    known = _read_by_the_project()
    for name, service in SERVICES.items():
        if name in THIRD_PARTY:
            continue
        env = environment(service)
        assert set(env) <= known, f"{name}: {sorted(set(env) - known)} are read by nothing"
        assert env["BRAND_MATRIX_BUS_URL"] == "nats://nats:4222"
        assert env["BRAND_MATRIX_JWT_SECRET"]
    assert environment(SERVICES["member"])["BRAND_MATRIX_BRANDS"] == "lumen,vitalis"


def test_each_deployment_has_its_own_postgres_database():
    from subgraphs.common.database import async_url

    created = set(
        re.findall(r"CREATE DATABASE (\w+);", (ROOT / "deploy/postgres/init.sql").read_text())
    )
    postgres = environment(SERVICES["postgres"])
    databases = []
    for name in ours():
        if name == "gateway":
            continue
        url = environment(SERVICES[name])["DATABASE_URL"]
        assert async_url(url).startswith("postgresql+psycopg://")
        parts = urlsplit(url)
        assert (parts.hostname, parts.port) == ("postgres", 5432)
        assert (parts.username, parts.password) == (
            postgres["POSTGRES_USER"],
            postgres["POSTGRES_PASSWORD"],
        )
        databases.append(parts.path.lstrip("/"))
    assert len(set(databases)) == len(databases) == 7
    assert set(databases) == created


def _health_url(service: dict[str, Any]) -> str:
    test = " ".join(service["healthcheck"]["test"])
    found = re.search(r"http://[^'\"\s]+", test)
    assert found, test
    return found.group(0)


def test_every_health_check_asks_a_path_the_service_serves(tmp_path):
    from gateway.http.app import HEALTH_PATH
    from subgraphs.stack import deployment_app

    for name, argv in ours().items():
        url = urlsplit(_health_url(SERVICES[name]))
        args = _build_parser().parse_args(argv[1:])
        assert (url.hostname, url.port) == ("127.0.0.1", args.port), name
        if name == "gateway":
            assert url.path == HEALTH_PATH
            continue
        database = f"sqlite+aiosqlite:///{tmp_path / (name + '.db')}"
        app, _ = deployment_app(args.name, args.brand, database)
        assert url.path in {route.path for route in app.routes}, name
    for name in THIRD_PARTY:
        assert SERVICES[name]["healthcheck"]["test"], name


def test_services_start_once_what_they_need_is_healthy():
    subgraphs = set(ours()) - {"gateway"}
    for name, service in SERVICES.items():
        for needed, rule in (service.get("depends_on") or {}).items():
            assert rule == {"condition": "service_healthy"}, (name, needed)
            assert "healthcheck" in SERVICES[needed], needed
    assert set(SERVICES["gateway"]["depends_on"]) == subgraphs | {"redis"}
    for name in subgraphs:
        assert set(SERVICES[name]["depends_on"]) == {"postgres", "nats"}, name


def test_the_gateway_shares_persisted_queries_through_the_compose_redis():
    env = environment(SERVICES["gateway"])
    assert env["BRAND_MATRIX_PERSISTED_QUERIES_ENABLED"] == "true"
    assert env["BRAND_MATRIX_PERSISTED_QUERIES_REDIS_URL"].startswith("redis://redis:")
    assert env["BRAND_MATRIX_USAGE_SINK"].startswith("redis://redis:")  # for `check --usage`
    assert "redis" in SERVICES


def test_the_gateway_and_every_subgraph_share_the_gateway_secret():
    """Subgraphs answer the gateway only: every Brand Matrix service gets the same secret,
    the one the gateway sends (from the environment: no [gateway] subgraph_secret in its
    config) and the subgraphs check."""
    from gateway.subgraph_secret import HEADER, SECRET_ENV
    from subgraphs.common.gateway_secret import HEADER as CHECKED
    from subgraphs.common.gateway_secret import secrets_from_env

    assert HEADER == CHECKED
    secrets = {name: environment(SERVICES[name]).get(SECRET_ENV) for name in ours()}
    assert len(set(secrets.values())) == 1 and all(secrets.values()), secrets
    assert "subgraph_secret" not in gateway_config().get("gateway", {})
    from gateway.config import load_config

    path = ROOT / (flag(ours()["gateway"], "--config") or "")
    load_config(path, env=environment(SERVICES["gateway"]))  # the gateway starts with it
    assert secrets_from_env(environment(SERVICES["member"]))


def test_a_compose_subgraph_refuses_requests_without_the_gateway_secret(tmp_path, monkeypatch):
    import asyncio

    from gateway.subgraph_secret import HEADER, SECRET_ENV
    from subgraphs.stack import deployment_app
    from tests.subgraphs.common.asgi import call

    secret = environment(SERVICES["order"])[SECRET_ENV]
    monkeypatch.setenv(SECRET_ENV, secret)
    app, _ = deployment_app("order", None, f"sqlite+aiosqlite:///{tmp_path / 'order.db'}")
    query = {"query": "{ _service { sdl } }"}
    status, body = asyncio.run(call(app, "POST", "/graphql", json=query))
    assert status == 403 and body["errors"][0]["extensions"]["code"] == "GATEWAY_REQUIRED"
    status, _ = asyncio.run(call(app, "POST", "/graphql", json=query, headers={HEADER: secret}))
    assert status == 200
