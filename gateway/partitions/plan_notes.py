"""How a partitioned subgraph routes, as one line for query plans (`brand-matrix plan`)."""

from __future__ import annotations

from collections.abc import Mapping

from gateway.partitions.config import PartitionConfig


def plan_note(partition: PartitionConfig) -> str:
    """E.g. `partitioned by brand (key prefix of id): lumen, aurora, nova; root fields by
    X-Brand or brand argument; group-wide: products`."""
    rules = partition.rules
    source = (
        f"key prefix of {rules.key_field}"
        if rules.brand_from == "prefix"
        else f"key field {rules.key_field}"
    )
    note = (
        f"partitioned by brand ({source}): {', '.join(partition.brands)}; "
        "root fields by X-Brand or brand argument"
    )
    if rules.group_wide:
        note += f"; group-wide: {', '.join(sorted(rules.group_wide))}"
    return note


def plan_notes(partitions: Mapping[str, PartitionConfig]) -> dict[str, str]:
    """subgraph -> note, for `QueryPlan.describe(notes)`."""
    return {name: plan_note(partition) for name, partition in partitions.items()}
