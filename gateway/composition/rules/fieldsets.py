"""@key, @requires and @provides field sets, checked in the subgraph that declares them.

Codes (Apollo's): KEY_/REQUIRES_/PROVIDES_INVALID_FIELDS (syntax, unknown fields, aliases,
missing or extra subfields, unknown arguments), KEY_/PROVIDES_FIELDS_HAS_ARGS,
KEY_FIELDS_SELECT_INVALID_TYPE (interface or union fields in a key),
*_DIRECTIVE_IN_FIELDS_ARG, REQUIRES_/PROVIDES_FIELDS_MISSING_EXTERNAL (Federation 2: what a
subgraph requires or provides must be @external there), PROVIDES_ON_NON_OBJECT_FIELD,
*_UNSUPPORTED_ON_INTERFACE and EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE (@provides on an
@external field).

Federation 1 subgraphs are checked as Apollo checks them after upgrading them: what the
upgrade silently drops (@provides/@requires of fields the subgraph resolves itself, @provides
on scalar fields, @key on interfaces, @requires/@provides on interface fields) is no error.
"""

from __future__ import annotations

from gateway.composition.errors import Issues
from gateway.composition.merge import MergedSchema, named
from gateway.composition.overrides import Overrides
from gateway.composition.rules.common import Problem, version, walk_field_set
from gateway.composition.subgraph import SubField, Subgraph, SubType


def check_field_sets(schema: MergedSchema, overrides: Overrides, issues: Issues) -> None:
    for subgraph in schema.subgraphs.values():
        for sub_type in subgraph.types.values():
            _check_keys(subgraph, sub_type, issues)
            for sub_field in sub_type.fields.values():
                if sub_field.requires is not None:
                    _check_requires(subgraph, sub_type, sub_field, issues)
                if sub_field.provides is not None:
                    _check_provides(subgraph, sub_type, sub_field, issues)


def _check_keys(subgraph: Subgraph, sub_type: SubType, issues: Issues) -> None:
    if not sub_type.keys:
        return
    if sub_type.kind == "interface":
        if subgraph.is_fed1:
            return  # Apollo's upgrade removes @key from Federation 1 interfaces
        if version(subgraph) < (2, 3):
            issues.error(
                "KEY_UNSUPPORTED_ON_INTERFACE",
                f'Subgraph "{subgraph.name}" puts @key on interface "{sub_type.name}", which '
                f"needs Federation 2.3 or later (it links federation "
                f"v{subgraph.federation_version})",
                subgraphs=[subgraph.name],
                type_name=sub_type.name,
                hint=f'link federation v2.3 or later in subgraph "{subgraph.name}", or put the '
                "@key on the interface's implementations only",
            )
            return
    for key in sub_type.keys:
        walk = walk_field_set(subgraph, sub_type, key.fields, "key")
        for problem in walk.problems:
            where = f'@key(fields: "{key.fields}") on type "{sub_type.name}"'
            issues.error(
                f"KEY_{problem.code}",
                f'In subgraph "{subgraph.name}", {where} is invalid: {problem.message}',
                subgraphs=[subgraph.name],
                type_name=sub_type.name,
                field_name=problem.field_name,
                hint=_hint("key", problem, subgraph, sub_type),
            )


def _check_requires(
    subgraph: Subgraph, sub_type: SubType, sub_field: SubField, issues: Issues
) -> None:
    source = sub_field.requires or ""
    where = f'@requires(fields: "{source}") on field "{sub_type.name}.{sub_field.name}"'
    if sub_type.kind == "interface":
        if not subgraph.is_fed1:
            _unsupported_on_interface("requires", subgraph, sub_type, sub_field, issues)
        return
    walk = walk_field_set(
        subgraph, sub_type, source, "requires", check_external=not subgraph.is_fed1
    )
    _report(walk.problems, "requires", where, subgraph, sub_type, sub_type, sub_field, issues)


