"""Test support for teams that build on Brand Matrix (contracts.py: the pytest plugin)."""
