"""The member subgraph (central): one person across every brand app, identified by WeChat
UnionID, with one brand account (OpenID) per brand app they signed in to; sign-in sessions
(short access tokens, rotating refresh tokens), shared addresses and payment tokens,
cross-brand consent (append-only), purchase engagement (from `order.paid`) and erasure.
`create_app(database_url)` in `app.py` builds the ASGI app."""
