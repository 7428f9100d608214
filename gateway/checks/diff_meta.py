"""Changes to descriptions and deprecations: never breaking, but worth listing."""

from __future__ import annotations

from gateway.checks.diff_model import Criticality, SchemaChange


def capitalised(label: str) -> str:
    return label[:1].upper() + label[1:]


def description_changes(
    prefix: str, coordinate: str, label: str, old: str | None, new: str | None
) -> list[SchemaChange]:
    """`prefix` names the element kind ("TYPE", "FIELD", ...); `label` reads like "field 'A.b'"."""
    if old == new:
        return []
    if old is None:
        message = f"Description was added to {label}"
    elif new is None:
        message = f"Description was removed from {label}"
    else:
        message = f"Description of {label} changed"
    return [SchemaChange(Criticality.SAFE, f"{prefix}_DESCRIPTION_CHANGED", coordinate, message)]


def deprecation_changes(
    prefix: str, coordinate: str, label: str, old: str | None, new: str | None
) -> list[SchemaChange]:
    """Deprecation reasons; None means not deprecated (graphql-core's convention)."""
    if old == new:
        return []
    if old is None:
        kind, message = "DEPRECATION_ADDED", f"{capitalised(label)} was deprecated ({new!r})"
    elif new is None:
        kind, message = "DEPRECATION_REMOVED", f"{capitalised(label)} is no longer deprecated"
    else:
        kind = "DEPRECATION_REASON_CHANGED"
        message = f"Deprecation reason of {label} changed from {old!r} to {new!r}"
    return [SchemaChange(Criticality.SAFE, f"{prefix}_{kind}", coordinate, message)]
