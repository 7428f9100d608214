"""Settings of the cross-brand recommendation rules, and their mapping format.

`RecommendationSettings.from_mapping(mapping)` reads (every key optional; unknown keys are
refused so a typo never silently keeps a default):

    {
      "intensity": {"first_visit": 0, "member": 1, "buyer": 2, "repeat_buyer": 4},
      "max_intensity": 4,             # cap after the recency adjustment
      "first_visit_hours": 24,        # no orders and first seen within this: a first visit
      "repeat_buyer_orders": 2,       # orders from which a member is a repeat buyer
      "recent_order_days": 30,        # last order within this: intensity + 1
      "stale_order_days": 180,        # last order older than this: intensity - 1
      "frequency_cap_per_day": null,  # shows per placement, member and UTC day; null: no cap
      "extra_categories": [],         # category codes beyond CATEGORIES (a new brand's)
      "category_matrix": {"makeup": ["skincare", "apparel"]}
    }

`category_matrix` rows replace the default rows of the source categories they name (give
`[]` to show nothing next to a category); other rows keep their defaults. The matrix says
which target categories may be shown next to a purchased or source category; a pair it does
not list is not allowed. Every category code must be known (CATEGORIES or extra_categories).
`ValueError` (one line, naming the key) for anything wrong.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Any

# The group's catalogue category codes (the catalogues' category ids).
CATEGORIES: tuple[str, ...] = (
    "skincare",
    "makeup",
    "supplements",
    "vitamins",
    "baby-care",
    "baby-food",
    "household-cleaning",
    "home",
    "apparel",
    "accessories",
)

STAGES: tuple[str, ...] = ("first_visit", "member", "buyer", "repeat_buyer")

# Which target categories may be shown next to a purchased / source category. Pairs are
# chosen for brand image as much as relevance: cleaning products never sit next to makeup,
# but do next to baby care (parents buy both); supplements go well with skincare.
DEFAULT_CATEGORY_MATRIX: Mapping[str, frozenset[str]] = MappingProxyType(
    {
        "skincare": frozenset({"makeup", "supplements", "vitamins", "apparel", "accessories"}),
        "makeup": frozenset({"skincare", "apparel", "accessories"}),
        "supplements": frozenset({"vitamins", "skincare", "baby-food"}),
        "vitamins": frozenset({"supplements", "skincare", "baby-food"}),
        "baby-care": frozenset({"baby-food", "household-cleaning", "home", "vitamins"}),
        "baby-food": frozenset({"baby-care", "vitamins", "household-cleaning"}),
        "household-cleaning": frozenset({"home", "baby-care"}),
        "home": frozenset({"household-cleaning", "apparel", "accessories"}),
        "apparel": frozenset({"accessories", "makeup", "skincare"}),
        "accessories": frozenset({"apparel", "makeup"}),
    }
)
DEFAULT_INTENSITY: Mapping[str, int] = MappingProxyType(
    {"first_visit": 0, "member": 1, "buyer": 2, "repeat_buyer": 4}
)
KEYS = (
    "intensity",
    "max_intensity",
    "first_visit_hours",
    "repeat_buyer_orders",
    "recent_order_days",
    "stale_order_days",
    "frequency_cap_per_day",
    "extra_categories",
    "category_matrix",
)


@dataclass(frozen=True)
class RecommendationSettings:
    intensity: Mapping[str, int] = field(default_factory=lambda: DEFAULT_INTENSITY)
    max_intensity: int = 4
    first_visit_hours: int = 24
    repeat_buyer_orders: int = 2
    recent_order_days: int = 30
    stale_order_days: int = 180
    frequency_cap_per_day: int | None = None
    categories: frozenset[str] = frozenset(CATEGORIES)
    category_matrix: Mapping[str, frozenset[str]] = field(
        default_factory=lambda: DEFAULT_CATEGORY_MATRIX
    )

    def __post_init__(self) -> None:
        if set(self.intensity) != set(STAGES):
            raise ValueError(f"intensity must give each of {', '.join(STAGES)}")
        for stage in STAGES:
            _count(self.intensity[stage], f"intensity.{stage}")
        _count(self.max_intensity, "max_intensity")
        _count(self.first_visit_hours, "first_visit_hours")
        _count(self.repeat_buyer_orders, "repeat_buyer_orders", minimum=2)
        _count(self.recent_order_days, "recent_order_days")
        _count(self.stale_order_days, "stale_order_days")
        if self.stale_order_days <= self.recent_order_days:
            raise ValueError("stale_order_days must be greater than recent_order_days")
        if self.frequency_cap_per_day is not None:
            _count(self.frequency_cap_per_day, "frequency_cap_per_day", minimum=1)
        for source, targets in self.category_matrix.items():
            for code in (source, *targets):
                if code not in self.categories:
                    raise ValueError(
                        f"category_matrix: unknown category {code!r} "
                        f"(known: {', '.join(sorted(self.categories))})"
                    )

    def allows(self, source: str, target: str) -> bool:
        """Whether `target` may be shown next to `source` (purchased or paired) category."""
        return target in self.category_matrix.get(source, frozenset())

    @classmethod
    def from_mapping(cls, mapping: Mapping[str, Any] | None) -> RecommendationSettings:
        if mapping is None:
            return cls()
        if not isinstance(mapping, Mapping):
            raise ValueError("recommendation settings must be a mapping")
        unknown = sorted(set(mapping) - set(KEYS))
        if unknown:
            raise ValueError(
                f"unknown recommendation setting(s) {', '.join(unknown)} (known: {', '.join(KEYS)})"
            )
        values: dict[str, Any] = {}
        if "intensity" in mapping:
            given = _mapping(mapping["intensity"], "intensity")
            extra = sorted(set(given) - set(STAGES))
            if extra:
                raise ValueError(
                    f"intensity: unknown stage(s) {', '.join(extra)} (known: {', '.join(STAGES)})"
                )
            values["intensity"] = MappingProxyType({**DEFAULT_INTENSITY, **given})
        for key in (
            "max_intensity",
            "first_visit_hours",
            "repeat_buyer_orders",
            "recent_order_days",
            "stale_order_days",
            "frequency_cap_per_day",
        ):
            if key in mapping:
                values[key] = mapping[key]
        categories = frozenset(CATEGORIES)
        if "extra_categories" in mapping:
            extra_codes = _strings(mapping["extra_categories"], "extra_categories")
            categories = categories | frozenset(extra_codes)
            values["categories"] = categories
        if "category_matrix" in mapping:
            rows = dict(DEFAULT_CATEGORY_MATRIX)
            for source, targets in _mapping(mapping["category_matrix"], "category_matrix").items():
                rows[str(source)] = frozenset(_strings(targets, f"category_matrix.{source}"))
            values["category_matrix"] = MappingProxyType(rows)
        return cls(**values)


def _count(value: Any, name: str, *, minimum: int = 0) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValueError(f"{name} must be an integer, not {value!r}")
    if value < minimum:
        raise ValueError(f"{name} must be at least {minimum}, not {value}")
    return value


def _mapping(value: Any, name: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{name} must be a mapping, not {type(value).__name__}")
    return value


def _strings(value: Any, name: str) -> list[str]:
    if isinstance(value, str) or not isinstance(value, list | tuple | set | frozenset):
        raise ValueError(f"{name} must be a list of category codes")
    if not all(isinstance(item, str) and item for item in value):
        raise ValueError(f"{name} must be a list of category codes")
    return list(value)
