"""What `brand-matrix check` compares: the checked-in SDL of every configured subgraph (the
current state) and the proposed SDLs (files given with `--schema`, or the working copy).

The current state is always the checked-in `schema/<name>.graphql` files named by the config,
never live subgraphs: a check must run in CI where no service is up. Every problem the user
can fix is a `CheckInputError` with one line per problem.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from gateway.composition.sources import SourceError, SubgraphSource, parse_subgraph_tables
from gateway.composition.subgraph import SubgraphInput
from gateway.errors import Problems


class CheckInputError(Problems):
    """Inputs `check` cannot use; `problems` holds one line per problem (exit 2)."""


@dataclass(frozen=True)
class CheckConfig:
    path: Path
    sources: list[SubgraphSource]
    usage: dict[str, Any] = field(default_factory=dict)  # the [usage] table, if any
    contracts: dict[str, Any] = field(default_factory=dict)  # the [contracts.NAME] tables
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def root(self) -> Path:
        return self.path.parent

    @property
    def names(self) -> list[str]:
        return [source.name for source in self.sources]


def read_config(path: str | Path) -> CheckConfig:
    """The subgraphs (and [usage], [contracts]) of a config file. Unknown top-level tables are
    left to `brand-matrix config check`: `check` reads only what it needs."""
    path = Path(path)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise CheckInputError(
            f"cannot read config file {path}: {error.strerror or error}"
        ) from None
    except UnicodeDecodeError:
        raise CheckInputError(f"cannot read config file {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise CheckInputError(f"config file {path} is not valid TOML: {error}") from None
    tables = data.get("subgraphs")
    if not isinstance(tables, dict) or not tables:
        raise CheckInputError(f"{path}: no [subgraphs.NAME] tables")
    try:
        sources = parse_subgraph_tables(path, tables)
    except SourceError as error:
        raise CheckInputError(error.problems) from None
    usage = data.get("usage", {})
    contracts = data.get("contracts", {})
    return CheckConfig(
        path,
        sources,
        usage if isinstance(usage, dict) else {},
        contracts if isinstance(contracts, dict) else {},
        data,
    )


def checked_in(config: CheckConfig) -> dict[str, SubgraphInput]:
    """name -> the checked-in SDL of every configured subgraph."""
    found: dict[str, SubgraphInput] = {}
    problems: list[str] = []
    for source in config.sources:
        if source.schema is None:
            problems.append(
                f"{config.path}: subgraphs.{source.name} has no schema file; `check` compares "
                'checked-in SDL files (set schema = "FILE")'
            )
            continue
        try:
            sdl = read_sdl(source.schema, f"subgraph {source.name}")
        except CheckInputError as error:
            problems.extend(error.problems)
            continue
        found[source.name] = SubgraphInput(source.name, source.url, sdl)
    if problems:
        raise CheckInputError(problems)
    return found


def proposed_from_files(
    current: dict[str, SubgraphInput], pairs: list[tuple[str, str]]
) -> dict[str, SubgraphInput]:
    """The current subgraphs with each `(name, file)` pair's SDL in place of name's."""
    problems: list[str] = []
    proposed = dict(current)
    seen: set[str] = set()
    for name, file in pairs:
        if name in seen:
            problems.append(f"--subgraph {name} is given twice")
            continue
        seen.add(name)
        if name not in current:
            known = ", ".join(sorted(current))
            problems.append(f"unknown subgraph {name!r} (configured: {known})")
            continue
        try:
            sdl = read_sdl(Path(file), f"--schema {file}")
        except CheckInputError as error:
            problems.extend(error.problems)
            continue
        proposed[name] = SubgraphInput(name, current[name].url, sdl)
    if problems:
        raise CheckInputError(problems)
    return proposed


def read_sdl(path: Path, what: str) -> str:
    """A file's SDL; a file that is not even GraphQL syntax is an input error (exit 2), while
    SDL that parses but does not compose is a composition error (exit 1)."""
    from graphql import GraphQLError, parse

    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise CheckInputError(f"{what}: cannot read {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise CheckInputError(f"{what}: cannot read {path}: not UTF-8 text") from None
    try:
        parse(text)
    except GraphQLError as error:
        where = ""
        if error.locations:
            where = f" at line {error.locations[0].line}, column {error.locations[0].column}"
        raise CheckInputError(f"{path} is not valid GraphQL SDL{where}: {error.message}") from None
    return text
