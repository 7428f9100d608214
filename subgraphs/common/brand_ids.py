"""Brand-scoped ids (`lumen:SKU-1001`) and page sizes, shared by the brand-owned subgraphs."""

from __future__ import annotations

import re
from typing import Any

BRAND_ID = re.compile(r"^[a-z][a-z0-9_-]{0,31}$")


def check_brand(brand: str) -> str:
    if not BRAND_ID.match(brand or ""):
        raise ValueError(
            f"invalid brand id {brand!r}: lowercase letters, digits, '-' or '_', "
            "starting with a letter"
        )
    return brand


def global_id(brand: str, code: str) -> str:
    return f"{brand}:{code}"


def local_code(brand: str, value: str) -> str | None:
    """The deployment's own code of a brand-scoped id; None for another brand's or a bad id."""
    prefix, sep, code = str(value).partition(":")
    if not sep or prefix != brand or not code:
        return None
    return code


def page_size(first: int | None, *, default: int, maximum: int, error: type[Exception]) -> int:
    if first is None:
        return default
    if first < 0:
        raise error("first must not be negative")
    return min(first, maximum)


async def load_scoped(loader: Any, brand: str, value: str) -> Any | None:
    """The row behind a brand-scoped id through a per-request loader; None for another
    brand's, a malformed or an unknown id."""
    code = local_code(brand, value)
    return None if code is None else await loader.load(code)
