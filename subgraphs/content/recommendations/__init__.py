"""Cross-brand recommendations: the rules (`rules.py`, pure) and their settings (`settings.py`)."""

from .rules import MemberSignals, Placement, Recommendation, intensity, recommend
from .settings import CATEGORIES, DEFAULT_CATEGORY_MATRIX, RecommendationSettings

__all__ = [
    "CATEGORIES",
    "DEFAULT_CATEGORY_MATRIX",
    "MemberSignals",
    "Placement",
    "Recommendation",
    "RecommendationSettings",
    "intensity",
    "recommend",
]
