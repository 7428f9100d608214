"""The inventory subgraph: `Product.inStock` and `Product.shippingEstimate`.

As in the benchmark's Rust subgraph, the inventory copy of a product never carries the
`price`/`weight` the gateway sends for `@requires`, so `shippingEstimate` is always null.
"""

from __future__ import annotations

import math
from typing import Any

import strawberry

from bench.subgraphs.federation import SubgraphSchema

IN_STOCK: dict[str, bool] = {
    "1": True,
    "2": False,
    "3": False,
    "4": False,
    "5": True,
    "6": True,
    "7": True,
    "8": False,
    "9": True,
}


@strawberry.federation.type(keys=["upc"])
class Product:
    upc: str
    weight: int | None = strawberry.federation.field(external=True)
    price: int | None = strawberry.federation.field(external=True)
    in_stock: bool | None

    @strawberry.federation.field(requires=["price", "weight"])
    def shipping_estimate(self) -> int | None:
        if self.price is not None:
            if self.price > 1000:
                return 0
            if self.weight is not None:
                return math.trunc(self.weight / 2)
        return None

    @classmethod
    def resolve_reference(cls, upc: Any = None, **_representation: Any) -> Product:
        # Any upc resolves; the representation's price and weight are ignored on purpose.
        return cls(upc=upc, weight=None, price=None, in_stock=_in_stock(upc))


def _in_stock(upc: object) -> bool | None:
    # The reference indexes a JavaScript object, whose keys are strings: upc 1 finds "1".
    if isinstance(upc, int) and not isinstance(upc, bool):
        upc = str(upc)
    return IN_STOCK.get(upc) if isinstance(upc, str) else None


schema = SubgraphSchema(types=[Product])
