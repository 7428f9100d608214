"""Nullability and list wrapping: output positions are covariant, input positions contravariant."""

from __future__ import annotations

from itertools import permutations

import pytest

from gateway.checks.diff import Criticality, diff_sdl

WRAPPINGS = ["Int", "Int!", "[Int]", "[Int!]", "[Int]!", "[Int!]!", "[[Int]]", "String"]

# Written out by hand: the only changes that keep every old response valid for clients are
# those that add non-null somewhere (a value that was possibly null is now never null).
OUTPUT_SAFE = {
    ("Int", "Int!"),
    ("[Int]", "[Int!]"),
    ("[Int]", "[Int]!"),
    ("[Int]", "[Int!]!"),
    ("[Int!]", "[Int!]!"),
    ("[Int]!", "[Int!]!"),
}
# An input position accepts what it accepted before exactly when the reverse change would be
# safe for output: dropping non-null is the only safe move.
INPUT_SAFE = {(new, old) for old, new in OUTPUT_SAFE}

POSITIONS = {
    "field": ("type Query {{ f: {t} }}", "FIELD_TYPE_CHANGED", OUTPUT_SAFE),
    "interface field": (
        "type Query {{ q: Int }} interface N {{ f: {t} }}",
        "FIELD_TYPE_CHANGED",
        OUTPUT_SAFE,
    ),
    "argument": ("type Query {{ f(a: {t}): Int }}", "ARG_TYPE_CHANGED", INPUT_SAFE),
    "input field": (
        "type Query {{ f(i: I): Int }} input I {{ a: {t} }}",
        "INPUT_FIELD_TYPE_CHANGED",
        INPUT_SAFE,
    ),
    "directive argument": (
        "type Query {{ q: Int }} directive @d(a: {t}) on FIELD",
        "DIRECTIVE_ARG_TYPE_CHANGED",
        INPUT_SAFE,
    ),
}


@pytest.mark.parametrize("position", POSITIONS)
def test_wrapping_matrix(position: str) -> None:
    template, kind, safe_pairs = POSITIONS[position]
    wrong = []
    for old, new in permutations(WRAPPINGS, 2):
        changes = diff_sdl(template.format(t=old), template.format(t=new))
        assert [c.kind for c in changes] == [kind], (old, new)
        expected = Criticality.SAFE if (old, new) in safe_pairs else Criticality.BREAKING
        if changes[0].criticality is not expected:
            wrong.append((old, new, changes[0].criticality.value))
    assert wrong == []
