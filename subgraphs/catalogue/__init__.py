"""The catalogue subgraph: a brand's products, SKUs, prices (integer fen), inventory on hand
and categories. Deployed once per brand, each deployment with its own database; the SDL is the
same for every brand. `create_app(brand, database_url)` in `app.py` builds the ASGI app."""
