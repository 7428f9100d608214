"""Operation limits: depth, aliases, root fields, tokens, directives, estimated cost
(`@cost`/`@listSize`) and introspection, checked before anything is fetched."""

from gateway.limits.cost import CostDirectives, read_cost_directives
from gateway.limits.rules import CostCheck, LimitExceeded, Limits

__all__ = ["CostCheck", "CostDirectives", "LimitExceeded", "Limits", "read_cost_directives"]
