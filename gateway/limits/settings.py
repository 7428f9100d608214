"""`[limits]`: what an operation may ask for before anything is fetched.

    [limits]
    max_depth = 15          # nested fields (0: off)
    max_aliases = 30
    max_root_fields = 20
    max_tokens = 15000      # lexer tokens of the document
    max_directives = 50
    max_cost = 50000        # @cost/@listSize estimated cost budget (0: off)
    default_list_size = 10  # size assumed for a list without @listSize

`[gateway] introspection = false` refuses `__schema`/`__type` (gateway/limits/rules.py).
"""

from __future__ import annotations

from dataclasses import dataclass

from gateway.config_fields import between, setting
from gateway.limits.rules import DEFAULT_MAX_COST, Limits

_COUNT = between(0, 1_000_000)


@dataclass(frozen=True)
class LimitsSettings:
    max_depth: int = setting(15, "deepest field nesting (0: off)", check=_COUNT)
    max_aliases: int = setting(
        30, "aliases per operation, fragments expanded (0: off)", check=_COUNT
    )
    max_root_fields: int = setting(20, "root fields per operation (0: off)", check=_COUNT)
    max_tokens: int = setting(15_000, "lexer tokens per document (0: off)", check=_COUNT)
    max_directives: int = setting(50, "directives per operation (0: off)", check=_COUNT)
    # Our subgraphs size every list (@listSize): the heaviest registered operation estimates
    # 2021 (OrderHistory; 10101 at its cap first: 100), the benchmark's unannotated query
    # 24420; nested large lists (orders x lines x SKUs at their caps) go far beyond.
    max_cost: int = setting(
        DEFAULT_MAX_COST, "budget of the @cost/@listSize estimated cost (0: off)", check=between(0)
    )
    default_list_size: int = setting(
        10, "size assumed for a list field without @listSize", check=between(0, 1_000_000)
    )


def build_limits(settings: LimitsSettings, *, introspection: bool = True) -> Limits:
    return Limits(
        max_depth=settings.max_depth,
        max_aliases=settings.max_aliases,
        max_root_fields=settings.max_root_fields,
        max_tokens=settings.max_tokens,
        max_directives=settings.max_directives,
        max_cost=settings.max_cost,
        default_list_size=settings.default_list_size,
        introspection=introspection,
    )
