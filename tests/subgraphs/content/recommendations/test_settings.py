from __future__ import annotations

import pytest

from subgraphs.content.recommendations import (
    CATEGORIES,
    DEFAULT_CATEGORY_MATRIX,
    RecommendationSettings,
)


def test_defaults_and_the_documented_matrix():
    settings = RecommendationSettings.from_mapping(None)
    assert settings == RecommendationSettings.from_mapping({})
    assert dict(settings.intensity) == {"first_visit": 0, "member": 1, "buyer": 2,
                                        "repeat_buyer": 4}  # fmt: skip
    assert settings.frequency_cap_per_day is None
    assert set(DEFAULT_CATEGORY_MATRIX) == set(CATEGORIES)
    assert settings.allows("skincare", "supplements")
    assert settings.allows("baby-care", "household-cleaning")
    assert not settings.allows("makeup", "household-cleaning")


def test_a_full_mapping():
    settings = RecommendationSettings.from_mapping(
        {
            "intensity": {"buyer": 3},
            "max_intensity": 5,
            "first_visit_hours": 48,
            "repeat_buyer_orders": 3,
            "recent_order_days": 14,
            "stale_order_days": 90,
            "frequency_cap_per_day": 3,
            "extra_categories": ["pet-care"],
            "category_matrix": {"pet-care": ["home"], "home": ["pet-care"]},
        }
    )
    assert settings.intensity["buyer"] == 3 and settings.intensity["repeat_buyer"] == 4
    assert (settings.max_intensity, settings.frequency_cap_per_day) == (5, 3)
    assert settings.allows("home", "pet-care") and not settings.allows("home", "apparel")


@pytest.mark.parametrize(
    "mapping, message",
    [
        ({"intensty": {}}, "unknown recommendation setting(s) intensty"),
        ({"intensity": {"vip": 9}}, "intensity: unknown stage(s) vip"),
        ({"intensity": {"buyer": -1}}, "intensity.buyer must be at least 0"),
        ({"intensity": {"buyer": 1.5}}, "intensity.buyer must be an integer"),
        ({"intensity": []}, "intensity must be a mapping"),
        ({"max_intensity": True}, "max_intensity must be an integer"),
        ({"repeat_buyer_orders": 1}, "repeat_buyer_orders must be at least 2"),
        ({"recent_order_days": 200}, "stale_order_days must be greater than recent_order_days"),
        ({"frequency_cap_per_day": 0}, "frequency_cap_per_day must be at least 1"),
        ({"category_matrix": {"makeup": ["cleaning"]}}, "unknown category 'cleaning'"),
        ({"category_matrix": {"pets": []}}, "unknown category 'pets'"),
        ({"category_matrix": {"makeup": "skincare"}}, "must be a list of category codes"),
        ({"extra_categories": "pets"}, "extra_categories must be a list"),
    ],
)
def test_clear_errors(mapping, message):
    with pytest.raises(ValueError) as error:
        RecommendationSettings.from_mapping(mapping)
    assert message in str(error.value)


def test_not_a_mapping():
    with pytest.raises(ValueError, match="must be a mapping"):
        RecommendationSettings.from_mapping(["intensity"])  # type: ignore[arg-type]
