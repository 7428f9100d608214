"""Checks shared by the config readers (composition sources, brand partitions)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit


def url_problem(url: str) -> str | None:
    """Why `url` is not a usable http(s) URL, or None when it is."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as error:
        return f"invalid URL {url!r}: {error}"
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return f"invalid URL {url!r}: expected http(s)://HOST[:PORT]/PATH"
    return None


def toml_type(value: Any) -> str:
    """A TOML value's type, in words, for error messages."""
    names = {bool: "a boolean", int: "an integer", float: "a float", str: "a string"}
    names.update({list: "an array", dict: "a table"})
    return names.get(type(value), type(value).__name__)


# Top-level tables of brand-matrix.toml, by owner. Each reader accepts the others' tables and
# validates only its own; gateway/config.py validates them all together.
# [subgraphs]: composition/sources.py; [partitions], [brands]: partitions/config.py;
# [gateway], [supergraph], [reload]: gateway/config.py.
SETTINGS_SECTIONS = (
    "gateway",
    "supergraph",
    "reload",
    "auth",
    "persisted_queries",
    "telemetry",
    "limits",
    "rate_limits",
    "usage",
)
# Reserved for features being built (none at the moment): the gateway config refuses them
# until they are implemented, so a typo'd or premature setting is never silently ignored.
# Implementing one = a settings dataclass in gateway/config.py.
RESERVED_SECTIONS: tuple[str, ...] = ()
# Tables read whole by their own parser: [headers] (gateway/headers.py HeaderRules),
# [contracts.NAME] (gateway/contracts/spec.py).
RULE_TABLES = ("headers", "contracts")
