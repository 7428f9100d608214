"""The gateway config file (`brand-matrix.toml`) and its loader.

One TOML file holds everything a deployment needs::

    [gateway]                    # the server: see GatewaySettings
    port = 4000
    forward_headers = ["authorization"]
    [supergraph]                 # where the supergraph comes from: see SupergraphSettings
    source = "schema/supergraph.graphql"   # a file, an http(s) URL, or "compose"
    [reload]                     # hot reload: see ReloadSettings
    supergraph_interval = 1.0
    [subgraphs.NAME]             # gateway/composition/sources.py (url, schema | introspect)
    [partitions.NAME]            # gateway/partitions/config.py (brand partitions)
    [brands.ID]                  # gateway/partitions/config.py (display names)
    [contracts.NAME]             # gateway/contracts/spec.py: filtered schemas by @tag
    [headers]                    # gateway/headers.py: what reaches subgraphs, e.g.
    all = [{ propagate = { matching = "^x-(brand|device)-" } }]
    subgraphs.order = [{ insert = { name = "x-caller", value = "gateway" } }]

    [auth] [persisted_queries] [rate_limits] [telemetry]   # gateway/config_features.py
    [limits]                     # gateway/limits/settings.py: depth, aliases, tokens, cost...
    [usage]                      # gateway/usage/settings.py: field usage counts, sink

Precedence, lowest first: defaults, the file, environment variables
(`BRAND_MATRIX_<SECTION>_<KEY>`, e.g. `BRAND_MATRIX_GATEWAY_PORT=8080`,
`BRAND_MATRIX_GATEWAY_FORWARD_HEADERS=authorization,x-brand`; an empty value unsets an optional
key), then command-line flags. Every value is validated the same way whatever its origin, and
every problem is one line naming the key and where it came from (`ConfigFileError.problems`).
"""

from __future__ import annotations

import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.composition.sources import SourceError, SubgraphSource, parse_subgraph_tables
from gateway.config_checks import RESERVED_SECTIONS, RULE_TABLES, SETTINGS_SECTIONS
from gateway.config_features import (
    AuthSettings,
    PersistedQuerySettings,
    RateLimitSettings,
    TelemetrySettings,
)
from gateway.config_fields import (
    SettingError,
    Spec,
    above,
    between,
    coerce,
    from_text,
    header_names,
    import_spec,
    non_empty,
    one_of,
    setting,
    specs,
)
from gateway.config_fields import (
    http_url as _http_url,
)
from gateway.contracts.spec import (
    ContractConfigError,
    ContractSpec,
    parse_contract_tables,
    unknown_brands,
)
from gateway.errors import Problems
from gateway.headers import HeaderRuleError, HeaderRules
from gateway.limits.settings import LimitsSettings
from gateway.partitions.config import BrandMatrixConfig, ConfigError, parse_config
from gateway.usage.settings import UsageSettings

ENV_PREFIX = "BRAND_MATRIX_"
# Read elsewhere although named like a setting: the gateway's shared secret with the
# subgraphs (gateway/subgraph_secret.py; `[gateway] subgraph_secret` overrides it).
NOT_SETTINGS = frozenset({"BRAND_MATRIX_GATEWAY_SECRET"})
CONFIG_ENV = "BRAND_MATRIX_CONFIG"  # the config file, when --config is not given
COMPOSE = "compose"
LOG_LEVELS = ("critical", "error", "warning", "info", "debug")
TABLE_SECTIONS = ("subgraphs", "partitions", "brands")
# Seconds between supergraph checks when reload.supergraph_interval is not set, per source.
DEFAULT_SUPERGRAPH_INTERVALS = {"file": 1.0, "url": 30.0, COMPOSE: 10.0}


def _supergraph_source(value: str) -> str | None:
    if not value.strip():
        return "must be a file, an http(s) URL or 'compose'"
    problem = _http_url(value) if "://" in value else None
    return f"is not a usable URL: {problem}" if problem else None


