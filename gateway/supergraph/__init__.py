"""Supergraph SDL (Apollo join spec) -> typed model and API schema."""

from gateway.supergraph.loader import load_supergraph
from gateway.supergraph.model import Supergraph

__all__ = ["Supergraph", "load_supergraph"]
