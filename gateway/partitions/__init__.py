"""Brand partitions: one subgraph deployed once per brand, routed by brand (issue 5).

- `config`: the `[partitions.NAME]` tables of `brand-matrix.toml`;
- `rules`: how a brand is read from an entity representation;
- `shape`: what a subgraph query reads (entity aliases, root fields, `brand` arguments);
- `transport`: `PartitionedTransport`, a SubgraphTransport that routes by brand.
"""

from gateway.partitions.config import ConfigError, PartitionConfig, load_partitions
from gateway.partitions.rules import RoutingRules
from gateway.partitions.transport import PartitionedTransport

__all__ = [
    "ConfigError",
    "PartitionConfig",
    "PartitionedTransport",
    "RoutingRules",
    "load_partitions",
]