@dataclass(frozen=True)
class GatewaySettings:
    host: str = setting("127.0.0.1", "address to bind", check=non_empty)
    port: int = setting(4000, "port to bind", check=between(0, 65535))
    workers: int = setting(1, "uvicorn worker processes", check=between(1, 256))
    log_level: str = setting("info", "server log level", check=one_of(*LOG_LEVELS))
    subgraph_timeout: float = setting(30.0, "seconds per subgraph request", check=above(0))
    forward_headers: tuple[str, ...] = setting(
        (), "client headers passed on to subgraphs", check=header_names
    )
    max_body_size: int = setting(1024 * 1024, "largest request body, bytes", check=above(0))
    graphiql: bool = setting(True, "GraphiQL for browsers at /graphql")
    introspection: bool = setting(True, "introspection (__schema, __type); false: refused")
    in_process: str | None = setting(
        None, "MODULE:FUNCTION returning {subgraph: ASGI app}", check=import_spec
    )
    ready_timeout: float = setting(2.0, "seconds per subgraph probe of /ready", check=above(0))
    ready_cache: float = setting(5.0, "seconds a /ready report is reused", check=between(0))
    subgraph_secret: str | None = setting(
        None,
        "shared secret sent to subgraphs in x-brand-matrix-gateway "
        "(default: BRAND_MATRIX_GATEWAY_SECRET; 'new,old' sends new)",
        secret=True,
    )


@dataclass(frozen=True)
class SupergraphSettings:
    source: str | None = setting(
        None, "supergraph file, http(s) URL, or 'compose' ([subgraphs])", check=_supergraph_source
    )
    timeout: float = setting(
        10.0, "seconds to fetch a URL source or each subgraph's SDL", check=above(0)
    )


@dataclass(frozen=True)
class ReloadSettings:
    supergraph_interval: float | None = setting(
        None,
        "seconds between supergraph checks; 0 off (default 1 file, 30 URL, 10 compose)",
        check=between(0),
    )
    config_interval: float = setting(
        1.0, "seconds between checks of this file for brand changes; 0 off", check=between(0)
    )
    grace: float = setting(
        30.0, "seconds a replaced subgraph client may finish its requests", check=between(0)
    )


# Sections this module validates. To implement a reserved section: add its dataclass here and
# move its name from RESERVED_SECTIONS to SETTINGS_SECTIONS (config_checks.py).
SECTIONS: dict[str, type] = {
    "gateway": GatewaySettings,
    "supergraph": SupergraphSettings,
    "reload": ReloadSettings,
    "auth": AuthSettings,
    "persisted_queries": PersistedQuerySettings,
    "telemetry": TelemetrySettings,
    "limits": LimitsSettings,
    "rate_limits": RateLimitSettings,
    "usage": UsageSettings,
}
assert tuple(SECTIONS) == SETTINGS_SECTIONS


class ConfigFileError(Problems):
    """A config that cannot be used: one line per problem, each naming the key and its origin."""


@dataclass(frozen=True)
class GatewayConfig:
    path: Path | None
    sections: dict[str, Any]  # section name -> its settings dataclass
    origins: dict[str, str]  # "section.key" -> the file, "environment VAR" or "command line"
    subgraphs: tuple[SubgraphSource, ...] = ()
    brands: BrandMatrixConfig = field(default_factory=lambda: BrandMatrixConfig({}, {}))
    header_rules: HeaderRules | None = None  # [headers]
    contracts: tuple[ContractSpec, ...] = ()  # [contracts.NAME]

    @property
    def gateway(self) -> GatewaySettings:
        return self.sections["gateway"]  # type: ignore[no-any-return]

    @property
    def supergraph(self) -> SupergraphSettings:
        return self.sections["supergraph"]  # type: ignore[no-any-return]

    @property
    def reload(self) -> ReloadSettings:
        return self.sections["reload"]  # type: ignore[no-any-return]

    @property
    def auth(self) -> AuthSettings:
        return self.sections["auth"]  # type: ignore[no-any-return]

    @property
    def persisted_queries(self) -> PersistedQuerySettings:
        return self.sections["persisted_queries"]  # type: ignore[no-any-return]

    @property
    def telemetry(self) -> TelemetrySettings:
        return self.sections["telemetry"]  # type: ignore[no-any-return]

    @property
    def limits(self) -> LimitsSettings:
        return self.sections["limits"]  # type: ignore[no-any-return]

    @property
    def rate_limits(self) -> RateLimitSettings:
        return self.sections["rate_limits"]  # type: ignore[no-any-return]

    @property
    def usage(self) -> UsageSettings:
        return self.sections["usage"]  # type: ignore[no-any-return]

    @property
    def supergraph_mode(self) -> str | None:
        """'file', 'url', 'compose', or None when no source is set."""
        source = self.supergraph.source
        if source is None:
            return None
        if source == COMPOSE:
            return COMPOSE
        return "url" if source.startswith(("http://", "https://")) else "file"

    @property
    def supergraph_interval(self) -> float:
        given = self.reload.supergraph_interval
        if given is not None:
            return given
        return DEFAULT_SUPERGRAPH_INTERVALS.get(self.supergraph_mode or "", 0.0)


