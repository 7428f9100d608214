"""Contracts wired into `brand-matrix serve --config` and `brand-matrix dev`."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from gateway import cli
from gateway.contracts import ContractSpec
from gateway.dev import DevError, config_contracts
from tests.gateway.contracts.federation import supergraph_sdl
from tests.gateway.http.asgi_client import request

IN_PROCESS = "tests.gateway.contracts.federation:in_process_apps"


async def test_serve_config_serves_each_contract(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    apps: list[Any] = []
    monkeypatch.setattr("uvicorn.run", lambda app, **kwargs: apps.append(app))
    (tmp_path / "supergraph.graphql").write_text(supergraph_sdl(), encoding="utf-8")
    config = tmp_path / "gateway.toml"
    config.write_text(
        f'[gateway]\nin_process = "{IN_PROCESS}"\n'
        '[supergraph]\nsource = "supergraph.graphql"\n[reload]\nsupergraph_interval = 0\n'
        "[telemetry]\nmetrics = false\njson_logs = false\naccess_log = false\n"
        '[contracts.public]\nexclude_tags = ["staff"]\n',
        encoding="utf-8",
    )
    assert cli.main(["serve", "--config", str(config)]) == 0
    (app,) = apps
    body = {"query": "{ products { costFen } }"}
    headers = {"accept": "application/graphql-response+json"}
    hidden = await request(app, "POST", "/contracts/public/graphql", json=body, headers=headers)
    assert hidden.status == 400
    shown = await request(app, "POST", "/graphql", json=body, headers=headers)
    assert shown.status == 200 and shown.json()["data"]["products"][0]["costFen"] == 3000


def test_dev_reads_the_config_contracts(tmp_path: Path) -> None:
    path = tmp_path / "brand-matrix.toml"
    path.write_text('[contracts.public]\nexclude_tags = ["staff"]\n', encoding="utf-8")
    assert config_contracts(path) == [ContractSpec("public", exclude_tags=frozenset({"staff"}))]
    assert config_contracts(None) == []
    path.write_text("[contracts.public]\nexclude_tags = 1\n", encoding="utf-8")
    with pytest.raises(DevError, match=r"contracts\.public\.exclude_tags"):
        config_contracts(path)


def test_the_repository_config_has_endpoint_only_miniprogram_contract() -> None:
    root = Path(__file__).resolve().parents[3]
    (spec,) = [s for s in config_contracts(root / "brand-matrix.toml") if s.name == "miniprogram"]
    assert spec.exclude_tags == {"staff", "operator", "service"}
    assert spec.brands == ()  # staff tools send X-Brand too: no selection by brand on /graphql
    assert set(spec.front_ends) == {"lumen-miniprogram", "vitalis-miniprogram"}
