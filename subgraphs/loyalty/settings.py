"""Loyalty settings: tiers, points validity, earning rates and coupon rules.

Earning rates are integer fractions: a `Rate(points, per_fen)` earns
`amount_fen * points // per_fen` points for an order line (rounded down, per line; no floats
anywhere). The default is 1 point per yuan (`Rate(1, 100)`). A (brand, category) override
wins over a brand override, which wins over the default.

`LoyaltySettings.from_mapping(dict)` builds the settings from plain data (the dev config, a
TOML table), refusing unknown keys and bad values with a `ValueError` naming the key:

    {
      "tiers": {"MEMBER": 0, "SILVER": 1000, "GOLD": 5000, "PLATINUM": 20000},
      "points_validity_days": 365,          # or None: points never expire
      "coupon_reservation_seconds": 900,
      "earning": {
        "default": {"points": 1, "per_fen": 100},
        "brands": {"lumen": {"points": 2, "per_fen": 100}},
        "categories": {"lumen": {"makeup": {"points": 3, "per_fen": 100}}},
      },
      "coupon_rules": [
        {"id": "lumen-500-vitalis-30", "spend_brand": "lumen", "spend_fen": 50000,
         "coupon_brand": "vitalis", "value_fen": 3000, "min_spend_fen": 10000,
         "valid_days": 30},
      ],
    }

Every key is optional; a missing one keeps its default. `coupon_rules` replaces the default
rules (give `[]` for none).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

BRAND_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")
CATEGORY_ID = re.compile(r"^[a-z0-9][a-z0-9_-]{0,63}$")
RULE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$")

# Tier name and the lifetime earned points from which it applies (ascending; the first is 0).
DEFAULT_TIERS: tuple[tuple[str, int], ...] = (
    ("MEMBER", 0),
    ("SILVER", 1_000),
    ("GOLD", 5_000),
    ("PLATINUM", 20_000),
)
TIER_NAMES = tuple(name for name, _ in DEFAULT_TIERS)
DEFAULT_RESERVATION = timedelta(seconds=900)


def _positive_int(value: Any, where: str, *, zero: bool = False) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < (0 if zero else 1):
        kind = "a non-negative" if zero else "a positive"
        raise ValueError(f"{where} must be {kind} integer, not {value!r}")
    return value


def _identifier(value: Any, pattern: re.Pattern[str], where: str) -> str:
    if not isinstance(value, str) or not pattern.match(value):
        raise ValueError(f"{where}: invalid id {value!r}")
    return value


def _mapping(value: Any, where: str, allowed: set[str] | None = None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise ValueError(f"{where} must be a table/mapping, not {type(value).__name__}")
    if allowed is not None:
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise ValueError(f"{where}: unknown key(s) {unknown}; allowed: {sorted(allowed)}")
    return value


@dataclass(frozen=True)
class Rate:
    """`points` earned per `per_fen` fen spent (integers; the result is rounded down)."""

    points: int
    per_fen: int

    def __post_init__(self) -> None:
        _positive_int(self.points, "rate points", zero=True)
        _positive_int(self.per_fen, "rate per_fen")

    def points_for(self, amount_fen: int) -> int:
        return max(0, amount_fen) * self.points // self.per_fen

    @classmethod
    def from_mapping(cls, value: Any, where: str) -> Rate:
        data = _mapping(value, where, {"points", "per_fen"})
        if set(data) != {"points", "per_fen"}:
            raise ValueError(f"{where} needs both 'points' and 'per_fen'")
        return cls(
            _positive_int(data["points"], f"{where}.points", zero=True),
            _positive_int(data["per_fen"], f"{where}.per_fen"),
        )


@dataclass(frozen=True)
class EarningRates:
    default: Rate = Rate(1, 100)  # 1 point per yuan
    brands: Mapping[str, Rate] = field(default_factory=dict)
    categories: Mapping[tuple[str, str], Rate] = field(default_factory=dict)  # (brand, cat)

    def rate(self, brand: str, category: str | None = None) -> Rate:
        if category is not None and (brand, category) in self.categories:
            return self.categories[(brand, category)]
        return self.brands.get(brand, self.default)

    def points_for(self, brand: str, category: str | None, amount_fen: int) -> int:
        return self.rate(brand, category).points_for(amount_fen)

    @classmethod
    def from_mapping(cls, value: Any) -> EarningRates:
        data = _mapping(value, "earning", {"default", "brands", "categories"})
        default = (
            Rate.from_mapping(data["default"], "earning.default")
            if "default" in data
            else cls.default
        )
        brands = {
            _identifier(b, BRAND_ID, "earning.brands"): Rate.from_mapping(r, f"earning.brands.{b}")
            for b, r in _mapping(data.get("brands", {}), "earning.brands").items()
        }
        categories: dict[tuple[str, str], Rate] = {}
        for brand, table in _mapping(data.get("categories", {}), "earning.categories").items():
            _identifier(brand, BRAND_ID, "earning.categories")
            where = f"earning.categories.{brand}"
            for category, rate in _mapping(table, where).items():
                _identifier(category, CATEGORY_ID, where)
                categories[(brand, category)] = Rate.from_mapping(rate, f"{where}.{category}")
        return cls(default=default, brands=brands, categories=categories)


@dataclass(frozen=True)
class CouponRule:
    """Cumulative paid spend of `spend_fen` in `spend_brand` issues the member one coupon of
    `value_fen`, redeemable in `coupon_brand` on orders of at least `min_spend_fen`, valid
    `valid_days` from the paying order. At most one coupon per rule per member."""

    id: str
    spend_brand: str
    spend_fen: int
    coupon_brand: str
    value_fen: int
    min_spend_fen: int
    valid_days: int

    def __post_init__(self) -> None:
        _identifier(self.id, RULE_ID, "coupon rule id")
        _identifier(self.spend_brand, BRAND_ID, f"coupon rule {self.id} spend_brand")
        _identifier(self.coupon_brand, BRAND_ID, f"coupon rule {self.id} coupon_brand")
        _positive_int(self.spend_fen, f"coupon rule {self.id} spend_fen")
        _positive_int(self.value_fen, f"coupon rule {self.id} value_fen")
        _positive_int(self.min_spend_fen, f"coupon rule {self.id} min_spend_fen", zero=True)
        _positive_int(self.valid_days, f"coupon rule {self.id} valid_days")

    @property
    def validity(self) -> timedelta:
        return timedelta(days=self.valid_days)

    @classmethod
    def from_mapping(cls, value: Any, where: str) -> CouponRule:
        names = {
            "id", "spend_brand", "spend_fen", "coupon_brand", "value_fen", "min_spend_fen",
            "valid_days",
        }  # fmt: skip
        data = _mapping(value, where, names)
        missing = sorted(names - set(data))
        if missing:
            raise ValueError(f"{where}: missing key(s) {missing}")
        return cls(**{name: data[name] for name in names})


# The example rule: 500 yuan in Lumen -> a 30-yuan Vitalis coupon (min 100 yuan).
DEFAULT_COUPON_RULES: tuple[CouponRule, ...] = (
    CouponRule(
        id="lumen-500-vitalis-30",
        spend_brand="lumen",
        spend_fen=50_000,
        coupon_brand="vitalis",
        value_fen=3_000,
        min_spend_fen=10_000,
        valid_days=30,
    ),
)


@dataclass(frozen=True)
class LoyaltySettings:
    tiers: tuple[tuple[str, int], ...] = DEFAULT_TIERS
    points_validity: timedelta | None = field(default=timedelta(days=365))  # default expiry
    earning: EarningRates = field(default_factory=EarningRates)
    coupon_rules: tuple[CouponRule, ...] = DEFAULT_COUPON_RULES
    coupon_reservation: timedelta = DEFAULT_RESERVATION

    def __post_init__(self) -> None:
        names = [name for name, _ in self.tiers]
        thresholds = [threshold for _, threshold in self.tiers]
        if sorted(names) != sorted(TIER_NAMES) or len(set(names)) != len(names):
            raise ValueError(f"tiers must name each of {TIER_NAMES} once")
        if thresholds[0] != 0 or thresholds != sorted(set(thresholds)):
            raise ValueError("tier thresholds must start at 0 and strictly increase")
        ids = [rule.id for rule in self.coupon_rules]
        if len(set(ids)) != len(ids):
            raise ValueError("coupon rule ids must be unique")
        if self.coupon_reservation <= timedelta(0):
            raise ValueError("coupon_reservation must be positive")

    @classmethod
    def from_mapping(cls, value: Mapping[str, Any]) -> LoyaltySettings:
        """Settings from plain data (see the module docstring); `ValueError` naming the bad
        key or value."""
        allowed = {
            "tiers", "points_validity_days", "earning", "coupon_rules",
            "coupon_reservation_seconds",
        }  # fmt: skip
        data = _mapping(value, "loyalty settings", allowed)
        kwargs: dict[str, Any] = {}
        if "tiers" in data:
            tiers = _mapping(data["tiers"], "tiers", set(TIER_NAMES))
            pairs = [
                (name, _positive_int(t, f"tiers.{name}", zero=True)) for name, t in tiers.items()
            ]
            kwargs["tiers"] = tuple(sorted(pairs, key=lambda pair: pair[1]))
        if "points_validity_days" in data:
            days = data["points_validity_days"]
            kwargs["points_validity"] = (
                None
                if days is None
                else timedelta(days=_positive_int(days, "points_validity_days"))
            )
        if "earning" in data:
            kwargs["earning"] = EarningRates.from_mapping(data["earning"])
        if "coupon_rules" in data:
            rules = data["coupon_rules"]
            if not isinstance(rules, list | tuple):
                raise ValueError("coupon_rules must be a list of tables")
            kwargs["coupon_rules"] = tuple(
                CouponRule.from_mapping(rule, f"coupon_rules[{i}]") for i, rule in enumerate(rules)
            )
        if "coupon_reservation_seconds" in data:
            seconds = _positive_int(
                data["coupon_reservation_seconds"], "coupon_reservation_seconds"
            )
            kwargs["coupon_reservation"] = timedelta(seconds=seconds)
        return cls(**kwargs)
