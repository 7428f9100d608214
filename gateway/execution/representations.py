"""Building `_entities` representations from merged data, with generated builders.

A builder reads an entity's key (and @requires) fields from the object the plan points at
and returns the representation plus a hashable identity used to send each entity once.
Key fields that are missing or null make the entity unfetchable (None); missing @requires
fields are left out. Field sets with nested selections take the general path.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from gateway.planning.plan import EntityRepresentation, RepresentationField

Builder = Callable[[dict[str, Any]], tuple[dict[str, Any], Any] | None]
_MISSING = object()


def representation_builder(spec: EntityRepresentation) -> Builder:
    if any(item.children is not None for item in spec.fields):
        return _general_builder(spec)
    lines = ["def build(obj):", "    get = obj.get"]
    parts = [f"'__typename': {spec.typename!r}"]
    values = [repr(spec.typename)]
    optional: list[tuple[str, str]] = []
    for index, item in enumerate(spec.fields):
        name = f"v{index}"
        if item.is_key:
            lines.append(f"    {name} = get({item.response_key!r})")
            lines.append(f"    if {name} is None:")
            lines.append("        return None")
            parts.append(f"{item.name!r}: {name}")
        else:
            lines.append(f"    {name} = get({item.response_key!r}, _MISSING)")
            optional.append((item.name, name))
        values.append(name)
    lines.append("    rep = {" + ", ".join(parts) + "}")
    for field_name, name in optional:
        lines.append(f"    if {name} is not _MISSING:")
        lines.append(f"        rep[{field_name!r}] = {name}")
    lines.append("    return rep, (" + ", ".join(values) + ",)")
    namespace: dict[str, Any] = {"_MISSING": _MISSING}
    exec("\n".join(lines), namespace)  # source generated from the plan, not from input
    return namespace["build"]  # type: ignore[no-any-return]


def _general_builder(spec: EntityRepresentation) -> Builder:
    import orjson

    def build(obj: dict[str, Any]) -> tuple[dict[str, Any], Any] | None:
        representation: dict[str, Any] = {"__typename": spec.typename}
        if not _fill(representation, obj, spec.fields):
            return None
        return representation, orjson.dumps(representation)

    return build


def _fill(
    out: dict[str, Any], obj: dict[str, Any], fields: tuple[RepresentationField, ...]
) -> bool:
    for item in fields:
        value = obj.get(item.response_key, _MISSING)
        if value is _MISSING or (value is None and item.is_key):
            if item.is_key:
                return False
            continue
        if item.children is not None and value is not None:
            value = _shape(value, item)
            if value is _MISSING:
                return False
        out[item.name] = value
    return True


def _shape(value: Any, item: RepresentationField) -> Any:
    if isinstance(value, list):
        return [_shape(v, item) if v is not None else None for v in value]
    if not isinstance(value, dict):
        return value
    nested: dict[str, Any] = {}
    typename = value.get("__typename")
    if typename is not None:
        nested["__typename"] = typename
    children = item.children or ()
    if item.by_type is not None:
        children = dict(item.by_type).get(typename, ())  # type: ignore[arg-type]
    if not _fill(nested, value, children):
        return _MISSING
    return nested
