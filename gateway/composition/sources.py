"""Where `brand-matrix compose` gets each subgraph's name, URL and SDL.

Three sources, freely mixed:

- `--subgraph NAME=URL@PATH` on the command line: the SDL from a file (`NAME=URL` alone fetches
  it live from URL);
- a TOML config file (`brand-matrix.toml` by default), one table per subgraph::

      [subgraphs.products]
      url = "http://products:4001/graphql"   # routing URL, written into the supergraph
      schema = "schema/products.graphql"     # SDL file, relative to the config file

      [subgraphs.reviews]
      url = "http://reviews:4002/graphql"
      introspect = true                      # fetch the SDL from url's `_service { sdl }`
      # introspect = "http://localhost:4002/graphql"  # ... or from another URL

- live, from the subgraph's `_service { sdl }` (see `sources_live.py`).

Every problem the user can fix is a `SourceError` with one line per problem, naming the
subgraph, the file or the config key; never a traceback.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from gateway.composition.subgraph import SubgraphInput
from gateway.config_checks import (
    RESERVED_SECTIONS,
    RULE_TABLES,
    SETTINGS_SECTIONS,
    toml_type,
    url_problem,
)
from gateway.errors import Problems

DEFAULT_CONFIG = "brand-matrix.toml"
SUBGRAPH_KEYS = ("url", "schema", "introspect")
# partitions, brands: gateway/partitions/config.py; the settings sections: gateway/config.py
TOP_LEVEL_KEYS = (
    "subgraphs",
    "partitions",
    "brands",
    *SETTINGS_SECTIONS,
    *RESERVED_SECTIONS,
    *RULE_TABLES,
)


class SourceError(Problems):
    """Subgraph inputs that cannot be read; `problems` holds one line per problem."""


@dataclass(frozen=True)
class SubgraphSource:
    """One subgraph as configured: its SDL comes from `schema` (a file) or `introspect_url`."""

    name: str
    url: str
    origin: str  # where it was declared, for messages: "--subgraph" or "brand-matrix.toml"
    schema: Path | None = None
    introspect_url: str | None = None


def parse_subgraph_arg(value: str) -> SubgraphSource:
    """`NAME=URL@PATH` (SDL from a file) or `NAME=URL` (SDL fetched live from URL)."""
    name, sep, rest = value.partition("=")
    name = name.strip()
    if not sep or not name or not rest:
        raise SourceError(
            f"--subgraph {value!r}: expected NAME=URL@SCHEMA_FILE (or NAME=URL to fetch the "
            "schema from the subgraph)"
        )
    _check_name(name, f"--subgraph {value!r}")
    # The schema file is what follows the last "@" (after the URL's scheme).
    url, path = rest, None
    at = rest.rfind("@")
    if at != -1 and at > rest.find("://"):
        url, path = rest[:at], rest[at + 1 :]
    problem = url_problem(url)
    if problem:
        raise SourceError(f"--subgraph {name}: {problem}")
    if path is None:
        return SubgraphSource(name, url, "--subgraph", introspect_url=url)
    if not path:
        raise SourceError(f"--subgraph {name}: no schema file after '@'")
    return SubgraphSource(name, url, "--subgraph", schema=Path(path))


def load_config(path: str | Path) -> list[SubgraphSource]:
    """The subgraphs of a TOML config file; schema paths are relative to the file."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise SourceError(f"cannot read config file {path}: {error.strerror or error}") from None
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError:
        raise SourceError(f"cannot read config file {path}: not UTF-8 text") from None
    except tomllib.TOMLDecodeError as error:
        raise SourceError(f"config file {path} is not valid TOML: {error}") from None
    problems: list[str] = []
    for key in data:
        if key not in TOP_LEVEL_KEYS:
            problems.append(f"{path}: unknown key {key!r} (expected: {', '.join(TOP_LEVEL_KEYS)})")
    subgraphs = data.get("subgraphs")
    if subgraphs is None:
        problems.append(f"{path}: no [subgraphs.NAME] tables")
        raise SourceError(problems)
    if not isinstance(subgraphs, dict):
        problems.append(f"{path}: 'subgraphs' must be a table of [subgraphs.NAME] tables")
        raise SourceError(problems)
    if not subgraphs:
        problems.append(f"{path}: [subgraphs] has no subgraph")
    try:
        sources = parse_subgraph_tables(path, subgraphs)
    except SourceError as error:
        problems.extend(error.problems)
    if problems:
        raise SourceError(problems)
    return sources


def parse_subgraph_tables(path: Path, tables: dict[str, Any]) -> list[SubgraphSource]:
    """The `[subgraphs.NAME]` tables of an already parsed config file (also used by
    gateway/config.py); every problem at once."""
    problems: list[str] = []
    sources: list[SubgraphSource] = []
    for name, table in tables.items():
        try:
            sources.append(_config_subgraph(path, name, table))
        except SourceError as error:
            problems.extend(error.problems)
    if problems:
        raise SourceError(problems)
    return sources


