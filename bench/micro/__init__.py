"""Micro-benchmarks of the gateway's own stages on the public benchmark query."""
