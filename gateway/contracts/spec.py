"""What a contract is (`ContractSpec`) and how `[contracts.NAME]` tables are read.

A contract is a filtered API schema for some front-ends: the supergraph with every element
excluded by its tag filter made `@inaccessible` (gateway/contracts/filter.py)::

    [contracts.miniprogram]
    include_tags = []                  # empty: everything not excluded
    exclude_tags = ["staff", "operator", "service"]
    brands = ["lumen"]                 # optional: X-Brand on /graphql selects this contract
    front_ends = ["lumen-miniprogram"] # schema/operations/<front_end>/ checked against it
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.config_checks import toml_type
from gateway.errors import Problems, SupergraphError

CONTRACT_KEYS = ("include_tags", "exclude_tags", "brands", "front_ends")
# Apollo's rule for @tag names (alphanumerics, hyphens, slashes, at most 128 characters).
_TAG = re.compile(r"[A-Za-z0-9/-]{1,128}")
# A contract's name is a path segment (/contracts/<name>/graphql) and a file name.
_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
_BRAND = re.compile(r"[a-z][a-z0-9-]*")


@dataclass(frozen=True)
class ContractSpec:
    name: str
    include_tags: frozenset[str] = frozenset()
    exclude_tags: frozenset[str] = frozenset()
    brands: tuple[str, ...] = ()
    front_ends: tuple[str, ...] = ()


class ContractError(SupergraphError):
    """The contract's filtered schema is not a valid API schema (the message names the
    contract). A SupergraphError, so a reload with a broken contract keeps the old one."""


class ContractConfigError(Problems, ValueError):
    """Bad `[contracts]` tables: one line per problem, each naming the key."""


def parse_contract_tables(tables: Any, where: str = "config") -> list[ContractSpec]:
    """The `[contracts.NAME]` tables of a parsed config file (`tables`: its `contracts`
    value), in file order. Raises ContractConfigError listing every problem."""
    problems: list[str] = []
    if not isinstance(tables, dict):
        raise ContractConfigError([f"{where}: contracts must be a table of [contracts.NAME]"])
    out: list[ContractSpec] = []
    for name, table in tables.items():
        at = f"{where}: contracts.{name}"
        if not _NAME.fullmatch(name):
            problems.append(
                f"{at}: a contract name is letters, digits, '-' and '_' (it is a URL path "
                "segment and a file name)"
            )
            continue
        if not isinstance(table, dict):
            problems.append(f"{at} must be a table, got {toml_type(table)}")
            continue
        values: dict[str, tuple[str, ...]] = {}
        for key, value in table.items():
            if key not in CONTRACT_KEYS:
                problems.append(f"{at}: unknown key {key!r} (expected: {', '.join(CONTRACT_KEYS)})")
            elif not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                problems.append(f"{at}.{key} must be an array of strings, got {toml_type(value)}")
            else:
                values[key] = tuple(value)
        include, exclude = values.get("include_tags", ()), values.get("exclude_tags", ())
        for key, tags in (("include_tags", include), ("exclude_tags", exclude)):
            bad = [t for t in tags if not _TAG.fullmatch(t)]
            if bad:
                problems.append(
                    f"{at}.{key}: {bad[0]!r} is not a tag name (letters, digits, '-', '/')"
                )
        both = sorted(set(include) & set(exclude))
        if both:
            problems.append(f"{at}: tag {both[0]!r} is both in include_tags and exclude_tags")
        for key in ("brands", "front_ends"):
            bad = [v for v in values.get(key, ()) if not _BRAND.fullmatch(v)]
            if bad:
                problems.append(f"{at}.{key}: {bad[0]!r} is not a lower-case name")
        out.append(
            ContractSpec(
                name,
                frozenset(include),
                frozenset(exclude),
                _unique(values.get("brands", ())),
                _unique(values.get("front_ends", ())),
            )
        )
    problems.extend(brand_conflicts(out, where))
    if problems:
        raise ContractConfigError(problems)
    return out


def brand_conflicts(specs: Iterable[ContractSpec], where: str = "config") -> list[str]:
    """A brand may select at most one contract on /graphql."""
    owner: dict[str, str] = {}
    problems: list[str] = []
    for spec in specs:
        for brand in spec.brands:
            if brand in owner:
                problems.append(
                    f"{where}: contracts.{spec.name}.brands: brand {brand!r} is already in "
                    f"contracts.{owner[brand]}.brands (a brand selects one contract)"
                )
            else:
                owner[brand] = spec.name
    return problems


def unknown_brands(
    specs: Iterable[ContractSpec], known: Iterable[str], where: str = "config"
) -> list[str]:
    """Contract brands the config does not serve (checked only when it names brands)."""
    known = set(known)
    return [
        f"{where}: contracts.{spec.name}.brands: unknown brand {brand!r} "
        f"(brands: {', '.join(sorted(known))})"
        for spec in specs
        for brand in spec.brands
        if known and brand not in known
    ]


def contracts_from_config(config: Any) -> list[ContractSpec]:
    """The contracts of a loaded gateway config (`gateway.config.GatewayConfig`), or of a
    parsed TOML mapping (its `contracts` table; raises ContractConfigError when bad)."""
    if isinstance(config, Mapping):
        tables = config.get("contracts")
        return [] if tables is None else parse_contract_tables(tables)
    return list(getattr(config, "contracts", ()))


def load_contracts(path: str | Path) -> list[ContractSpec]:
    """The `[contracts]` of a config file (for `brand-matrix compose` and `check`)."""
    try:
        data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ContractConfigError([f"cannot read config file {path}: {error}"]) from None
    tables = data.get("contracts")
    return [] if tables is None else parse_contract_tables(tables, str(path))


def _unique(values: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(dict.fromkeys(values))
