"""How a partitioned subgraph's brand is read from an entity representation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

BRAND_SOURCES = ("prefix", "field")
PREFIX_SEPARATOR = ":"


@dataclass(frozen=True)
class RoutingRules:
    """`prefix`: the brand is what precedes ':' in key field `key_field` ("lumen:SKU-1001");
    `field`: the brand is the value of key field `key_field`. `group_wide`: root list fields
    that fan out to every brand."""

    brand_from: str = "prefix"
    key_field: str = "id"
    group_wide: frozenset[str] = field(default_factory=frozenset)

    def brand_of(self, representation: Any) -> str | None:
        """The brand a representation names, or None when it cannot be read."""
        if not isinstance(representation, Mapping):
            return None
        value = representation.get(self.key_field)
        if not isinstance(value, str):
            return None
        if self.brand_from == "field":
            return value or None
        brand, sep, rest = value.partition(PREFIX_SEPARATOR)
        return brand if sep and brand and rest else None

    def describe(self, representation: Any) -> str:
        """What the key looked like, for error messages."""
        value = representation.get(self.key_field) if isinstance(representation, Mapping) else None
        return f"{self.key_field} {value!r}"