def _config_subgraph(path: Path, name: str, table: Any) -> SubgraphSource:
    where = f"{path}: subgraphs.{name}"
    if not isinstance(table, dict):
        raise SourceError(
            f"{where} must be a table with url and schema or introspect, got {type(table).__name__}"
        )
    problems: list[str] = []
    try:
        _check_name(name, f"{path}: [subgraphs.{name}]")
    except SourceError as error:
        problems.extend(error.problems)
    for key in table:
        if key not in SUBGRAPH_KEYS:
            problems.append(f"{where}: unknown key {key!r} (expected: {', '.join(SUBGRAPH_KEYS)})")
    url = table.get("url")
    if url is None:
        problems.append(f"{where}.url is missing (the subgraph's routing URL)")
    elif not isinstance(url, str):
        problems.append(f"{where}.url must be a string, got {toml_type(url)}")
    else:
        problem = url_problem(url)
        if problem:
            problems.append(f"{where}.url: {problem}")
    schema = table.get("schema")
    introspect = table.get("introspect", False)
    if schema is not None and not isinstance(schema, str):
        problems.append(f"{where}.schema must be a file path string, got {toml_type(schema)}")
    elif isinstance(schema, str) and not schema.strip():
        problems.append(f"{where}.schema is empty")
    introspect_url: str | None = None
    if isinstance(introspect, bool):
        if introspect and isinstance(url, str):
            introspect_url = url
    elif isinstance(introspect, str):
        problem = url_problem(introspect)
        if problem:
            problems.append(f"{where}.introspect: {problem}")
        introspect_url = introspect
    else:
        problems.append(
            f"{where}.introspect must be true, false or a URL, got {toml_type(introspect)}"
        )
    wants_introspection = introspect is True or isinstance(introspect, str)
    if schema is not None and wants_introspection:
        problems.append(f"{where}: give either schema or introspect, not both")
    elif schema is None and not wants_introspection and isinstance(introspect, bool):
        problems.append(f'{where}: no SDL source; set schema = "FILE" or introspect = true')
    if problems:
        raise SourceError(problems)
    assert isinstance(url, str)
    if isinstance(schema, str):
        return SubgraphSource(name, url, str(path), schema=path.parent / schema)
    return SubgraphSource(name, url, str(path), introspect_url=introspect_url)


def merge_sources(
    config: list[SubgraphSource], flags: list[SubgraphSource]
) -> list[SubgraphSource]:
    """Config subgraphs, with `--subgraph` flags added; a flag replaces the config's subgraph
    of the same name (to try a local schema against the rest). Two flags with one name are an
    error."""
    problems: list[str] = []
    seen: set[str] = set()
    for source in flags:
        if source.name in seen:
            problems.append(
                f"subgraph name {source.name!r} is given twice with --subgraph; "
                "every subgraph needs its own name"
            )
        seen.add(source.name)
    if problems:
        raise SourceError(problems)
    by_name = {source.name: source for source in config}
    for source in flags:
        by_name[source.name] = source
    return list(by_name.values())


def read_schema_files(sources: list[SubgraphSource]) -> tuple[dict[str, str], list[str]]:
    """The SDL of every file source, and one problem line per file that cannot be read."""
    sdls: dict[str, str] = {}
    problems: list[str] = []
    for source in sources:
        if source.schema is None:
            continue
        try:
            sdls[source.name] = source.schema.read_text(encoding="utf-8")
        except OSError as error:
            problems.append(
                f"subgraph {source.name}: cannot read schema file {source.schema}: "
                f"{error.strerror or error}"
            )
        except UnicodeDecodeError:
            problems.append(
                f"subgraph {source.name}: cannot read schema file {source.schema}: not UTF-8 text"
            )
    return sdls, problems


def load_inputs(sources: list[SubgraphSource], *, timeout: float = 10.0) -> list[SubgraphInput]:
    """Read every file and fetch every live SDL (in parallel); all problems at once."""
    from gateway.composition.sources_live import fetch_sdls

    if not sources:
        raise SourceError("no subgraphs to compose")
    sdls, problems = read_schema_files(sources)
    live = [s for s in sources if s.schema is None and s.introspect_url]
    if live:
        fetched, fetch_problems = fetch_sdls(
            [(s.name, s.introspect_url or s.url) for s in live], timeout=timeout
        )
        sdls.update(fetched)
        problems.extend(fetch_problems)
    if problems:
        raise SourceError(problems)
    return [SubgraphInput(s.name, s.url, sdls[s.name]) for s in sources]


def _check_name(name: str, where: str) -> None:
    if not name or any(c.isspace() for c in name):
        raise SourceError(f"{where}: subgraph name {name!r} must be non-empty, without spaces")
