"""The content subgraph: a brand's banners, articles and pages. Deployed once per brand, each
deployment with its own database; the SDL is the same for every brand. `create_app(brand,
database_url)` in `app.py` builds the ASGI app. (The cross-traffic recommendation rules come
later: they need the member subgraph.)"""
