"""The gateway config file: sections, validation, environment overrides (gateway/config.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from gateway.config import ConfigFileError, load_config
from gateway.config_print import describe, mask_url

ROOT = Path(__file__).resolve().parents[2]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "brand-matrix.toml"
    path.write_text(text, encoding="utf-8")
    return path


def problems(path: Path | None, env: dict[str, str] | None = None, **kw: object) -> list[str]:
    with pytest.raises(ConfigFileError) as caught:
        load_config(path, env=env or {}, **kw)  # type: ignore[arg-type]
    return caught.value.problems


def test_defaults_without_a_file() -> None:
    config = load_config(None, env={})
    assert (config.gateway.host, config.gateway.port, config.gateway.workers) == (
        "127.0.0.1",
        4000,
        1,
    )
    assert config.supergraph.source is None and config.supergraph_interval == 0
    assert config.subgraphs == () and config.brands.partitions == {}


def test_the_repository_config_loads() -> None:
    config = load_config(ROOT / "brand-matrix.toml", env={})
    assert {s.name for s in config.subgraphs} >= {"member", "catalogue"}
    assert set(config.brands.partitions) == {"catalogue", "content"}
    assert config.supergraph_mode == "file"
    assert Path(config.supergraph.source or "").resolve() == ROOT / "schema/supergraph.graphql"


def test_all_sections(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        """
[gateway]
host = "0.0.0.0"
port = 8080
workers = 2
forward_headers = ["authorization", "x-brand"]
max_body_size = 2048
graphiql = false
subgraph_timeout = 5
[supergraph]
source = "compose"
[reload]
supergraph_interval = 0.5
[subgraphs.a]
url = "http://a:4001/graphql"
introspect = true
""",
    )
    config = load_config(path, env={})
    assert config.gateway.port == 8080 and config.gateway.workers == 2
    assert config.gateway.forward_headers == ("authorization", "x-brand")
    assert config.gateway.subgraph_timeout == 5.0 and not config.gateway.graphiql
    assert config.supergraph_mode == "compose" and config.supergraph_interval == 0.5
    assert config.origins["gateway.port"] == str(path)


def test_relative_supergraph_file_is_relative_to_the_config(tmp_path: Path) -> None:
    sub = tmp_path / "deploy"
    sub.mkdir()
    config = load_config(write(sub, '[supergraph]\nsource = "s.graphql"\n'), env={})
    assert config.supergraph.source == str(sub / "s.graphql")
    assert config.supergraph_interval == 1.0  # files are cheap to watch


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[gateway]\nprot = 1\n", "unknown key gateway.prot"),
        ("[gatway]\nport = 1\n", "unknown key 'gatway'"),
        ('[gateway]\nport = "80"\n', "gateway.port must be an integer, got a string"),
        ("[gateway]\nport = 70000\n", "gateway.port must be 0 to 65535"),
        ("[gateway]\nworkers = 0\n", "gateway.workers must be 1 to 256"),
        ("[gateway]\ngraphiql = 1\n", "gateway.graphiql must be a boolean"),
        ('[gateway]\nforward_headers = "authorization"\n', "must be an array of strings"),
        ('[gateway]\nforward_headers = ["bad header"]\n', "not an HTTP header name"),
        ("[gateway]\nsubgraph_timeout = 0\n", "greater than 0"),
        ("[gateway]\nsubgraph_timeout = nan\n", "finite number"),
        ('[gateway]\nlog_level = "loud"\n', "gateway.log_level must be one of"),
        ("[limits]\nmax_depth = -1\n", "limits.max_depth must be 0 to 1e+06"),
        ('[gateway]\nin_process = "nocolon"\n', "MODULE:FUNCTION"),
        ('[supergraph]\nsource = "ftp://x/s"\n', "supergraph.source is not a usable URL"),
        ('[supergraph]\nsource = "http://:80/s"\n', "invalid URL"),
        ('[supergraph]\nsource = "compose"\n', "needs [subgraphs.NAME] tables"),
        ("[reload]\ngrace = -1\n", "reload.grace must be 0 or more"),
        ("gateway = 1\n", "gateway must be a table"),
        ("[limits]\nrate = 1\n", "unknown key limits.rate"),
        ("[limit]\nmax_depth = 1\n", "unknown key 'limit'"),
        ("[auth]\njwks = 'x'\n", "unknown key auth.jwks"),
        ('[auth]\npublic_keys = ["nokid"]\n', "must read 'KID=PATH'"),
        ('[persisted_queries]\nredis_url = "http://x"\n', "redis://"),
        ('[telemetry]\notlp_endpoint = "nope"\n', "invalid URL"),
        ('[subgraphs.a]\nurl = "nope"\nschema = "a.graphql"\n', "subgraphs.a.url: invalid URL"),
        ("[partitions.c]\noops = 1\n", "partitions.c: unknown key 'oops'"),
    ],
)
def test_bad_values_are_one_line_naming_the_key_and_file(
    tmp_path: Path, text: str, expected: str
) -> None:
    path = write(tmp_path, text)
    [problem] = problems(path)
    assert expected in problem
    assert str(path) in problem
    assert "\n" not in problem


def test_every_problem_at_once(tmp_path: Path) -> None:
    path = write(tmp_path, '[gateway]\nport = "x"\nhost = ""\n[reload]\nnope = 1\n')
    assert len(problems(path)) == 3


def test_unreadable_and_invalid_files(tmp_path: Path) -> None:
    assert "cannot read config file" in problems(tmp_path / "absent.toml")[0]
    assert "not valid TOML" in problems(write(tmp_path, "[gateway\n"))[0]


def test_environment_overrides_the_file(tmp_path: Path) -> None:
    path = write(tmp_path, "[gateway]\nport = 8080\ngraphiql = true\n")
    env = {
        "BRAND_MATRIX_GATEWAY_PORT": "9090",
        "BRAND_MATRIX_GATEWAY_GRAPHIQL": "off",
        "BRAND_MATRIX_GATEWAY_FORWARD_HEADERS": "authorization, x-brand",
        "BRAND_MATRIX_SUPERGRAPH_SOURCE": "https://registry.example/supergraph",
        "BRAND_MATRIX_RELOAD_SUPERGRAPH_INTERVAL": "",  # empty: unset (the default applies)
        "BRAND_MATRIX_JWT_SECRET": "not ours",  # other BRAND_MATRIX_* variables are ignored
        "BRAND_MATRIX_TEST_POSTGRES_URL": "postgresql://x",
    }
    config = load_config(path, env=env)
    assert config.gateway.port == 9090 and config.gateway.graphiql is False
    assert config.gateway.forward_headers == ("authorization", "x-brand")
    assert config.supergraph_mode == "url" and config.supergraph_interval == 30.0
    assert config.origins["gateway.port"] == "environment BRAND_MATRIX_GATEWAY_PORT"


def test_flags_override_the_environment() -> None:
    env = {"BRAND_MATRIX_GATEWAY_PORT": "9090"}
    config = load_config(None, env=env, overrides={"gateway": {"port": 7070, "host": None}})
    assert config.gateway.port == 7070 and config.gateway.host == "127.0.0.1"
    assert config.origins["gateway.port"] == "command line"


@pytest.mark.parametrize(
    ("name", "value", "expected"),
    [
        ("BRAND_MATRIX_GATEWAY_PORT", "http", "gateway.port must be an integer, got 'http'"),
        ("BRAND_MATRIX_GATEWAY_PORT", "-1", "gateway.port must be 0 to 65535"),
        ("BRAND_MATRIX_GATEWAY_GRAPHIQL", "maybe", "must be true or false"),
        ("BRAND_MATRIX_GATEWAY_SUBGRAPH_TIMEOUT", "soon", "must be a number"),
        ("BRAND_MATRIX_GATEWAY_PROT", "80", "unknown key gateway.prot"),
        ("BRAND_MATRIX_SUPERGRAPH_SOURCE", "ftp://x", "invalid URL"),
        ("BRAND_MATRIX_AUTH_JWKS_URL", "x", "invalid URL"),
        ("BRAND_MATRIX_LIMITS_DEPTH", "3", "unknown key limits.depth"),
        ("BRAND_MATRIX_LIMITS_MAX_COST", "lots", "limits.max_cost must be an integer"),
    ],
)
def test_bad_environment_values_name_the_variable(name: str, value: str, expected: str) -> None:
    [problem] = problems(None, {name: value})
    assert problem.startswith(f"environment {name}: ")
    assert expected in problem


def test_describe_shows_origins_and_masks_url_passwords(tmp_path: Path) -> None:
    path = write(tmp_path, '[supergraph]\nsource = "https://ci:s3cret@registry.example/sg"\n')
    text = describe(load_config(path, env={"BRAND_MATRIX_GATEWAY_PORT": "9090"}))
    assert "s3cret" not in text and "ci:********@registry.example" in text
    assert "port = 9090  # environment BRAND_MATRIX_GATEWAY_PORT" in text
    assert 'host = "127.0.0.1"  # default (env BRAND_MATRIX_GATEWAY_HOST)' in text
    assert mask_url("http://a/b") == "http://a/b"


def test_header_rules_come_from_the_headers_table(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        '[headers]\nall = [{ propagate = { matching = "x-device-.*" } }]\n'
        '[[headers.subgraphs.order]]\ninsert = { name = "x-caller", value = "gateway" }\n',
    )
    rules = load_config(path, env={}).header_rules
    assert rules is not None
    forwarded = rules.apply({"X-Device-Id": "d1", "Cookie": "secret"})
    assert dict(forwarded) == {"x-device-id": "d1"}
    assert forwarded.by_subgraph["order"] == {"x-device-id": "d1", "x-caller": "gateway"}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[headers]\nall = 1\n", "headers.all must be a list of rules"),
        ("[headers]\nall = [{ shout = {} }]\n", "expected propagate, insert or remove"),
        ('[headers]\nall = [{ insert = { name = "host", value = "x" } }]\n', "host"),
        ("[headers]\nbogus = 1\n", "unknown key(s) bogus"),
    ],
)
def test_bad_header_rules_are_one_line(tmp_path: Path, text: str, expected: str) -> None:
    [problem] = problems(write(tmp_path, text))
    assert expected in problem
