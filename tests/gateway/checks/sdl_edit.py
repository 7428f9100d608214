"""Edits of checked-in SDL for check tests: remove a field with its description."""

from __future__ import annotations

from graphql import parse


def drop_field(sdl: str, type_name: str, field_name: str) -> str:
    """The SDL without one field of one type (and the field's description)."""
    for definition in parse(sdl).definitions:
        name = getattr(definition, "name", None)
        if name is not None and name.value == type_name:
            field = next(f for f in definition.fields if f.name.value == field_name)
            return sdl[: field.loc.start] + sdl[field.loc.end :]
    raise AssertionError(f"no type {type_name}")
