"""What our schemas declare about access and size, for the gateway to enforce before fetching.

Tokens carry their kind as a scope (`auth.kind_scopes`: `member`, `staff`, `operator`,
`service`), so `@requiresScopes` can say who may ask a field; the resolver guards
(`subgraphs.common.auth`) stay the second line of defence and still decide the finer rules
(whose data, which brand). `@tag` names are the audiences contracts filter on.
"""

from __future__ import annotations

from strawberry.federation.schema_directives import Cost, ListSize

# @requiresScopes alternatives (any one inner list suffices).
MEMBER: list[list[str]] = [["member"]]
STAFF: list[list[str]] = [["staff"], ["operator"]]  # operators may do what staff do
OPERATOR: list[list[str]] = [["operator"]]
MEMBER_OR_OPERATOR: list[list[str]] = [["member"], ["operator"]]
ORDER_READERS: list[list[str]] = [["member"], ["staff"], ["operator"]]

# @tag audiences (contracts).
STAFF_TAG = "staff"
OPERATOR_TAG = "operator"
SERVICE_TAG = "service"

# Weight of a field that aggregates over a whole table (KPIs), or ranks and records.
AGGREGATE_COST = 100
RANKING_COST = 5


def sliced(maximum: int) -> ListSize:
    """A list bounded by a `first` argument; a null `first` means the resolver's cap."""
    return ListSize(
        slicing_arguments=["first"], assumed_size=maximum, require_one_slicing_argument=False
    )


def assumed(size: int) -> ListSize:
    """A list without a size argument: `size` is the most it usually holds (or its cap)."""
    return ListSize(assumed_size=size)


def cost(weight: int) -> Cost:
    return Cost(weight=weight)
