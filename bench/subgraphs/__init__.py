"""The benchmark's four subgraphs (accounts, inventory, products, reviews) in Python.

A re-implementation of the benchmark's mock subgraphs, data and quirks included, as
Strawberry federation schemas served by plain ASGI apps.
"""

from bench.subgraphs.app import (
    SUBGRAPH_NAMES,
    Stats,
    SubgraphApp,
    SubgraphsApp,
    create_app,
    subgraph_apps,
)

__all__ = ["SUBGRAPH_NAMES", "Stats", "SubgraphApp", "SubgraphsApp", "create_app", "subgraph_apps"]
