"""Composition: subgraph SDLs in, a supergraph SDL (Apollo's format) out, or errors."""

from gateway.composition.compose import CompositionResult, compose
from gateway.composition.subgraph import SubgraphInput

__all__ = ["CompositionResult", "SubgraphInput", "compose"]
