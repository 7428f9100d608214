"""Composition rules: each checks the merged schema and reports what breaks federation."""

from __future__ import annotations

from collections.abc import Callable

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.sharing import check_field_sharing

Rule = Callable[[MergedSchema, Overrides, Issues], None]

RULES: list[Rule] = [check_field_sharing]
