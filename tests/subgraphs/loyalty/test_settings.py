from __future__ import annotations

from datetime import timedelta

import pytest

from subgraphs.loyalty.settings import (
    DEFAULT_COUPON_RULES,
    CouponRule,
    EarningRates,
    LoyaltySettings,
    Rate,
)

RULE = {
    "id": "cubby-1000-aurora-50",
    "spend_brand": "cubby",
    "spend_fen": 100_000,
    "coupon_brand": "aurora",
    "value_fen": 5_000,
    "min_spend_fen": 20_000,
    "valid_days": 14,
}


def test_default_rate_is_one_point_per_yuan_rounded_down():
    rates = EarningRates()
    assert rates.rate("lumen", "skincare") == Rate(1, 100)
    assert [rates.points_for("lumen", None, fen) for fen in (0, 99, 100, 199, 12_345)] == [
        0, 0, 1, 1, 123
    ]  # fmt: skip
    assert Rate(3, 200).points_for(199) == 2  # 2.985 rounds down
    assert Rate(3, 200).points_for(-5) == 0


def test_overrides_category_beats_brand_beats_default():
    settings = LoyaltySettings.from_mapping(
        {
            "earning": {
                "default": {"points": 1, "per_fen": 200},
                "brands": {"lumen": {"points": 2, "per_fen": 100}},
                "categories": {
                    "lumen": {"makeup": {"points": 5, "per_fen": 100}},
                    "vitalis": {"vitamins": {"points": 0, "per_fen": 100}},
                },
            }
        }
    )
    earning = settings.earning
    assert earning.points_for("lumen", "makeup", 1_050) == 52  # category: 5/yuan, 52.5 down
    assert earning.points_for("lumen", "skincare", 1_050) == 21  # brand: 2/yuan
    assert earning.points_for("lumen", None, 1_050) == 21
    assert earning.points_for("vitalis", "vitamins", 99_999) == 0  # a zero rate is allowed
    assert earning.points_for("vitalis", "supplements", 1_050) == 5  # default 1 per 2 yuan
    assert earning.points_for("aurora", "makeup", 1_050) == 5  # makeup override is lumen's only


def test_from_mapping_keeps_defaults_and_reads_everything():
    assert LoyaltySettings.from_mapping({}) == LoyaltySettings()
    settings = LoyaltySettings.from_mapping(
        {
            "tiers": {"SILVER": 10, "MEMBER": 0, "PLATINUM": 30, "GOLD": 20},
            "points_validity_days": None,
            "coupon_reservation_seconds": 60,
            "coupon_rules": [RULE],
        }
    )
    assert settings.tiers == (("MEMBER", 0), ("SILVER", 10), ("GOLD", 20), ("PLATINUM", 30))
    assert settings.points_validity is None
    assert settings.coupon_reservation == timedelta(seconds=60)
    assert settings.coupon_rules == (CouponRule(**RULE),)
    assert LoyaltySettings.from_mapping({"coupon_rules": []}).coupon_rules == ()


def test_the_issue_rule_is_a_default():
    (rule,) = DEFAULT_COUPON_RULES
    assert (rule.spend_brand, rule.spend_fen, rule.coupon_brand) == ("lumen", 50_000, "vitalis")
    assert (rule.value_fen, rule.min_spend_fen, rule.valid_days) == (3_000, 10_000, 30)
    assert LoyaltySettings().coupon_rules == DEFAULT_COUPON_RULES


@pytest.mark.parametrize(
    ("mapping", "message"),
    [
        ({"tier": {}}, r"unknown key\(s\) \['tier'\]"),
        ({"earning": {"default": {"points": 1}}}, "needs both 'points' and 'per_fen'"),
        ({"earning": {"default": {"points": 1.5, "per_fen": 100}}}, "earning.default.points"),
        ({"earning": {"default": {"points": 1, "per_fen": 0}}}, "earning.default.per_fen"),
        ({"earning": {"brands": {"Lumen": {"points": 1, "per_fen": 1}}}}, "invalid id 'Lumen'"),
        ({"earning": {"brands": {"lumen": {"points": -1, "per_fen": 1}}}}, "non-negative"),
        ({"earning": {"categories": {"lumen": []}}}, "earning.categories.lumen must be a table"),
        ({"earning": {"rates": {}}}, r"unknown key\(s\) \['rates'\]"),
        ({"points_validity_days": 0}, "points_validity_days must be a positive integer"),
        ({"points_validity_days": True}, "points_validity_days"),
        ({"coupon_rules": {"id": "x"}}, "coupon_rules must be a list"),
        ({"coupon_rules": [{**RULE, "value_fen": 0}]}, "value_fen must be a positive"),
        ({"coupon_rules": [{k: v for k, v in RULE.items() if k != "valid_days"}]}, "valid_days"),
        ({"coupon_rules": [{**RULE, "extra": 1}]}, r"coupon_rules\[0\]: unknown key"),
        ({"coupon_rules": [RULE, RULE]}, "coupon rule ids must be unique"),
        ({"tiers": {"MEMBER": 0, "SILVER": 10}}, "tiers must name each"),
        ({"tiers": {"MEMBER": 1, "SILVER": 10, "GOLD": 20, "PLATINUM": 30}}, "start at 0"),
        ({"coupon_reservation_seconds": 0}, "coupon_reservation_seconds"),
        ("not a mapping", "loyalty settings must be a table"),
    ],
)
def test_from_mapping_refuses_bad_configuration_clearly(mapping, message):
    with pytest.raises(ValueError, match=message):
        LoyaltySettings.from_mapping(mapping)  # type: ignore[arg-type]
