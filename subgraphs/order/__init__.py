"""The order subgraph (central): carts, orders, payments, lifecycle, attribution KPIs, and
local replicas of the member and catalogue data an order needs (kept by events)."""