def load_config(
    path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Mapping[str, Any]] | None = None,
) -> GatewayConfig:
    """The validated config: defaults, then `path` (optional), then `env` (default
    os.environ), then `overrides` ({section: {key: value}}, None values skipped: CLI flags).
    Raises ConfigFileError with every problem found."""
    env = os.environ if env is None else env
    file = Path(path) if path is not None else None
    where = str(file) if file is not None else "config"
    data = _read_toml(file) if file is not None else {}
    problems: list[str] = []
    values: dict[str, dict[str, Any]] = {name: {} for name in SECTIONS}
    origins: dict[str, str] = {}
    _check_top_level(data, where, problems)
    for name in SECTIONS:
        _from_file(name, data.get(name, {}), where, values, origins, problems)
    _from_env(env, values, origins, problems)
    for name, given in (overrides or {}).items():
        for key, value in given.items():
            if value is not None:
                _set(name, key, value, "command line", values, origins, problems, text=False)
    if file is not None and origins.get("supergraph.source") == where:
        values["supergraph"]["source"] = _relative_to(file, values["supergraph"]["source"])
    subgraphs = _subgraphs(data, file, where, problems)
    brands = _brands(data, where, problems)
    header_rules = _header_rules(data, where, problems)
    contracts = _contracts(data, brands, where, problems)
    sections = {name: cls(**values[name]) for name, cls in SECTIONS.items()}
    config = GatewayConfig(
        file, sections, origins, tuple(subgraphs), brands, header_rules, contracts
    )
    _cross_checks(config, problems)
    if problems:
        raise ConfigFileError(problems)
    return config


def config_path(flag: str | None, env: Mapping[str, str] | None = None) -> str | None:
    """The config file: the flag, else $BRAND_MATRIX_CONFIG, else none."""
    env = os.environ if env is None else env
    return flag or env.get(CONFIG_ENV) or None


def env_name(section: str, key: str) -> str:
    return f"{ENV_PREFIX}{section.upper()}_{key.upper()}"


# -- steps -------------------------------------------------------------------------------------


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        reason = error.strerror or error
        raise ConfigFileError(f"cannot read config file {path}: {reason}") from None
    except UnicodeDecodeError:
        raise ConfigFileError(f"cannot read config file {path}: not UTF-8 text") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigFileError(f"config file {path} is not valid TOML: {error}") from None


def _header_rules(data: dict[str, Any], where: str, problems: list[str]) -> HeaderRules | None:
    """[headers]: rules for the client headers that reach subgraphs (gateway/headers.py)."""
    table = data.get("headers")
    if table is None:
        return None
    try:
        return HeaderRules.from_config(table) if isinstance(table, dict) else _not_table()
    except HeaderRuleError as error:
        problems.append(f"{where}: {error}")
        return None


def _contracts(
    data: dict[str, Any], brands: BrandMatrixConfig, where: str, problems: list[str]
) -> tuple[ContractSpec, ...]:
    """[contracts.NAME]: filtered schemas by @tag; their `brands` must be the config's."""
    if data.get("contracts") is None:
        return ()
    try:
        contracts = parse_contract_tables(data["contracts"], where)
    except ContractConfigError as error:
        problems.extend(error.problems)
        return ()
    problems.extend(unknown_brands(contracts, brands.brands, where))
    return tuple(contracts)


