"""Cross-check against graphql-core: what it calls breaking (dangerous) we call breaking
(at least dangerous), at the same coordinate, on seeded random schema pairs."""

from __future__ import annotations

import random
import re

import pytest
from graphql import build_schema
from graphql.utilities.find_schema_changes import (
    BreakingChangeType,
    DangerousChangeType,
    find_schema_changes,
)

from gateway.checks.diff import Criticality, diff_sdl

COORD = r"(@?\w+(?:\.\w+)?(?:\(\w+:\))?)"
# graphql-core change type -> (our kinds, where its description names the coordinate)
MATCHING: dict[str, tuple[set[str], str]] = {
    "TYPE_REMOVED": ({"TYPE_REMOVED"}, rf"^{COORD} was removed"),
    "TYPE_CHANGED_KIND": ({"TYPE_KIND_CHANGED"}, rf"^{COORD} changed from"),
    "TYPE_REMOVED_FROM_UNION": ({"UNION_MEMBER_REMOVED"}, rf"union type {COORD}\.$"),
    "TYPE_ADDED_TO_UNION": ({"UNION_MEMBER_ADDED"}, rf"union type {COORD}\.$"),
    "VALUE_REMOVED_FROM_ENUM": ({"ENUM_VALUE_REMOVED"}, rf"^Enum value {COORD} "),
    "VALUE_ADDED_TO_ENUM": ({"ENUM_VALUE_ADDED"}, rf"^Enum value {COORD} "),
    "REQUIRED_INPUT_FIELD_ADDED": ({"INPUT_FIELD_ADDED"}, rf"field {COORD} was added"),
    "OPTIONAL_INPUT_FIELD_ADDED": ({"INPUT_FIELD_ADDED"}, rf"field {COORD} was added"),
    "IMPLEMENTED_INTERFACE_REMOVED": ({"IMPLEMENTED_INTERFACE_REMOVED"}, rf"^{COORD} no longer"),
    "IMPLEMENTED_INTERFACE_ADDED": ({"IMPLEMENTED_INTERFACE_ADDED"}, rf"implemented by {COORD}\.$"),
    "FIELD_REMOVED": ({"FIELD_REMOVED", "INPUT_FIELD_REMOVED"}, rf"^Field {COORD} "),
    "FIELD_CHANGED_KIND": ({"FIELD_TYPE_CHANGED", "INPUT_FIELD_TYPE_CHANGED"}, rf"^Field {COORD} "),
    "REQUIRED_ARG_ADDED": ({"ARG_ADDED"}, rf"argument {COORD} was added"),
    "OPTIONAL_ARG_ADDED": ({"ARG_ADDED"}, rf"argument {COORD} was added"),
    "ARG_REMOVED": ({"ARG_REMOVED"}, rf"^Argument {COORD} "),
    "ARG_CHANGED_KIND": (
        {"ARG_TYPE_CHANGED", "DIRECTIVE_ARG_TYPE_CHANGED"},
        rf"^Argument {COORD} ",
    ),
    "ARG_DEFAULT_VALUE_CHANGE": (
        {"ARG_DEFAULT_CHANGED", "DIRECTIVE_ARG_DEFAULT_CHANGED"},
        rf"^{COORD} ",
    ),
    "INPUT_FIELD_DEFAULT_VALUE_CHANGE": ({"INPUT_FIELD_DEFAULT_CHANGED"}, rf"^{COORD} "),
    "DIRECTIVE_REMOVED": ({"DIRECTIVE_REMOVED"}, rf"^Directive {COORD} "),
    "DIRECTIVE_ARG_REMOVED": ({"DIRECTIVE_ARG_REMOVED"}, rf"^Argument {COORD} "),
    "REQUIRED_DIRECTIVE_ARG_ADDED": ({"DIRECTIVE_ARG_ADDED"}, rf"argument {COORD} was added"),
    "DIRECTIVE_REPEATABLE_REMOVED": ({"DIRECTIVE_REPEATABLE_REMOVED"}, rf"from {COORD}\.$"),
    "DIRECTIVE_LOCATION_REMOVED": ({"DIRECTIVE_LOCATION_REMOVED"}, rf"from {COORD}\.$"),
}

WRAPS = ["{}", "{}!", "[{}]", "[{}!]", "[{}]!", "[{}!]!"]
DEFAULTS = {"Int": ["1", "2"], "String": ['"a"', '"b"'], "Color": ["RED"]}


def random_sdl(rng: random.Random) -> str:
    """A valid schema whose every element is present, absent or shaped by chance."""

    def some(options: list[str], keep: str | None = None) -> list[str]:
        picked = [o for o in options if o == keep or rng.random() < 0.6]
        return picked or [options[0]]

    def output_type() -> str:
        return rng.choice(WRAPS).format(rng.choice(["Int", "String", "Color", "A"]))

    def input_value(name: str) -> str:
        named = rng.choice(["Int", "String", "Color"])
        wrap = rng.choice(WRAPS)
        default = ""
        if rng.random() < 0.4:
            value = rng.choice(DEFAULTS[named])
            default = f" = {value if wrap.count('[') == 0 else f'[{value}]'}"
        return f"{name}: {wrap.format(named)}{default}"

    objects = ["A", *some(["B", "C"])]
    lines = [f"enum Color {{ {' '.join(some(['RED', 'GREEN', 'BLUE'], keep='RED'))} }}"]
    lines.append("interface Node { id: ID! }")
    lines.append(f"input Filter {{ {' '.join(input_value(n) for n in some(['a', 'b', 'c']))} }}")
    for name in objects:
        implements = " implements Node" if rng.random() < 0.5 else ""
        fields = " ".join(f"{f}: {output_type()}" for f in some(["x", "y", "z"]))
        lines.append(f"type {name}{implements} {{ id: ID! {fields} }}")
    lines.append(f"union U = {' | '.join(some(objects, keep='A'))}")
    query_fields = ["node: Node", "u: U", "n: Int", "s: String"]
    for name in some(["f", "g", "h"]):
        args = ", ".join(input_value(a) for a in some(["p", "q", "r"]))
        query_fields.append(f"{name}({args}, filter: Filter): {output_type()}")
    lines.append(f"type Query {{ {' '.join(query_fields)} }}")
    if rng.random() < 0.7:
        repeatable = " repeatable" if rng.random() < 0.5 else ""
        args = ", ".join(input_value(a) for a in some(["k", "m"]))
        locations = " | ".join(some(["FIELD", "QUERY", "FRAGMENT_SPREAD"]))
        lines.append(f"directive @tag({args}){repeatable} on {locations}")
    return "\n".join(lines)


@pytest.mark.parametrize("seed", range(40))
def test_graphql_core_findings_are_at_least_as_critical_in_ours(seed: int) -> None:
    rng = random.Random(seed)
    old_sdl, new_sdl = random_sdl(rng), random_sdl(rng)
    ours = {(c.kind, c.coordinate): c.criticality for c in diff_sdl(old_sdl, new_sdl)}
    theirs = find_schema_changes(build_schema(old_sdl), build_schema(new_sdl))
    checked = 0
    for change in theirs:
        if not isinstance(change.type, BreakingChangeType | DangerousChangeType):
            continue
        kinds, pattern = MATCHING[change.type.name]
        found = re.search(pattern, change.description)
        assert found, change.description
        levels = {ours.get((kind, found.group(1))) for kind in kinds} - {None}
        if isinstance(change.type, BreakingChangeType):
            assert levels == {Criticality.BREAKING}, change.description
        else:
            assert levels and Criticality.SAFE not in levels, change.description
        checked += 1
    assert checked >= 3  # the pairs differ enough to exercise the check
