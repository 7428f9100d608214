"""The loyalty subgraph: one group-wide points currency and cross-brand coupons.

An append-only ledger (earn and redeem entries, idempotent by key per member), balances derived
from it (expired points are not spendable), tiers computed group-wide from lifetime earned
points; earning rates per brand and category, coupon rules that turn spend in one brand into a
coupon for another (`settings.py`); the `loyalty` event consumer (`consumers.py`,
`effects.py`: paid orders earn, refunds reverse, erasure deletes); the group KPI
`multiBrandPointsMembers` (`kpis.py`). Central: one deployment for every brand.
`create_app(database_url, *, settings=None, bus=None, key_ring=None)` in `app.py` builds the
ASGI app."""
