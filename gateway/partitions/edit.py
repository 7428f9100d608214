"""`brand-matrix brand add` / `brand list`: edit and show the brands of `brand-matrix.toml`.

The file is edited with tomlkit, so comments, order and formatting are kept; the new document
is validated as a whole (`parse_config`) before it replaces the old one, and it is written to
a temporary file in the same directory and renamed over the config (atomic: a running
gateway's reload watcher sees the old file or the new one, never half of it).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

import tomlkit
from tomlkit.exceptions import TOMLKitError

from gateway.config_checks import url_problem
from gateway.partitions.config import (
    BRAND_ID,
    BrandMatrixConfig,
    ConfigError,
    parse_config,
)


def add_brand(path: str | Path, brand: str, name: str, urls: dict[str, str]) -> list[str]:
    """Add `brand` (display `name`) to the partitioned subgraphs of `urls` (subgraph -> URL).

    Raises ConfigError (one line) and leaves the file untouched on any problem. Returns notes
    for the user (partitioned subgraphs the brand was not added to).
    """
    path = Path(path)
    text = _read(path)
    if not BRAND_ID.fullmatch(brand):
        raise ConfigError(
            f"invalid brand id {brand!r}: use a simple lowercase identifier "
            "(a-z first, then a-z, 0-9 or _)"
        )
    if not name.strip():
        raise ConfigError("--name must not be empty")
    if not urls:
        raise ConfigError("give at least one URL (--catalogue-url, --content-url or --url)")
    for subgraph, url in urls.items():
        problem = url_problem(url)
        if problem:
            raise ConfigError(f"{subgraph}: {problem}")
    try:
        document = tomlkit.parse(text)
    except TOMLKitError as error:
        raise ConfigError(f"config file {path} is not valid TOML: {error}") from None
    current = parse_config(document.unwrap(), str(path))
    if brand in current.brands:
        raise ConfigError(f"brand {brand!r} already exists in {path}")
    for subgraph in urls:
        if subgraph not in current.partitions:
            declared = ", ".join(current.partitions) or "none"
            raise ConfigError(
                f"subgraph {subgraph!r} is not declared as partitioned in {path} "
                f"(partitioned: {declared})"
            )
        if current.partitions[subgraph].rules.brand_from == "prefix" and ":" in brand:
            raise ConfigError(f"brand id {brand!r} must not contain ':' (ids are key prefixes)")

    partitions: Any = document["partitions"]
    for subgraph, url in urls.items():
        partitions[subgraph]["brands"][brand] = url
    if "brands" not in document:
        document.add(tomlkit.nl())
        document["brands"] = tomlkit.table(is_super_table=True)
    entry = tomlkit.table()
    entry["name"] = name
    brands: Any = document["brands"]
    brands[brand] = entry
    new_text = tomlkit.dumps(document)
    parse_config(tomlkit.parse(new_text).unwrap(), str(path))  # never write a broken config
    write_atomically(path, new_text)
    missing = [s for s in current.partitions if s not in urls]
    return [
        f"note: brand {brand!r} has no partition of subgraph {s!r}; its entities there "
        "are unknown until you add one"
        for s in missing
    ]


def brand_table(config: BrandMatrixConfig) -> list[str]:
    """One line per brand: id, display name, then its URL per partitioned subgraph."""
    subgraphs = list(config.partitions)
    rows = [["BRAND", "NAME", *subgraphs]]
    for brand in config.brands:
        urls = [config.partitions[s].brands.get(brand, "-") for s in subgraphs]
        rows.append([brand, config.names.get(brand, "-"), *urls])
    widths = [max(len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in rows
    ]


def write_atomically(path: Path, text: str) -> None:
    """Write `text` to a temporary file next to `path`, then rename it over `path`."""
    mode = path.stat().st_mode & 0o777 if path.exists() else 0o644
    fd, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as file:
            file.write(text)
            file.flush()
            os.fsync(file.fileno())
        os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _read(path: Path) -> str:
    try:
        return path.read_bytes().decode("utf-8")
    except FileNotFoundError:
        raise ConfigError(f"config file {path} does not exist") from None
    except OSError as error:
        raise ConfigError(f"cannot read config file {path}: {error.strerror or error}") from None
    except UnicodeDecodeError:
        raise ConfigError(f"cannot read config file {path}: not UTF-8 text") from None
