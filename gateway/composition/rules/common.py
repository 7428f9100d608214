"""What the rule modules share: field sets walked against one subgraph's types, federation
versions, and the split between subgraph-level and merge-level rules.

Apollo validates each subgraph on its own before merging, and stops there when one is
invalid; the merge-level rules here (field sharing, external types, overrides...) do the same
by skipping their checks once a subgraph-level rule has reported an error, so a broken
`@key` shows up as itself rather than also as a sharing error it caused.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from graphql import (
    FieldNode,
    FragmentSpreadNode,
    GraphQLError,
    InlineFragmentNode,
    SelectionSetNode,
    parse,
    print_ast,
)

from gateway.composition.errors import Issues
from gateway.composition.merge import named
from gateway.composition.subgraph import SubField, Subgraph, SubType

# Codes of the rules that judge one subgraph on its own (Apollo's subgraph validation).
SUBGRAPH_CODES = frozenset(
    {
        "KEY_INVALID_FIELDS",
        "KEY_FIELDS_HAS_ARGS",
        "KEY_FIELDS_SELECT_INVALID_TYPE",
        "KEY_DIRECTIVE_IN_FIELDS_ARG",
        "KEY_UNSUPPORTED_ON_INTERFACE",
        "REQUIRES_INVALID_FIELDS",
        "REQUIRES_FIELDS_MISSING_EXTERNAL",
        "REQUIRES_DIRECTIVE_IN_FIELDS_ARG",
        "REQUIRES_UNSUPPORTED_ON_INTERFACE",
        "PROVIDES_INVALID_FIELDS",
        "PROVIDES_FIELDS_HAS_ARGS",
        "PROVIDES_FIELDS_MISSING_EXTERNAL",
        "PROVIDES_DIRECTIVE_IN_FIELDS_ARG",
        "PROVIDES_UNSUPPORTED_ON_INTERFACE",
        "PROVIDES_ON_NON_OBJECT_FIELD",
        "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
        "EXTERNAL_UNUSED",
        "EXTERNAL_ON_INTERFACE",
        "INTERFACE_KEY_NOT_ON_IMPLEMENTATION",
        "INTERFACE_OBJECT_USAGE_ERROR",
    }
)


def has_subgraph_errors(issues: Issues) -> bool:
    """Whether a subgraph-level rule has already found a subgraph invalid."""
    return any(i.code in SUBGRAPH_CODES for i in issues.errors)


def version(subgraph: Subgraph) -> tuple[int, int]:
    """The subgraph's federation version; (1, 0) for Federation 1 SDL."""
    if subgraph.federation_version is None:
        return (1, 0)
    major, _, minor = subgraph.federation_version.partition(".")
    try:
        return (int(major), int(minor or 0))
    except ValueError:
        return (2, 0)


def quote(names: list[str] | tuple[str, ...] | set[str]) -> str:
    return ", ".join(f'"{n}"' for n in sorted(names))


def implementations(subgraph: Subgraph, interface: str) -> list[SubType]:
    """Object and interface types of the subgraph that implement `interface` there."""
    return [t for t in subgraph.types.values() if interface in t.interfaces]


@dataclass
class Problem:
    """One thing wrong with a field set; `code` is the suffix after KEY_/REQUIRES_/PROVIDES_."""

    code: str
    message: str
    field_name: str | None = None


@dataclass
class Walk:
    """What walking one field set found: the (type, field) pairs it selects and its problems."""

    selected: list[tuple[str, str]] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


def walk_field_set(
    subgraph: Subgraph,
    parent: SubType,
    source: str,
    directive: str,
    *,
    check_external: bool = False,
) -> Walk:
    """Check `@directive(fields: source)` against `parent` in `subgraph`.

    `directive` is "key", "requires" or "provides": keys and provides may not select fields
    that take arguments, and keys may not select interface or union fields. With
    `check_external`, every leaf must be @external (or under an @external field), as
    Federation 2 asks of @requires and @provides.
    """
    walk = Walk()
    try:
        document = parse("{" + source + "}", no_location=True)
    except GraphQLError as error:
        walk.problems.append(Problem("INVALID_FIELDS", f"it does not parse: {error.message}"))
        return walk
    operation = document.definitions[0]
    _walk(
        subgraph,
        parent,
        operation.selection_set,  # type: ignore[attr-defined]
        directive,
        check_external,
        False,
        walk,
    )
    return walk


def _walk(
    subgraph: Subgraph,
    parent: SubType,
    selection_set: SelectionSetNode,
    directive: str,
    check_external: bool,
    external_above: bool,
    walk: Walk,
) -> None:
    for selection in selection_set.selections:
        if selection.directives:
            applied = " ".join(print_ast(d) for d in selection.directives)
            walk.problems.append(
                Problem(
                    "DIRECTIVE_IN_FIELDS_ARG",
                    f"it applies directives ({applied}), which field sets may not use",
                )
            )
        if isinstance(selection, FragmentSpreadNode):
            walk.problems.append(
                Problem(
                    "INVALID_FIELDS",
                    f'it spreads named fragment "{selection.name.value}"; field sets may only '
                    "use inline fragments",
                )
            )
            continue
        if isinstance(selection, InlineFragmentNode):
            condition = selection.type_condition.name.value if selection.type_condition else None
            # Apollo accepts a condition on a type the subgraph lacks (and still counts the
            # fields under it as used): read them on the parent type.
            target = subgraph.types.get(condition or parent.name) or parent
            _walk(
                subgraph,
                target,
                selection.selection_set,
                directive,
                check_external,
                external_above,
                walk,
            )
            continue
        assert isinstance(selection, FieldNode)
        _walk_field(subgraph, parent, selection, directive, check_external, external_above, walk)


