"""The order Strawberry federation schema (central: one deployment for every brand).

Owns `Order @key(fields: "id")`, the cart types and `GroupKpis @key(fields: "since until")`
(`Query.groupKpis`; loyalty adds its KPI to it). Extends `Member` (owned by member) with
`cart` and `orders(first, brand)`. Cart and order lines point at `Product @key(fields: "id",
resolvable: false)` (the catalogue's; the gateway fetches the rest). Money is integer fen.

Authorization (access token claims, `subgraphs.common.auth` guards):
- cart mutations, `placeOrder`, `payOrder`, `Member.cart`: the member themself (`Member.cart`
  also operators);
- an order (`order`, `Order` entities, `Member.orders`): the member themself, staff of a brand
  with a line in it, or operators (`Member.orders` for staff: only with `brand` = theirs);
- `cancelOrder`: the member, staff of a brand in the order, or operators; `shipOrder`,
  `markOrderDelivered`, `refundOrder`: staff of a brand in the order, or operators;
- `groupKpis` / `GroupKpis`: operators.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from enum import Enum

import strawberry
from strawberry.federation.schema_directives import Key

from subgraphs.common import access, auth
from subgraphs.common.context import SubgraphContext

from . import cart, kpis, lifecycle, service
from .errors import NotFound, OrderError, as_utc
from .models import CartLine as CartLineRow
from .models import Order as OrderRow
from .models import OrderLine as OrderLineRow
from .models import StatusChange as StatusChangeRow
from .payments import InMemorySandboxProvider, PaymentProvider

DEFAULT_ORDERS = 20
MAX_ORDERS = 100


class OrderContext(SubgraphContext):
    """The request context (`create_app` sets the payment provider)."""

    payments: PaymentProvider = InMemorySandboxProvider()

    @property
    def ring(self) -> auth.KeyRing:
        return self.key_ring or auth.KeyRing.from_env()


Info = strawberry.Info[OrderContext, None]


@strawberry.enum(description="Where an order stands.")
class OrderStatus(Enum):
    PLACED = "PLACED"
    PAID = "PAID"
    SHIPPED = "SHIPPED"
    DELIVERED = "DELIVERED"
    CANCELLED = "CANCELLED"
    REFUNDED = "REFUNDED"


@strawberry.enum(description="Where an order's payment stands.")
class PaymentStatus(Enum):
    UNPAID = "UNPAID"
    PENDING = "PENDING"
    PAID = "PAID"
    DECLINED = "DECLINED"
    FAILED = "FAILED"
    REFUNDED = "REFUNDED"


@strawberry.enum(description="What showed the product in another brand's app.")
class AttributionKind(Enum):
    RECOMMENDATION = "RECOMMENDATION"
    BANNER = "BANNER"


@strawberry.input(description="The cross-traffic source that showed the product.")
class AttributionInput:
    kind: AttributionKind
    id: strawberry.ID = strawberry.field(description="The source's brand-scoped ID.")
    brand: str = strawberry.field(description="The brand whose app showed the source.")


@strawberry.federation.type(
    shareable=True,
    description="Where a cart line came from (a recommendation, a banner); pass it to "
    "addToCart so the order can credit the source.",
)
class AttributionSource:
    kind: str = strawberry.field(description="RECOMMENDATION or BANNER.")
    id: strawberry.ID = strawberry.field(description="The source's brand-scoped ID.")
    brand: str = strawberry.field(description="The brand whose app showed the source.")


def _source(kind: str | None, source_id: str | None, brand: str | None) -> AttributionSource | None:
    if kind is None:
        return None
    return AttributionSource(kind=kind, id=strawberry.ID(source_id or ""), brand=brand or "")


@strawberry.federation.type(
    directives=[Key(fields="id", resolvable=False)],
    description="A catalogue product (resolved by its brand's catalogue).",
)
class Product:
    id: strawberry.ID


# --- cart ------------------------------------------------------------------------------------


@strawberry.type(description="One SKU in the cart, at its current price.")
class CartLine:
    sku_id: strawberry.ID
    product: Product | None
    brand: str | None
    product_name: str | None
    sku_name: str | None
    unit_price_fen: int | None
    quantity: int
    amount_fen: int = strawberry.field(description="Unit price x quantity (0 when unknown).")
    available: bool = strawberry.field(description="The SKU is on sale (else remove it).")
    source: AttributionSource | None


@strawberry.type(description="The member's cart (one per member; it may mix brands).")
class Cart:
    lines: list[CartLine] = strawberry.federation.field(directives=[access.assumed(cart.MAX_LINES)])
    item_count: int
    subtotal_fen: int = strawberry.field(description="Sum of the available lines, fen.")
    brands: list[str] = strawberry.federation.field(
        description="The brands in the cart.", directives=[access.assumed(10)]
    )


async def load_cart(info: Info, member_id: str) -> Cart:
    rows: list[CartLineRow] = await info.context.loader("cart_lines").load(member_id)
    skus = await info.context.loader("sku").load_many([row.sku_id for row in rows])
    lines = []
    for row, sku in zip(rows, skus, strict=True):
        price = None if sku is None else sku.price_fen
        lines.append(
            CartLine(
                sku_id=strawberry.ID(row.sku_id),
                product=None if sku is None else Product(id=strawberry.ID(sku.product_id)),
                brand=None if sku is None else sku.brand,
                product_name=None if sku is None else sku.product_name,
                sku_name=None if sku is None else sku.sku_name,
                unit_price_fen=price,
                quantity=row.quantity,
                amount_fen=(price or 0) * row.quantity,
                available=sku is not None and sku.active,
                source=_source(row.source_kind, row.source_id, row.source_brand),
            )
        )
    return Cart(
        lines=lines,
        item_count=sum(line.quantity for line in lines),
        subtotal_fen=sum(line.amount_fen for line in lines if line.available),
        brands=list(dict.fromkeys(line.brand for line in lines if line.brand)),
    )


# --- orders ----------------------------------------------------------------------------------


@strawberry.type(description="The shipping address as it was when the order was placed.")
class ShippingAddress:
    address_id: strawberry.ID | None
    recipient: str
    phone: str
    region: str
    city: str
    line1: str
    postal_code: str


@strawberry.type(description="An order line: what was bought, at which price, from where.")
class OrderLine:
    sku_id: strawberry.ID
    product: Product
    brand: str
    product_name: str
    sku_name: str
    category_id: str | None
    unit_price_fen: int
    quantity: int
    subtotal_fen: int = strawberry.field(description="Unit price x quantity.")
    discount_fen: int = strawberry.field(description="This line's share of the coupon.")
    amount_fen: int = strawberry.field(description="Paid for the line: subtotal - discount.")
    source: AttributionSource | None

    @classmethod
    def of(cls, row: OrderLineRow) -> OrderLine:
        return cls(
            sku_id=strawberry.ID(row.sku_id),
            product=Product(id=strawberry.ID(row.product_id)),
            brand=row.brand,
            product_name=row.product_name,
            sku_name=row.sku_name,
            category_id=row.category_id,
            unit_price_fen=row.unit_price_fen,
            quantity=row.quantity,
            subtotal_fen=row.subtotal_fen,
            discount_fen=row.discount_fen,
            amount_fen=row.amount_fen,
            source=_source(row.source_kind, row.source_id, row.source_brand),
        )


@strawberry.type(description="One step of an order's status history.")
class OrderStatusChange:
    status: OrderStatus
    at: datetime
    actor: str = strawberry.field(description="member:<id>, staff:<brand>, operator, payment.")


@strawberry.type(description="The order's payment.")
class OrderPayment:
    status: PaymentStatus
    error: str | None = strawberry.field(description="Why the last attempt failed, if it did.")
    payment_method_id: strawberry.ID | None


@strawberry.federation.type(keys=["id"], description="An order; it may mix brands.")
class Order:
    row: strawberry.Private[OrderRow]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return strawberry.ID(self.row.id)

    @strawberry.field
    def member(self) -> Member:
        return Member(id=strawberry.ID(self.row.member_id))

    @strawberry.field(description="The brand app the order was placed in (x-brand).")
    def channel_brand(self) -> str:
        return self.row.channel_brand

    @strawberry.field
    def status(self) -> OrderStatus:
        return OrderStatus(self.row.status)

    @strawberry.field
    def placed_at(self) -> datetime:
        return as_utc(self.row.placed_at)

    @strawberry.field
    def paid_at(self) -> datetime | None:
        return None if self.row.paid_at is None else as_utc(self.row.paid_at)

    @strawberry.field
    def subtotal_fen(self) -> int:
        return self.row.subtotal_fen

    @strawberry.field(description="The coupon's discount, fen.")
    def discount_fen(self) -> int:
        return self.row.discount_fen

    @strawberry.field(description="What the member pays: subtotal - discount, fen.")
    def total_fen(self) -> int:
        return self.row.total_fen

    @strawberry.field
    def coupon_id(self) -> strawberry.ID | None:
        return None if self.row.coupon_id is None else strawberry.ID(self.row.coupon_id)

    @strawberry.field(description="Null once the member's personal data was erased.")
    def shipping_address(self) -> ShippingAddress | None:
        row = self.row
        if row.erased_at is not None or row.ship_recipient is None:
            return None
        return ShippingAddress(
            address_id=None if row.address_id is None else strawberry.ID(row.address_id),
            recipient=row.ship_recipient,
            phone=row.ship_phone or "",
            region=row.ship_region or "",
            city=row.ship_city or "",
            line1=row.ship_line1 or "",
            postal_code=row.ship_postal_code or "",
        )

    @strawberry.field
    def payment(self) -> OrderPayment:
        method = self.row.payment_method_id
        return OrderPayment(
            status=PaymentStatus(self.row.payment_status),
            error=self.row.payment_error,
            payment_method_id=None if method is None else strawberry.ID(method),
        )

    @strawberry.federation.field(directives=[access.assumed(cart.MAX_LINES)])
    async def lines(self, info: Info) -> list[OrderLine]:
        rows = await info.context.loader("order_lines").load(self.row.id)
        return [OrderLine.of(row) for row in rows]

    @strawberry.federation.field(
        description="The brands with a line in the order.", directives=[access.assumed(10)]
    )
    async def brands(self, info: Info) -> list[str]:
        rows = await info.context.loader("order_lines").load(self.row.id)
        return list(dict.fromkeys(row.brand for row in rows))

    @strawberry.federation.field(
        description="Status changes, oldest first.", directives=[access.assumed(10)]
    )
    async def history(self, info: Info) -> list[OrderStatusChange]:
        rows: Sequence[StatusChangeRow] = await info.context.loader("order_history").load(
            self.row.id
        )
        return [
            OrderStatusChange(status=OrderStatus(r.status), at=as_utc(r.at), actor=r.actor)
            for r in rows
        ]

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Order | None:
        return await readable_order(info, str(kwargs.get("id", "")))


async def _brands_of(info: Info, order_id: str) -> list[str]:
    rows = await info.context.loader("order_lines").load(order_id)
    return list(dict.fromkeys(row.brand for row in rows))


def _require_staff_of(claims: auth.Claims | None, brands: Sequence[str]) -> auth.Claims:
    """Staff of one of `brands` (operators pass): `require_staff` for the staff's brand when
    it is among them, else for the first (which refuses)."""
    claims = auth.require_claims(claims)
    brand = claims.brand if claims.brand in brands else (brands[0] if brands else None)
    return auth.require_staff(claims, brand)


async def authorize_order(info: Info, row: OrderRow, *, member_may: bool = True) -> auth.Claims:
    claims = auth.require_claims(info.context.claims)
    if member_may and claims.kind == "member":
        return auth.require_self(claims, row.member_id)
    return _require_staff_of(claims, await _brands_of(info, row.id))


async def readable_order(info: Info, order_id: str) -> Order | None:
    """The order if the caller may read it (None when unknown; FORBIDDEN when not theirs)."""
    auth.require_claims(info.context.claims)
    if not order_id or len(order_id) > 64:
        return None
    row = await info.context.loader("order").load(order_id)
    if row is None:
        return None
    await authorize_order(info, row)
    return Order(row=row)


def _actor(claims: auth.Claims) -> str:
    if claims.kind == "member":
        return f"member:{claims.subject}"
    if claims.kind == "staff":
        return f"staff:{claims.brand}:{claims.subject}"[:100]
    return f"{claims.kind}:{claims.subject}"[:100]


# --- member ----------------------------------------------------------------------------------


@strawberry.federation.type(keys=["id"], description="A group member (owned by member).")
class Member:
    id: strawberry.ID

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> Member:
        return cls(id=strawberry.ID(str(kwargs.get("id", ""))))

    @strawberry.federation.field(
        description="The member's cart (the member themself or operators).",
        authenticated=True,
        requires_scopes=access.MEMBER_OR_OPERATOR,
    )
    async def cart(self, info: Info) -> Cart:
        claims = auth.require_claims(info.context.claims)
        if claims.kind != "operator":
            auth.require_self(claims, self.id)
        return await load_cart(info, str(self.id))

    @strawberry.federation.field(
        description="The member's orders, newest first, across brands (only those with a "
        "line of `brand` when given); `first` at most 100.",
        authenticated=True,
        requires_scopes=access.ORDER_READERS,
        directives=[access.sliced(MAX_ORDERS)],
    )
    async def orders(
        self, info: Info, first: int | None = DEFAULT_ORDERS, brand: str | None = None
    ) -> list[Order]:
        claims = auth.require_claims(info.context.claims)
        if claims.kind == "staff":
            auth.require_staff(claims, brand)  # staff see their brand's orders only
        elif claims.kind != "operator":
            auth.require_self(claims, self.id)
        size = DEFAULT_ORDERS if first is None else first
        if size < 0:
            raise OrderError("first must not be negative")
        if brand is not None and len(brand) > 32:
            raise OrderError("brand must be at most 32 characters")
        key = (str(self.id), min(size, MAX_ORDERS), brand)
        rows = await info.context.loader("member_orders").load(key)
        return [Order(row=row) for row in rows]


# --- KPIs ------------------------------------------------------------------------------------


def _moment(value: object, name: str) -> datetime:
    if isinstance(value, datetime):
        return as_utc(value)
    try:
        return as_utc(datetime.fromisoformat(str(value)))
    except ValueError:
        raise OrderError(f"{name} must be an ISO 8601 date-time") from None


@strawberry.federation.type(
    keys=["since until"],
    description="Group-wide KPIs over [since, until), operators only. Cross-traffic: cart adds "
    "whose source (a recommendation or banner) was shown in another brand than the product's.",
    authenticated=True,
    requires_scopes=access.OPERATOR,
    tags=[access.OPERATOR_TAG],
)
class GroupKpis:
    since: datetime
    until: datetime

    @classmethod
    async def resolve_reference(cls, info: Info, **kwargs) -> GroupKpis:
        auth.require_operator(info.context.claims)
        since, until = kpis.window(
            _moment(kwargs.get("since"), "since"), _moment(kwargs.get("until"), "until")
        )
        return cls(since=since, until=until)

    async def _kpis(self, info: Info) -> kpis.Kpis:
        auth.require_operator(info.context.claims)
        return await info.context.loader("kpis").load(kpis.window(self.since, self.until))

    @strawberry.field(description="Cart adds from another brand's recommendation or banner.")
    async def cross_traffic_cart_adds(self, info: Info) -> int:
        return (await self._kpis(info)).cross_traffic_cart_adds

    @strawberry.field(description="Of those, the ones whose line ended in a paid order.")
    async def cross_traffic_conversions(self, info: Info) -> int:
        return (await self._kpis(info)).cross_traffic_conversions

    @strawberry.field(description="Conversions / cart adds (0 when there were no adds).")
    async def cross_traffic_conversion_rate(self, info: Info) -> float:
        return (await self._kpis(info)).conversion_rate

    @strawberry.field(
        description="Paid, not refunded line amounts whose source brand is not the line's."
    )
    async def cross_brand_attributed_revenue_fen(self, info: Info) -> int:
        return (await self._kpis(info)).cross_brand_revenue_fen

    @strawberry.field(
        description="Paid, not refunded line amounts whose source brand is the line's."
    )
    async def single_brand_attributed_revenue_fen(self, info: Info) -> int:
        return (await self._kpis(info)).single_brand_revenue_fen

    @strawberry.field(description="Cross / single-brand attributed revenue; null when single is 0.")
    async def cross_to_single_brand_revenue_ratio(self, info: Info) -> float | None:
        return (await self._kpis(info)).cross_to_single_ratio

    @strawberry.field(description="Orders paid in the window and not refunded.")
    async def paid_orders(self, info: Info) -> int:
        return (await self._kpis(info)).paid_orders

    @strawberry.field(description="Their totals, fen.")
    async def revenue_fen(self, info: Info) -> int:
        return (await self._kpis(info)).revenue_fen


# --- root fields -----------------------------------------------------------------------------


@strawberry.input(description="Place the cart as an order.")
class PlaceOrderInput:
    shipping_address_id: strawberry.ID
    payment_method_id: strawberry.ID
    idempotency_key: str = strawberry.field(
        description="The same key again returns the same order (never a second charge)."
    )
    coupon_token: str | None = strawberry.field(
        default=None, description="From loyalty's reserveCoupon."
    )


def _channel(info: Info, claims: auth.Claims) -> str:
    brand = info.context.brand or claims.brand
    if not brand:
        raise OrderError("the x-brand header is required")
    if not cart.BRAND_ID.match(brand):
        raise OrderError(f"invalid brand {brand[:40]!r}")
    return brand


async def _order_for(info: Info, order_id: strawberry.ID) -> OrderRow:
    auth.require_claims(info.context.claims)
    order_id = cart.checked_id(str(order_id), "orderId")
    async with info.context.db() as session:
        row = await service.get_order(session, order_id)
        if row is not None:
            session.expunge(row)  # keeps its loaded values through the rollback
        await session.rollback()
    if row is None:
        raise NotFound(f"no order {order_id!r}")
    return row


@strawberry.type
class Query:
    @strawberry.federation.field(
        description="An order (the member, staff of a brand in it, operators).",
        authenticated=True,
        requires_scopes=access.ORDER_READERS,
    )
    async def order(self, info: Info, id: strawberry.ID) -> Order | None:
        return await readable_order(info, str(id))

    @strawberry.federation.field(
        description="Group KPIs over [since, until) (operators).",
        authenticated=True,
        requires_scopes=access.OPERATOR,
        tags=[access.OPERATOR_TAG],
        directives=[access.cost(access.AGGREGATE_COST)],  # aggregates every order in the window
    )
    async def group_kpis(self, info: Info, since: datetime, until: datetime) -> GroupKpis:
        auth.require_operator(info.context.claims)
        since, until = kpis.window(since, until)
        return GroupKpis(since=since, until=until)


@strawberry.type
class Mutation:
    @strawberry.federation.mutation(
        description="Add a SKU (on sale) to your cart; quantity 1..99.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def add_to_cart(
        self,
        info: Info,
        sku_id: strawberry.ID,
        quantity: int = 1,
        source: AttributionInput | None = None,
    ) -> Cart:
        claims = auth.require_member(info.context.claims)
        checked = (
            None
            if source is None
            else cart.Source(kind=source.kind.value, id=str(source.id), brand=source.brand)
        )
        async with info.context.db() as session:
            await cart.add(session, claims.subject, str(sku_id), quantity, checked)
        return await load_cart(info, claims.subject)

    @strawberry.federation.mutation(
        description="Set the quantity (1..99) of a SKU's cart line.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def update_cart_line(self, info: Info, sku_id: strawberry.ID, quantity: int) -> Cart:
        claims = auth.require_member(info.context.claims)
        async with info.context.db() as session:
            await cart.update(session, claims.subject, str(sku_id), quantity)
        return await load_cart(info, claims.subject)

    @strawberry.federation.mutation(
        description="Remove a SKU's line from your cart.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def remove_cart_line(self, info: Info, sku_id: strawberry.ID) -> Cart:
        claims = auth.require_member(info.context.claims)
        async with info.context.db() as session:
            await cart.remove(session, claims.subject, str(sku_id))
        return await load_cart(info, claims.subject)

    @strawberry.federation.mutation(
        description="Place your cart as an order in the x-brand app and pay it; idempotent by "
        "key. A declined payment leaves the order PLACED with payment.error (retry: payOrder).",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def place_order(self, info: Info, input: PlaceOrderInput) -> Order:
        claims = auth.require_member(info.context.claims)
        channel = _channel(info, claims)
        request = service.PlaceOrderRequest(
            shipping_address_id=str(input.shipping_address_id),
            payment_method_id=str(input.payment_method_id),
            idempotency_key=input.idempotency_key,
            coupon_token=input.coupon_token,
        )
        async with info.context.db() as session:
            row = await service.place_order(
                session, info.context.payments, info.context.ring, claims.subject, channel, request
            )
        return Order(row=row)

    @strawberry.federation.mutation(
        description="Pay your PLACED order again; idempotent by key.",
        authenticated=True,
        requires_scopes=access.MEMBER,
    )
    async def pay_order(
        self,
        info: Info,
        order_id: strawberry.ID,
        payment_method_id: strawberry.ID,
        idempotency_key: str,
    ) -> Order:
        claims = auth.require_member(info.context.claims)
        async with info.context.db() as session:
            row = await service.pay_order(
                session, info.context.payments, claims.subject, str(order_id),
                str(payment_method_id), idempotency_key,
            )  # fmt: skip
        return Order(row=row)

    @strawberry.federation.mutation(
        description="Cancel an order before payment (member or staff).",
        authenticated=True,
        requires_scopes=access.ORDER_READERS,
    )
    async def cancel_order(self, info: Info, order_id: strawberry.ID) -> Order:
        row = await _order_for(info, order_id)
        claims = await authorize_order(info, row)
        async with info.context.db() as session:
            row = await lifecycle.cancel(session, row.id, _actor(claims))
        return Order(row=row)

    @strawberry.federation.mutation(
        description="Mark a paid order shipped (staff of a brand in it).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def ship_order(self, info: Info, order_id: strawberry.ID) -> Order:
        row = await _order_for(info, order_id)
        claims = await authorize_order(info, row, member_may=False)
        async with info.context.db() as session:
            row = await lifecycle.ship(session, row.id, _actor(claims))
        return Order(row=row)

    @strawberry.federation.mutation(
        description="Mark a shipped order delivered (staff of a brand in it).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def mark_order_delivered(self, info: Info, order_id: strawberry.ID) -> Order:
        row = await _order_for(info, order_id)
        claims = await authorize_order(info, row, member_may=False)
        async with info.context.db() as session:
            row = await lifecycle.deliver(session, row.id, _actor(claims))
        return Order(row=row)

    @strawberry.federation.mutation(
        description="Refund a paid order in full (staff of a brand in it, or operators).",
        authenticated=True,
        requires_scopes=access.STAFF,
        tags=[access.STAFF_TAG],
    )
    async def refund_order(self, info: Info, order_id: strawberry.ID) -> Order:
        row = await _order_for(info, order_id)
        claims = await authorize_order(info, row, member_may=False)
        async with info.context.db() as session:
            row = await lifecycle.refund(session, info.context.payments, row.id, _actor(claims))
        return Order(row=row)


schema = strawberry.federation.Schema(
    query=Query,
    mutation=Mutation,
    types=[Member, Order, GroupKpis, Product],
    federation_version="2.9",
)


def sdl() -> str:
    """The subgraph's SDL as checked in at `schema/order.graphql`."""
    return schema.as_str().rstrip("\n") + "\n"
