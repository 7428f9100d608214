"""The `[partitions.NAME]` tables of `brand-matrix.toml`::

    [partitions.catalogue]
    brand_from = "prefix"        # key "id" looks like "lumen:SKU-1001"; or "field"
    key_field = "id"             # with brand_from = "field": the key field holding the brand
    group_wide = ["products"]    # root list fields fanned out to every brand, concatenated
    [partitions.catalogue.brands]  # brand id -> URL, in fan-out order
    lumen = "http://127.0.0.1:4101/graphql"
    aurora = "http://127.0.0.1:4102/graphql"

    [brands.lumen]               # optional: a brand's display name (`brand-matrix brand add`)
    name = "Lumen"

Every problem is a `ConfigError` with a one-line message naming the key.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.config_checks import (
    RESERVED_SECTIONS,
    RULE_TABLES,
    SETTINGS_SECTIONS,
    toml_type,
    url_problem,
)
from gateway.partitions.rules import BRAND_SOURCES, RoutingRules

PARTITION_KEYS = ("brand_from", "key_field", "group_wide", "brands")
BRAND_KEYS = ("name",)
# Top-level tables other modules read from the same file (see composition/sources.py).
OTHER_TOP_LEVEL_KEYS = ("subgraphs", *SETTINGS_SECTIONS, *RESERVED_SECTIONS, *RULE_TABLES)
# What `brand-matrix brand add` accepts as a new brand id (existing ids are checked loosely).
BRAND_ID = re.compile(r"[a-z][a-z0-9_]*")


class ConfigError(Exception):
    """A partition config that cannot be used; the message is one line naming the key."""


@dataclass(frozen=True)
class PartitionConfig:
    """One partitioned subgraph: its brands (id -> URL, in fan-out order) and routing rules."""

    subgraph: str
    brands: dict[str, str]
    rules: RoutingRules


@dataclass(frozen=True)
class BrandMatrixConfig:
    """What `brand-matrix.toml` says about brands: partitioned subgraphs and display names."""

    partitions: dict[str, PartitionConfig]
    names: dict[str, str]  # brand id -> display name, from the `[brands.ID]` tables

    @property
    def brands(self) -> list[str]:
        """Every brand id: in partition (fan-out) order, then named brands without partitions."""
        found: dict[str, None] = {}
        for partition in self.partitions.values():
            found.update(dict.fromkeys(partition.brands))
        found.update(dict.fromkeys(self.names))
        return list(found)


def load_partitions(path: str | Path) -> dict[str, PartitionConfig]:
    """The partitioned subgraphs of a TOML config file (none when it has no `partitions`)."""
    return load_config(path).partitions


def load_config(path: str | Path) -> BrandMatrixConfig:
    """The `[partitions.NAME]` and `[brands.ID]` tables of a TOML config file, validated."""
    path = Path(path)
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read config file {path}: not UTF-8 text") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None
    return parse_config(data, str(path))


def parse_config(data: dict[str, Any], where: str = "config") -> BrandMatrixConfig:
    """The partitions and brand names of an already parsed config document."""
    return BrandMatrixConfig(parse_partitions(data, where), parse_brand_names(data, where))


def parse_brand_names(data: dict[str, Any], where: str = "config") -> dict[str, str]:
    """The `[brands.ID] name = "..."` tables: brand id -> display name, in file order."""
    tables = data.get("brands", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{where}: 'brands' must be a table of [brands.ID] tables")
    names: dict[str, str] = {}
    for brand, table in tables.items():
        at = f"{where}: brands.{brand}"
        if not brand or any(c.isspace() for c in brand) or ":" in brand:
            raise ConfigError(f"{at}: brand id {brand!r} must be non-empty, without spaces or ':'")
        if not isinstance(table, dict):
            raise ConfigError(f"{at} must be a table with a name, got {toml_type(table)}")
        for key in table:
            if key not in BRAND_KEYS:
                raise ConfigError(f"{at}: unknown key {key!r} (expected: {', '.join(BRAND_KEYS)})")
        name = table.get("name")
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"{at}.name must be a non-empty string, got {name!r}")
        names[brand] = name
    return names


def parse_partitions(data: dict[str, Any], where: str = "config") -> dict[str, PartitionConfig]:
    """The `partitions` table of an already parsed config document."""
    allowed = ("partitions", "brands", *OTHER_TOP_LEVEL_KEYS)
    for key in data:
        if key not in allowed:
            raise ConfigError(f"{where}: unknown key {key!r} (expected: {', '.join(allowed)})")
    tables = data.get("partitions", {})
    if not isinstance(tables, dict):
        raise ConfigError(f"{where}: 'partitions' must be a table of [partitions.NAME] tables")
    return {
        name: _partition(f"{where}: partitions.{name}", name, table)
        for name, table in tables.items()
    }


def _partition(where: str, name: str, table: Any) -> PartitionConfig:
    if not name or any(c.isspace() for c in name):
        raise ConfigError(f"{where}: subgraph name {name!r} must be non-empty, without spaces")
    if not isinstance(table, dict):
        raise ConfigError(f"{where} must be a table, got {toml_type(table)}")
    for key in table:
        if key not in PARTITION_KEYS:
            raise ConfigError(
                f"{where}: unknown key {key!r} (expected: {', '.join(PARTITION_KEYS)})"
            )
    brand_from = table.get("brand_from", "prefix")
    if brand_from not in BRAND_SOURCES:
        raise ConfigError(
            f"{where}.brand_from must be one of {', '.join(map(repr, BRAND_SOURCES))}, "
            f"got {brand_from!r}"
        )
    default_key = "id" if brand_from == "prefix" else "brand"
    key_field = table.get("key_field", default_key)
    if not isinstance(key_field, str) or not key_field.strip():
        raise ConfigError(f"{where}.key_field must be a non-empty string, got {key_field!r}")
    group_wide = table.get("group_wide", [])
    if not isinstance(group_wide, list) or not all(
        isinstance(f, str) and f.strip() for f in group_wide
    ):
        raise ConfigError(f"{where}.group_wide must be an array of root field names")
    brands = _brands(f"{where}.brands", table.get("brands"), brand_from)
    rules = RoutingRules(brand_from, key_field, frozenset(group_wide))
    return PartitionConfig(name, brands, rules)


def _brands(where: str, brands: Any, brand_from: str) -> dict[str, str]:
    if brands is None:
        raise ConfigError(f"{where} is missing (a table of brand id = URL)")
    if not isinstance(brands, dict) or not brands:
        raise ConfigError(f"{where} must be a non-empty table of brand id = URL")
    for brand, url in brands.items():
        bad_prefix = brand_from == "prefix" and ":" in brand
        if not brand or any(c.isspace() for c in brand) or bad_prefix:
            raise ConfigError(
                f"{where}: brand id {brand!r} must be non-empty, without spaces or ':'"
            )
        if not isinstance(url, str):
            raise ConfigError(f"{where}.{brand} must be a URL string, got {toml_type(url)}")
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"{where}.{brand}: {problem}")
    return dict(brands)  # TOML tables keep file order: the fan-out order