def _not_table() -> HeaderRules:
    raise HeaderRuleError("headers must be a table")


def _check_top_level(data: dict[str, Any], where: str, problems: list[str]) -> None:
    known = (*SECTIONS, *TABLE_SECTIONS, *RULE_TABLES)
    for key in data:
        if key in RESERVED_SECTIONS:
            problems.append(
                f"{where}: [{key}] is reserved for a feature that is not built yet; remove it"
            )
        elif key not in known:
            problems.append(f"{where}: unknown key {key!r} (expected: {', '.join(known)})")


def _from_file(
    name: str,
    table: Any,
    where: str,
    values: dict[str, dict[str, Any]],
    origins: dict[str, str],
    problems: list[str],
) -> None:
    if not isinstance(table, dict):
        problems.append(f"{where}: {name} must be a table ([{name}])")
        return
    for key, value in table.items():
        _set(name, key, value, where, values, origins, problems, text=False)


def _from_env(
    env: Mapping[str, str],
    values: dict[str, dict[str, Any]],
    origins: dict[str, str],
    problems: list[str],
) -> None:
    # Only BRAND_MATRIX_<SECTION>_* are settings; other BRAND_MATRIX_* variables (JWT keys,
    # test databases, the subgraphs' BRAND_MATRIX_GATEWAY_SECRET) belong to others.
    for var in sorted(env):
        if var in NOT_SETTINGS:
            continue
        for name in (*SECTIONS, *RESERVED_SECTIONS):
            prefix = f"{ENV_PREFIX}{name.upper()}_"
            if not var.startswith(prefix):
                continue
            origin = f"environment {var}"
            if name in RESERVED_SECTIONS:
                problems.append(f"{origin}: [{name}] is reserved for a feature not built yet")
            else:
                key = var[len(prefix) :].lower()
                _set(name, key, env[var], origin, values, origins, problems, text=True)
            break


def _set(
    section: str,
    key: str,
    value: Any,
    origin: str,
    values: dict[str, dict[str, Any]],
    origins: dict[str, str],
    problems: list[str],
    *,
    text: bool,
) -> None:
    known = specs(SECTIONS[section])
    spec = known.get(key)
    if spec is None:
        problems.append(f"{origin}: unknown key {section}.{key} (expected: {', '.join(known)})")
        return
    try:
        values[section][key] = from_text(spec, value) if text else coerce(spec, value)
    except SettingError as error:
        problems.append(f"{origin}: {section}.{key} {error}")
        return
    origins[f"{section}.{key}"] = origin


def _relative_to(file: Path, source: str | None) -> str | None:
    """A supergraph file named in the config is relative to the config file."""
    if source is None or source == COMPOSE or "://" in source or Path(source).is_absolute():
        return source
    return str(file.parent / source)


def _subgraphs(
    data: dict[str, Any], file: Path | None, where: str, problems: list[str]
) -> list[SubgraphSource]:
    tables = data.get("subgraphs")
    if tables is None:
        return []
    if not isinstance(tables, dict):
        problems.append(f"{where}: 'subgraphs' must be a table of [subgraphs.NAME] tables")
        return []
    try:
        return parse_subgraph_tables(file or Path("config"), tables)
    except SourceError as error:
        problems.extend(error.problems)
        return []


def _brands(data: dict[str, Any], where: str, problems: list[str]) -> BrandMatrixConfig:
    try:
        return parse_config({k: v for k, v in data.items() if k in ("partitions", "brands")}, where)
    except ConfigError as error:
        problems.append(str(error))
        return BrandMatrixConfig({}, {})


def _cross_checks(config: GatewayConfig, problems: list[str]) -> None:
    origins = config.origins
    if config.supergraph_mode == COMPOSE and not config.subgraphs:
        origin = origins.get("supergraph.source", "config")
        problems.append(
            f"{origin}: supergraph.source = 'compose' needs [subgraphs.NAME] tables in the config"
        )


def setting_specs() -> dict[str, dict[str, Spec]]:
    """section -> key -> Spec, for documentation and `config check`."""
    return {name: specs(cls) for name, cls in SECTIONS.items()}