def _check_provides(
    subgraph: Subgraph, sub_type: SubType, sub_field: SubField, issues: Issues
) -> None:
    source = sub_field.provides or ""
    coordinate = f"{sub_type.name}.{sub_field.name}"
    where = f'@provides(fields: "{source}") on field "{coordinate}"'
    if subgraph.is_fed1:
        if sub_type.kind == "interface":
            return
    elif sub_type.kind == "interface":
        _unsupported_on_interface("provides", subgraph, sub_type, sub_field, issues)
        return
    elif sub_field.external:
        issues.error(
            "EXTERNAL_COLLISION_WITH_ANOTHER_DIRECTIVE",
            f'In subgraph "{subgraph.name}", field "{coordinate}" is both @external and '
            f"@provides: a subgraph cannot provide fields of an object it does not resolve",
            subgraphs=[subgraph.name],
            type_name=sub_type.name,
            field_name=sub_field.name,
            hint=f'remove @external or @provides from "{coordinate}" in subgraph "{subgraph.name}"',
        )
        return
    target = subgraph.types.get(named(sub_field.type))
    if target is None or target.kind not in ("object", "interface", "union"):
        if not subgraph.is_fed1:  # Apollo's upgrade drops these from Federation 1 subgraphs
            issues.error(
                "PROVIDES_ON_NON_OBJECT_FIELD",
                f'In subgraph "{subgraph.name}", {where} is invalid: the field has type '
                f'"{named(sub_field.type)}", which is not an object, interface or union type',
                subgraphs=[subgraph.name],
                type_name=sub_type.name,
                field_name=sub_field.name,
                hint=f'remove @provides from "{coordinate}": only fields returning objects '
                "can provide their fields",
            )
        return
    walk = walk_field_set(subgraph, target, source, "provides", check_external=not subgraph.is_fed1)
    _report(walk.problems, "provides", where, subgraph, sub_type, target, sub_field, issues)


def _unsupported_on_interface(
    directive: str, subgraph: Subgraph, sub_type: SubType, sub_field: SubField, issues: Issues
) -> None:
    coordinate = f"{sub_type.name}.{sub_field.name}"
    issues.error(
        f"{directive.upper()}_UNSUPPORTED_ON_INTERFACE",
        f'In subgraph "{subgraph.name}", @{directive} is used on field "{coordinate}" of '
        f'interface "{sub_type.name}", which federation does not support',
        subgraphs=[subgraph.name],
        type_name=sub_type.name,
        field_name=sub_field.name,
        hint=f'move the @{directive} from the interface field to the "{sub_field.name}" field '
        "of each implementation",
    )


def _report(
    problems: list[Problem],
    directive: str,
    where: str,
    subgraph: Subgraph,
    sub_type: SubType,
    target: SubType,
    sub_field: SubField,
    issues: Issues,
) -> None:
    for problem in problems:
        issues.error(
            f"{directive.upper()}_{problem.code}",
            f'In subgraph "{subgraph.name}", {where} is invalid: {problem.message}',
            subgraphs=[subgraph.name],
            type_name=sub_type.name,
            field_name=sub_field.name,
            hint=_hint(directive, problem, subgraph, target),
        )


def _hint(directive: str, problem: Problem, subgraph: Subgraph, target: SubType) -> str:
    selected = f'"{target.name}.{problem.field_name}"' if problem.field_name else "the field"
    where = f'subgraph "{subgraph.name}"'
    if problem.code == "INVALID_FIELDS":
        if directive == "key" and "does not have" in problem.message:
            return (
                f"declare {selected} in {where} (marked @external if another subgraph "
                "resolves it), or take it out of the @key"
            )
        if directive == "key":
            return (
                f'select only fields that "{target.name}" declares in {where} (declare a '
                "missing key field there), give object-typed fields a subselection, and use "
                "no aliases"
            )
        return (
            f"declare {selected} in {where} marked @external (another subgraph resolves it), "
            "or correct the field set: known fields and arguments, subselections for object "
            "fields, no aliases"
        )
    if problem.code == "FIELDS_HAS_ARGS":
        return (
            f"leave {selected} out of the @{directive}: it may only select fields without arguments"
        )
    if problem.code == "FIELDS_SELECT_INVALID_TYPE":
        return f"leave {selected} out of the @key: key on scalar, enum or object fields"
    if problem.code == "DIRECTIVE_IN_FIELDS_ARG":
        return f"remove the directive applications from the @{directive} field set"
    # FIELDS_MISSING_EXTERNAL
    return (
        f"mark {selected} @external in {where} if another subgraph resolves it, or leave it "
        f"out of the @{directive}: this subgraph already resolves it"
    )
