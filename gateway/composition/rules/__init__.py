"""Composition rules: each checks the merged schema and reports what breaks federation.

Subgraph-level rules come first (field sets, @external, entity interfaces); the merge-level
checks inside the rules skip themselves once a subgraph was found invalid (see
rules/common.py), as Apollo stops composing at an invalid subgraph.
"""

from __future__ import annotations

from collections.abc import Callable

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema
from gateway.composition.overrides import Overrides
from gateway.composition.rules.extensions import check_extensions
from gateway.composition.rules.external import check_externals
from gateway.composition.rules.fieldsets import check_field_sets
from gateway.composition.rules.inputs import check_input_defaults
from gateway.composition.rules.interfaces import check_interfaces
from gateway.composition.rules.override_usage import check_override_usage
from gateway.composition.rules.roots import check_query_root
from gateway.composition.rules.sharing import check_field_sharing

Rule = Callable[[MergedSchema, Overrides, Issues], None]

RULES: list[Rule] = [
    check_field_sets,  # KEY_/REQUIRES_/PROVIDES_* field sets
    check_externals,  # EXTERNAL_UNUSED, EXTERNAL_ON_INTERFACE, EXTERNAL_TYPE_MISMATCH, ...
    check_interfaces,  # INTERFACE_OBJECT_USAGE_ERROR, INTERFACE_KEY_NOT_ON_IMPLEMENTATION, ...
    check_extensions,  # EXTENSION_WITH_NO_BASE
    check_query_root,  # NO_QUERIES
    check_override_usage,  # OVERRIDE_ON_INTERFACE, OVERRIDE_COLLISION_WITH_ANOTHER_DIRECTIVE
    check_input_defaults,  # INPUT_FIELD_DEFAULT_MISMATCH
    check_field_sharing,  # INVALID_FIELD_SHARING
]
