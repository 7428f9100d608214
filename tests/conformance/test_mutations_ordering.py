"""Mutations: root fields run one after another, in document order, across subgraphs.

Covers the GraphQL spec's "Mutation" execution (ExecuteSelectionSet serially: each top-level
mutation field, with its whole selection, completes before the next one starts) as a federated
gateway must keep it when consecutive mutation fields live in different subgraphs; Apollo
Federation docs ("Query plans", sequence nodes for mutations). The three subgraphs share one
in-memory store (as services sharing a database would) and record every mutation call; each
mutation returns a sequence number, so running them out of order, in parallel, or before an
earlier field's entity jumps are done shows in the response. The first mutation of a document
often sleeps a little, so a gateway that starts later ones early would be caught.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field

import pytest
import strawberry

from tests.conformance.harness import Case, make_gateway, run_case

# --------------------------------------------------------------------------- shared store

PRICES: dict[str, int] = {"A": 25000, "B": 14000, "C": 6000}
NAMES: dict[str, str] = {"A": "Dome Tent", "B": "Sleeping Bag", "C": "Camp Stove"}


@dataclass
class Store:
    seq: int = 0
    calls: list[str] = field(default_factory=list)
    cart: dict[str, int] = field(default_factory=dict)
    last_added: str | None = None
    names: dict[str, str] = field(default_factory=lambda: dict(NAMES))

    def reset(self) -> None:
        self.seq = 0
        self.calls = []
        self.cart = {}
        self.last_added = None
        self.names = dict(NAMES)

    def enter(self, call: str) -> int:
        self.calls.append(call)
        self.seq += 1
        return self.seq


STORE = Store()


def reset_state() -> None:
    STORE.reset()


async def _pause(delay_ms: int) -> None:
    if delay_ms:
        await asyncio.sleep(delay_ms / 1000)


# --------------------------------------------------------------------------- catalog


@strawberry.federation.type(keys=["sku"])
class Product:
    sku: str

    @strawberry.field
    def name(self) -> str:
        return STORE.names[self.sku]

    @strawberry.field
    def unit_price(self) -> int:
        return PRICES[self.sku]

    @classmethod
    def resolve_reference(cls, sku: str) -> Product:
        return cls(sku=sku)


@strawberry.type(name="Query")
class CatalogQuery:
    @strawberry.field
    def products(self) -> list[Product]:
        return [Product(sku=sku) for sku in PRICES]


@strawberry.type(name="Mutation")
class CatalogMutation:
    @strawberry.mutation
    async def rename_product(self, sku: str, name: str, delay_ms: int = 0) -> Product | None:
        await _pause(delay_ms)
        STORE.enter("catalog.renameProduct")
        STORE.names[sku] = name
        return Product(sku=sku)


catalog_schema = strawberry.federation.Schema(
    query=CatalogQuery, mutation=CatalogMutation, types=[Product], federation_version="2.3"
)

# --------------------------------------------------------------------------- cart


@strawberry.federation.type(keys=["sku"], name="Product")
class CartProduct:
    sku: str

    @strawberry.field(description="How many of this product the cart holds right now.")
    def in_cart(self) -> int:
        return STORE.cart.get(self.sku, 0)

    @classmethod
    def resolve_reference(cls, sku: str) -> CartProduct:
        return cls(sku=sku)


@strawberry.type
class CartLine:
    product: CartProduct
    quantity: int


@strawberry.type
class CartUpdate:
    seq: int
    item_count: int
    lines: list[CartLine]


def _cart_update(seq: int) -> CartUpdate:
    return CartUpdate(
        seq=seq,
        item_count=sum(STORE.cart.values()),
        lines=[CartLine(product=CartProduct(sku=s), quantity=q) for s, q in STORE.cart.items()],
    )


@strawberry.type(name="Query")
class CartQuery:
    @strawberry.field
    def cart_size(self) -> int:
        return sum(STORE.cart.values())


@strawberry.type(name="Mutation")
class CartMutation:
    @strawberry.mutation
    async def add_to_cart(
        self, sku: str, quantity: int = 1, delay_ms: int = 0
    ) -> CartUpdate | None:
        await _pause(delay_ms)
        seq = STORE.enter("cart.addToCart")
        if sku not in PRICES:
            raise ValueError(f"unknown product {sku}")
        STORE.cart[sku] = STORE.cart.get(sku, 0) + quantity
        STORE.last_added = sku
        return _cart_update(seq)

    @strawberry.mutation
    async def remove_from_cart(self, sku: str, delay_ms: int = 0) -> CartUpdate | None:
        await _pause(delay_ms)
        seq = STORE.enter("cart.removeFromCart")
        STORE.cart.pop(sku, None)
        return _cart_update(seq)


cart_schema = strawberry.federation.Schema(
    query=CartQuery, mutation=CartMutation, types=[CartProduct], federation_version="2.3"
)

# --------------------------------------------------------------------------- billing


@strawberry.federation.type(keys=["sku"], name="Product")
class BilledProduct:
    sku: str

    @classmethod
    def resolve_reference(cls, sku: str) -> BilledProduct:
        return cls(sku=sku)


@strawberry.type
class Receipt:
    seq: int
    total: int
    item_count: int
    last_product: BilledProduct | None


@strawberry.type
class Note:
    seq: int
    text: str


@strawberry.type(name="Query")
class BillingQuery:
    @strawberry.field
    def calls_so_far(self) -> int:
        return len(STORE.calls)


@strawberry.type(name="Mutation")
class BillingMutation:
    @strawberry.mutation
    async def checkout(self, delay_ms: int = 0) -> Receipt:
        await _pause(delay_ms)
        seq = STORE.enter("billing.checkout")
        total = sum(PRICES[s] * q for s, q in STORE.cart.items())
        count = sum(STORE.cart.values())
        last = STORE.last_added
        STORE.cart.clear()
        return Receipt(
            seq=seq,
            total=total,
            item_count=count,
            last_product=None if last is None else BilledProduct(sku=last),
        )

    @strawberry.mutation
    async def record_note(self, text: str, delay_ms: int = 0) -> Note:
        await _pause(delay_ms)
        return Note(seq=STORE.enter("billing.recordNote"), text=text)


billing_schema = strawberry.federation.Schema(
    query=BillingQuery, mutation=BillingMutation, types=[BilledProduct], federation_version="2.3"
)

SUBGRAPHS = {"catalog": catalog_schema, "cart": cart_schema, "billing": billing_schema}


CASES = [
    Case(
        "mutations-run-in-document-order-across-subgraphs",
        """
        mutation {
          first: addToCart(sku: "A", quantity: 2, delayMs: 150) { seq itemCount }
          checkout { seq total itemCount }
          second: addToCart(sku: "B") { seq itemCount }
        }
        """,
        {
            "data": {
                "first": {"seq": 1, "itemCount": 2},
                "checkout": {"seq": 2, "total": 50000, "itemCount": 2},
                "second": {"seq": 3, "itemCount": 1},
            }
        },
        meta={"calls": ["cart.addToCart", "billing.checkout", "cart.addToCart"]},
    ),
    Case(
        "consecutive-mutations-on-one-subgraph-keep-order",
        """
        mutation {
          a: addToCart(sku: "A", delayMs: 100) { seq itemCount }
          b: addToCart(sku: "B", quantity: 3) { seq itemCount }
          c: removeFromCart(sku: "A") { seq itemCount }
        }
        """,
        {
            "data": {
                "a": {"seq": 1, "itemCount": 1},
                "b": {"seq": 2, "itemCount": 4},
                "c": {"seq": 3, "itemCount": 3},
            }
        },
        meta={"calls": ["cart.addToCart", "cart.addToCart", "cart.removeFromCart"]},
    ),
    Case(
        "one-subgraph-then-another-then-the-first-again",
        """
        mutation {
          n1: recordNote(text: "one", delayMs: 80) { seq text }
          add: addToCart(sku: "C", delayMs: 40) { seq }
          n2: recordNote(text: "two") { seq text }
          rename: renameProduct(sku: "C", name: "Twin Stove") { name }
          n3: recordNote(text: "three") { seq }
        }
        """,
        {
            "data": {
                "n1": {"seq": 1, "text": "one"},
                "add": {"seq": 2},
                "n2": {"seq": 3, "text": "two"},
                "rename": {"name": "Twin Stove"},
                "n3": {"seq": 5},
            }
        },
        meta={
            "calls": [
                "billing.recordNote",
                "cart.addToCart",
                "billing.recordNote",
                "catalog.renameProduct",
                "billing.recordNote",
            ]
        },
    ),
    Case(
        "later-mutation-sees-earlier-one-through-entity-jump",
        """
        mutation {
          renameProduct(sku: "A", name: "Alpine Tent", delayMs: 100) { sku name }
          addToCart(sku: "A") { seq lines { quantity product { sku name } } }
        }
        """,
        {
            "data": {
                "renameProduct": {"sku": "A", "name": "Alpine Tent"},
                "addToCart": {
                    "seq": 2,
                    "lines": [{"quantity": 1, "product": {"sku": "A", "name": "Alpine Tent"}}],
                },
            }
        },
        meta={"calls": ["catalog.renameProduct", "cart.addToCart"]},
    ),
    Case(
        "entity-jumps-of-a-mutation-finish-before-the-next-mutation",
        """
        mutation {
          addToCart(sku: "A", delayMs: 50) { seq lines { product { name unitPrice inCart } } }
          renameProduct(sku: "A", name: "Alpine Tent") { name inCart }
        }
        """,
        {
            "data": {
                "addToCart": {
                    "seq": 1,
                    "lines": [{"product": {"name": "Dome Tent", "unitPrice": 25000, "inCart": 1}}],
                },
                "renameProduct": {"name": "Alpine Tent", "inCart": 1},
            }
        },
        meta={"calls": ["cart.addToCart", "catalog.renameProduct"]},
    ),
    Case(
        "mutation-result-jumps-to-two-other-subgraphs",
        """
        mutation {
          addToCart(sku: "C", quantity: 2) { seq }
          checkout { seq total lastProduct { sku name inCart } }
        }
        """,
        {
            "data": {
                "addToCart": {"seq": 1},
                "checkout": {
                    "seq": 2,
                    "total": 12000,
                    "lastProduct": {"sku": "C", "name": "Camp Stove", "inCart": 0},
                },
            }
        },
        meta={"calls": ["cart.addToCart", "billing.checkout"]},
    ),
    Case(
        "typename-on-mutation-root-and-result",
        'mutation { __typename note: recordNote(text: "hello") { __typename seq text } }',
        {
            "data": {
                "__typename": "Mutation",
                "note": {"__typename": "Note", "seq": 1, "text": "hello"},
            }
        },
        meta={"calls": ["billing.recordNote"]},
    ),
    Case(
        "operation-name-selects-mutation-with-variables",
        """
        query Peek { cartSize }
        mutation Fill($sku: String!, $qty: Int! = 3) {
          addToCart(sku: $sku, quantity: $qty) { seq itemCount lines { product { name } quantity } }
        }
        """,
        {
            "data": {
                "addToCart": {
                    "seq": 1,
                    "itemCount": 3,
                    "lines": [{"product": {"name": "Sleeping Bag"}, "quantity": 3}],
                }
            }
        },
        variables={"sku": "B"},
        operation_name="Fill",
        meta={"calls": ["cart.addToCart"]},
    ),
    Case(
        "operation-name-selects-query-and-runs-no-mutation",
        """
        query Peek { cartSize callsSoFar }
        mutation Fill { addToCart(sku: "B") { seq } }
        """,
        {"data": {"cartSize": 0, "callsSoFar": 0}},
        operation_name="Peek",
        meta={"calls": []},
    ),
    Case(
        "failed-mutation-does-not-stop-later-ones",
        """
        mutation {
          bad: addToCart(sku: "ZZZ") { seq }
          good: recordNote(text: "after") { seq text }
        }
        """,
        {"data": {"bad": None, "good": {"seq": 2, "text": "after"}}, "errors": [{"path": ["bad"]}]},
        meta={"calls": ["cart.addToCart", "billing.recordNote"]},
    ),
    Case(
        "skipped-mutation-field-is-not-executed",
        """
        mutation Run($dry: Boolean!) {
          add: addToCart(sku: "A") @skip(if: $dry) { seq }
          note: recordNote(text: "dry run") @include(if: $dry) { seq text }
        }
        """,
        {"data": {"note": {"seq": 1, "text": "dry run"}}},
        variables={"dry": True},
        meta={"calls": ["billing.recordNote"]},
    ),
]


def check_side_effects(case: Case) -> None:
    """The subgraphs saw exactly the mutation calls the case expects, in that order."""
    assert STORE.calls == case.meta["calls"], f"subgraph calls: {STORE.calls}"


@pytest.mark.parametrize("case", CASES, ids=lambda c: c.name)
async def test_mutations_ordering(case: Case) -> None:
    reset_state()
    gateway = make_gateway(SUBGRAPHS)
    try:
        await run_case(gateway, case)
    finally:
        await gateway.aclose()
    check_side_effects(case)