def _walk_field(
    subgraph: Subgraph,
    parent: SubType,
    selection: FieldNode,
    directive: str,
    check_external: bool,
    external_above: bool,
    walk: Walk,
) -> None:
    name = selection.name.value
    if selection.alias is not None:
        walk.problems.append(
            Problem(
                "INVALID_FIELDS",
                f'it uses alias "{selection.alias.value}" for "{name}"; aliases are not '
                "supported in field sets",
                name,
            )
        )
    if name == "__typename":
        if check_external and not external_above:
            walk.problems.append(
                Problem(
                    "FIELDS_MISSING_EXTERNAL",
                    f'it selects "{parent.name}.__typename", which the subgraph always '
                    "provides itself",
                    name,
                )
            )
        return
    sub_field = parent.fields.get(name)
    if sub_field is None:
        walk.problems.append(
            Problem(
                "INVALID_FIELDS",
                f'it selects field "{parent.name}.{name}", which {parent.kind} type '
                f'"{parent.name}" does not have in subgraph "{subgraph.name}"',
                name,
            )
        )
        return
    walk.selected.append((parent.name, name))
    if parent.kind == "interface":
        walk.selected.extend(
            (t.name, name) for t in implementations(subgraph, parent.name) if name in t.fields
        )
    for argument in selection.arguments or ():
        if argument.name.value not in sub_field.arguments:
            walk.problems.append(
                Problem(
                    "INVALID_FIELDS",
                    f'it passes argument "{argument.name.value}" to "{parent.name}.{name}", '
                    "which has no such argument",
                    name,
                )
            )
    if sub_field.arguments and directive != "requires":
        walk.problems.append(
            Problem(
                "FIELDS_HAS_ARGS",
                f'it selects "{parent.name}.{name}", which takes arguments; fields with '
                f"arguments cannot be used in @{directive}",
                name,
            )
        )
    target = subgraph.types.get(named(sub_field.type))
    composite = target is not None and target.kind in ("object", "interface", "union")
    if directive == "key" and target is not None and target.kind in ("interface", "union"):
        walk.problems.append(
            Problem(
                "FIELDS_SELECT_INVALID_TYPE",
                f'it selects "{parent.name}.{name}", whose type "{target.name}" is '
                f"{'an interface' if target.kind == 'interface' else 'a union'}; interface "
                "and union fields cannot be part of a @key",
                name,
            )
        )
    if composite and selection.selection_set is None:
        walk.problems.append(
            Problem(
                "INVALID_FIELDS",
                f'it selects "{parent.name}.{name}" of composite type '
                f'"{named(sub_field.type)}" without choosing its subfields',
                name,
            )
        )
        return
    if not composite and selection.selection_set is not None:
        walk.problems.append(
            Problem(
                "INVALID_FIELDS",
                f'it selects subfields of "{parent.name}.{name}", whose type '
                f'"{named(sub_field.type)}" has no fields',
                name,
            )
        )
        return
    leaf = selection.selection_set is None
    if check_external and leaf and not external_above and not sub_field.external:
        walk.problems.append(
            Problem(
                "FIELDS_MISSING_EXTERNAL",
                f'it selects "{parent.name}.{name}", which is not marked @external: the '
                "subgraph resolves it itself",
                name,
            )
        )
    if selection.selection_set is not None and target is not None:
        below = (
            external_above
            or sub_field.external
            or _external_in_implementations(subgraph, parent, name)
        )
        _walk(subgraph, target, selection.selection_set, directive, check_external, below, walk)


def _external_in_implementations(subgraph: Subgraph, parent: SubType, name: str) -> bool:
    if parent.kind != "interface":
        return False
    return any(
        t.fields[name].external for t in implementations(subgraph, parent.name) if name in t.fields
    )


def field_sets(subgraph: Subgraph) -> Iterator[tuple[str, SubType, SubField | None, str]]:
    """Every (directive, parent type, field carrying it or None, fields) of the subgraph.

    The parent of a @provides is the field's own (named) type; the entry is skipped when that
    type is no composite type of the subgraph.
    """
    for sub_type in subgraph.types.values():
        for key in sub_type.keys:
            yield "key", sub_type, None, key.fields
        for sub_field in sub_type.fields.values():
            if sub_field.requires is not None:
                yield "requires", sub_type, sub_field, sub_field.requires
            if sub_field.provides is not None:
                target = subgraph.types.get(named(sub_field.type))
                if target is not None and target.kind in ("object", "interface", "union"):
                    yield "provides", target, sub_field, sub_field.provides


def used_fields(subgraph: Subgraph) -> set[tuple[str, str]]:
    """(type, field) pairs a @key, @requires or @provides of the subgraph selects, and the
    fields of implementations that an interface of the subgraph asks for."""
    used: set[tuple[str, str]] = set()
    for directive, parent, _field, source in field_sets(subgraph):
        used.update(walk_field_set(subgraph, parent, source, directive).selected)
    for interface in subgraph.types.values():
        if interface.kind != "interface":
            continue
        for implementation in implementations(subgraph, interface.name):
            used.update((implementation.name, n) for n in interface.fields)
    return used
