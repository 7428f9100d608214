"""The recommendation rules, pure: consent, intensity, recency, affinity, matrix, own brand,
windows, frequency cap."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from subgraphs.content.recommendations import (
    MemberSignals,
    Placement,
    RecommendationSettings,
    intensity,
    recommend,
)
from subgraphs.content.recommendations.rules import stage

NOW = datetime(2025, 1, 15, 12, 0, tzinfo=UTC)
DEFAULTS = RecommendationSettings()
BRAND = "lumen"


def member(**changes) -> MemberSignals:
    """A repeat buyer, first seen long ago, last order 60 days ago (neither recent nor stale),
    who bought skincare; consent granted."""
    base = MemberSignals(
        consent_granted=True,
        first_seen_at=NOW - timedelta(days=400),
        orders_count=3,
        last_order_at=NOW - timedelta(days=60),
        categories_purchased=frozenset({"skincare"}),
    )
    return replace(base, **changes)


def placement(code: str, brand: str, category: str, **changes) -> Placement:
    return Placement(
        id=code,
        target_brand=brand,
        target_product_id=f"{brand}:SKU-{code}",
        target_category=category,
        headline=f"Try {code}",
        **changes,
    )


# Many compatible placements next to skincare, so counts are limited by intensity only.
MANY = [placement(f"P{i}", "vitalis", "supplements", priority=i) for i in range(10)]


def ids(recommendations) -> list[str]:
    return [r.placement.id for r in recommendations]


def test_nothing_without_consent():
    withdrawn = member(consent_granted=False)
    assert intensity(withdrawn, NOW, DEFAULTS) == 0
    assert recommend(withdrawn, BRAND, MANY, NOW, DEFAULTS) == []


@pytest.mark.parametrize(
    "signals, expected_stage, count",
    [
        (member(orders_count=0, last_order_at=None, first_seen_at=NOW - timedelta(hours=2)),
         "first_visit", 0),
        (member(orders_count=0, last_order_at=None, first_seen_at=NOW - timedelta(hours=23)),
         "first_visit", 0),
        (member(orders_count=0, last_order_at=None, first_seen_at=NOW - timedelta(hours=24)),
         "member", 1),
        (member(orders_count=0, last_order_at=None, first_seen_at=None), "first_visit", 0),
        (member(orders_count=1), "buyer", 2),
        (member(orders_count=2), "repeat_buyer", 4),
        (member(orders_count=9), "repeat_buyer", 4),
    ],
)  # fmt: skip
def test_graduated_intensity(signals, expected_stage, count):
    assert stage(signals, NOW, DEFAULTS) == expected_stage
    assert intensity(signals, NOW, DEFAULTS) == count
    assert len(recommend(signals, BRAND, MANY, NOW, DEFAULTS)) == count


@pytest.mark.parametrize(
    "orders, days_ago, count",
    [
        (1, 5, 3),  # recent buyer: one more
        (1, 30, 3),  # the edge is inclusive
        (1, 31, 2),
        (1, 180, 2),
        (1, 181, 1),  # stale: one fewer
        (3, 5, 4),  # capped at max_intensity
        (3, 400, 3),
    ],
)
def test_purchase_recency(orders, days_ago, count):
    signals = member(orders_count=orders, last_order_at=NOW - timedelta(days=days_ago))
    assert intensity(signals, NOW, DEFAULTS) == count


def test_intensity_is_configurable():
    settings = RecommendationSettings.from_mapping(
        {"intensity": {"member": 2, "repeat_buyer": 6}, "max_intensity": 8,
         "first_visit_hours": 1, "repeat_buyer_orders": 5}
    )  # fmt: skip
    newcomer = member(orders_count=0, last_order_at=None, first_seen_at=NOW - timedelta(hours=2))
    assert intensity(newcomer, NOW, settings) == 2
    assert intensity(member(orders_count=4), NOW, settings) == 2  # a buyer until 5 orders
    assert intensity(member(orders_count=5, last_order_at=NOW), NOW, settings) == 7


def test_first_limits_further():
    assert len(recommend(member(), BRAND, MANY, NOW, DEFAULTS, first=2)) == 2
    assert recommend(member(), BRAND, MANY, NOW, DEFAULTS, first=0) == []
    assert len(recommend(member(), BRAND, MANY, NOW, DEFAULTS, first=50)) == 4


def test_brand_affinity_ranks_first_then_priority():
    placements = [
        placement("A", "vitalis", "supplements", priority=9),
        placement("B", "aurora", "apparel", priority=1),
        placement("C", "cubby", "baby-food", priority=5, source_category=None),
        placement("D", "aurora", "accessories", priority=3),
        placement("E", "vitalis", "vitamins", priority=4),
    ]
    signals = member(
        brands_purchased=frozenset({"aurora"}),
        brands_used=frozenset({"vitalis", "aurora"}),
        categories_purchased=frozenset({"skincare", "baby-food"}),
    )
    got = recommend(signals, BRAND, placements, NOW, DEFAULTS)
    assert [(r.placement.id, r.reason) for r in got] == [
        ("D", "brand-purchased"),
        ("B", "brand-purchased"),
        ("A", "brand-used"),
        ("E", "brand-used"),
    ]
    none_used = member(categories_purchased=frozenset({"skincare", "baby-care"}))
    got = recommend(none_used, BRAND, placements, NOW, DEFAULTS)
    assert ids(got) == ["A", "C", "E", "D"]  # by priority alone
    assert got[0].reason == "pairs-with:skincare"
    assert got[1].reason == "pairs-with:baby-care"


@pytest.mark.parametrize(
    "purchased, target, shown",
    [
        ("skincare", "supplements", True),
        ("makeup", "household-cleaning", False),
        ("baby-care", "household-cleaning", True),
        ("skincare", "household-cleaning", False),
        ("household-cleaning", "makeup", False),
        ("makeup", "apparel", True),
    ],
)
def test_category_matrix_pairs(purchased, target, shown):
    assert DEFAULTS.allows(purchased, target) is shown
    signals = member(categories_purchased=frozenset({purchased}))
    # a placement pairing with anything: shown when a purchased category allows its target
    anything = [placement("X", "purely", target)]
    assert bool(recommend(signals, BRAND, anything, NOW, DEFAULTS)) is shown
    # a placement pairing with the purchased category: the same rule
    paired = [placement("Y", "purely", target, source_category=purchased)]
    assert bool(recommend(signals, BRAND, paired, NOW, DEFAULTS)) is shown


def test_source_category_needs_a_purchase_in_it():
    paired = [placement("Y", "vitalis", "supplements", source_category="skincare")]
    assert recommend(member(categories_purchased=frozenset({"makeup"})), BRAND, paired, NOW,
                     DEFAULTS) == []  # fmt: skip
    # no purchases at all (a signed-up member): only placements that pair with anything
    newcomer = member(orders_count=0, last_order_at=None, categories_purchased=frozenset())
    anything = placement("Z", "purely", "household-cleaning")
    got = recommend(newcomer, BRAND, [*paired, anything], NOW, DEFAULTS)
    assert [(r.placement.id, r.reason) for r in got] == [("Z", "discovery")]


def test_matrix_override_changes_the_outcome():
    settings = RecommendationSettings.from_mapping(
        {"category_matrix": {"makeup": ["household-cleaning"]}}
    )
    signals = member(categories_purchased=frozenset({"makeup"}))
    target = [placement("X", "purely", "household-cleaning")]
    assert recommend(signals, BRAND, target, NOW, DEFAULTS) == []
    assert ids(recommend(signals, BRAND, target, NOW, settings)) == ["X"]
    assert settings.allows("skincare", "supplements")  # other rows keep their defaults


def test_never_the_own_brand():
    own = [placement("OWN", "lumen", "supplements", priority=99), *MANY[:1]]
    assert ids(recommend(member(), "lumen", own, NOW, DEFAULTS)) == ["P0"]
    assert "OWN" in ids(recommend(member(), "aurora", own, NOW, DEFAULTS))


def test_inactive_and_out_of_window_placements_are_not_shown():
    placements = [
        placement("OFF", "vitalis", "supplements", active=False),
        placement("ENDED", "vitalis", "supplements", ends_at=NOW),  # end is exclusive
        placement("LATER", "vitalis", "supplements", starts_at=NOW + timedelta(seconds=1)),
        placement("NOW", "vitalis", "vitamins", starts_at=NOW, ends_at=NOW + timedelta(1)),
    ]
    assert ids(recommend(member(), BRAND, placements, NOW, DEFAULTS)) == ["NOW"]


def test_one_recommendation_per_product():
    twice = [
        placement("A", "vitalis", "supplements", priority=2),
        replace(
            placement("B", "vitalis", "supplements", priority=1), target_product_id="vitalis:SKU-A"
        ),
        placement("C", "vitalis", "supplements"),
    ]
    assert ids(recommend(member(), BRAND, twice, NOW, DEFAULTS)) == ["A", "C"]


def test_frequency_cap_per_placement_per_day():
    capped = RecommendationSettings.from_mapping({"frequency_cap_per_day": 2})
    seen = {"P9": 2, "P8": 1}
    assert ids(recommend(member(), BRAND, MANY, NOW, capped, impressions=seen)) == [
        "P8", "P7", "P6", "P5",
    ]  # fmt: skip
    # without a cap, impressions do not matter
    assert ids(recommend(member(), BRAND, MANY, NOW, DEFAULTS, impressions=seen))[0] == "P9"


def test_signals_from_a_gateway_representation():
    signals = MemberSignals.from_representation(
        {
            "__typename": "Member",
            "id": "mbr_1",
            "crossBrandConsent": {"granted": True},
            "engagement": {
                "firstSeenAt": "2024-01-01T00:00:00+00:00",
                "ordersCount": 2,
                "lastOrderAt": "2025-01-10T08:00:00Z",
                "brandsUsed": ["lumen", "vitalis"],
                "brandsPurchased": ["vitalis"],
                "categoriesPurchased": ["supplements"],
            },
        }
    )
    assert signals.consent_granted and signals.orders_count == 2
    assert signals.last_order_at == datetime(2025, 1, 10, 8, tzinfo=UTC)
    assert signals.brands_purchased == {"vitalis"}
    for broken in ({}, {"crossBrandConsent": None}, {"crossBrandConsent": {"granted": "yes"}}):
        assert not MemberSignals.from_representation(broken).consent_granted


def test_now_must_be_aware():
    with pytest.raises(ValueError):
        recommend(member(), BRAND, MANY, datetime(2025, 1, 1), DEFAULTS)
