"""The loyalty subgraph: one group-wide points currency. An append-only ledger (earn and redeem
entries, idempotent by key per member), balances derived from it (expired points are not
spendable), tiers computed group-wide from lifetime earned points. Central: one deployment for
every brand. `create_app(database_url)` in `app.py` builds the ASGI app."""
