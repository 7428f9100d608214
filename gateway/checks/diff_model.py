"""The value a schema diff produces: one classified change at one schema coordinate."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Criticality(StrEnum):  # a str Enum, as the interface asks; prints as its value
    """How a change affects clients that were written against the old schema."""

    BREAKING = "BREAKING"  # existing operations stop validating or get a different shape
    DANGEROUS = "DANGEROUS"  # operations still validate but may behave differently
    SAFE = "SAFE"  # nothing a client relies on changes


# Coordinate of changes to the schema definition itself (root types, its description):
# the schema-coordinates spec has no form for it; type names are PascalCase here.
SCHEMA_COORDINATE = "schema"


@dataclass(frozen=True, slots=True)
class SchemaChange:
    criticality: Criticality
    kind: str
    coordinate: str
    message: str

    def to_json(self) -> dict[str, str]:
        return {
            "criticality": self.criticality.value,
            "kind": self.kind,
            "coordinate": self.coordinate,
            "message": self.message,
        }


def sort_key(change: SchemaChange) -> tuple[str, str, str]:
    # The message breaks ties (several union members added to one union, say).
    return (change.coordinate, change.kind, change.message)
