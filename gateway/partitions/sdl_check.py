"""Every partition of a partitioned subgraph must serve the SDL composition used (issue 5).

`check_partitions(reference_sdl, {brand: URL or SubgraphTransport})` fetches each partition's
`_service { sdl }` (in parallel) and compares it with the reference *semantically*: both are
parsed, federation's own additions (`_entities`, `_service`, `_Any`, `_Entity`, `_Service`,
`FieldSet`, `link__*`, the federation directive definitions and the `schema`/`@link`
definition) and descriptions are dropped, `extend type X` is merged into `type X`, and the
definitions, fields, arguments, enum values, union members, interfaces and applied directives
are sorted by name before printing. Formatting, comments and order therefore never matter;
a changed type, field, argument, default value or applied directive (e.g. `@key`) does.

Each brand gets a `PartitionCheck`: `ok`, `different` (with a short unified diff of the
normalized SDLs) or `unreachable` (with the reason, one line).
"""

from __future__ import annotations

import asyncio
import contextlib
import difflib
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from graphql import GraphQLSyntaxError, parse, print_ast
from graphql.language import ast

from gateway.composition.errors import CompositionIssue
from gateway.composition.sources_live import SERVICE_QUERY, fetch_sdls_async
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

OK, DIFFERENT, UNREACHABLE = "ok", "different", "unreachable"
PARTITION_SDL_MISMATCH = "PARTITION_SDL_MISMATCH"
PARTITION_UNREACHABLE = "PARTITION_UNREACHABLE"
PARTITION_REFUSED = "PARTITION_REFUSED"
MAX_DIFF_LINES = 30

FEDERATION_TYPES = frozenset(
    {"_Any", "_Entity", "_Service", "_FieldSet", "FieldSet", "federation__FieldSet",
     "federation__Scope", "federation__Policy", "federation__ContextFieldValue",
     "link__Import", "link__Purpose", "link__Policy"}
)  # fmt: skip
FEDERATION_FIELDS = frozenset({"_entities", "_service"})
FEDERATION_DIRECTIVES = frozenset(
    {"key", "external", "requires", "provides", "extends", "shareable", "inaccessible",
     "override", "tag", "link", "composeDirective", "interfaceObject", "authenticated",
     "requiresScopes", "policy", "context", "fromContext", "cost", "listSize"}
)  # fmt: skip


@dataclass(frozen=True)
class PartitionCheck:
    """The outcome for one brand: `status` is ok, different or unreachable; `detail` is the
    diff (different) or the reason (unreachable)."""

    brand: str
    status: str
    detail: str = ""

    @property
    def ok(self) -> bool:
        return self.status == OK

    def summary(self, subgraph: str) -> str:
        """One line, for warnings and composition errors."""
        where = f"partition '{self.brand}' of subgraph '{subgraph}'"
        if self.status == DIFFERENT:
            changed = [
                line
                for line in self.detail.splitlines()
                if line[:1] in "+-" and not line.startswith(("+++", "---"))
            ]
            shown = "; ".join(" ".join(line.split()) for line in changed[:3])
            more = f" (+{len(changed) - 3} more)" if len(changed) > 3 else ""
            return f"{where} serves a different SDL than the composed one: {shown}{more}"
        if self.status == UNREACHABLE:
            return f"{where} is unreachable: {self.detail}"
        return f"{where} serves the composed SDL"


class SdlError(ValueError):
    """An SDL that does not parse; the message is one line."""


def normalize_sdl(sdl: str) -> str:
    """The SDL without federation's additions, descriptions or ordering, printed canonically."""
    try:
        document = parse(sdl, no_location=True)
    except GraphQLSyntaxError as error:
        raise SdlError(" ".join(error.message.split())) from None
    merged: dict[tuple[str, str], dict[str, Any]] = {}
    for node in document.definitions:
        if isinstance(node, ast.SchemaDefinitionNode | ast.SchemaExtensionNode):
            continue
        if isinstance(node, ast.DirectiveDefinitionNode):
            if node.name.value in FEDERATION_DIRECTIVES:
                continue
            key = ("directive", node.name.value)
            merged[key] = {"node": node}
            continue
        if not isinstance(node, ast.TypeDefinitionNode | ast.TypeExtensionNode):
            continue
        name = node.name.value
        if name in FEDERATION_TYPES or name.startswith("link__"):
            continue
        kind = _definition_kind(node)
        entry = merged.setdefault(("type", name), {"kind": kind, "parts": {}})
        for part in ("fields", "values", "types", "interfaces", "directives"):
            items = getattr(node, part, None) or ()
            entry["parts"].setdefault(part, []).extend(items)
    printed = []
    for (category, name), entry in sorted(merged.items(), key=lambda item: item[0][::-1]):
        if category == "directive":
            node = entry["node"]
            locations = tuple(sorted(node.locations, key=_name))
            node = _copy(
                node, description=None, arguments=_sorted_args(node.arguments), locations=locations
            )
        else:
            node = _type(entry["kind"], name, entry["parts"])
            if name == "Query" and not node.fields and not node.directives:
                continue  # only _entities/_service: an entity-only subgraph
        printed.append(print_ast(node))
    return "\n\n".join(printed) + "\n"


def _definition_kind(node: ast.Node) -> type[ast.Node]:
    kinds = {
        ast.ObjectTypeExtensionNode: ast.ObjectTypeDefinitionNode,
        ast.InterfaceTypeExtensionNode: ast.InterfaceTypeDefinitionNode,
        ast.UnionTypeExtensionNode: ast.UnionTypeDefinitionNode,
        ast.EnumTypeExtensionNode: ast.EnumTypeDefinitionNode,
        ast.InputObjectTypeExtensionNode: ast.InputObjectTypeDefinitionNode,
        ast.ScalarTypeExtensionNode: ast.ScalarTypeDefinitionNode,
    }
    return kinds.get(type(node), type(node))


def _type(kind: type[ast.Node], name: str, parts: dict[str, list[Any]]) -> ast.Node:
    """One definition from the merged parts of a type and its extensions, sorted."""
    values: dict[str, Any] = {"name": ast.NameNode(value=name), "description": None}
    keys = kind.keys
    if "fields" in keys:
        fields = [f for f in parts["fields"] if f.name.value not in FEDERATION_FIELDS]
        values["fields"] = tuple(sorted(map(_member, fields), key=_name))
    if "values" in keys:
        values["values"] = tuple(sorted(map(_member, parts["values"]), key=_name))
    if "types" in keys:
        values["types"] = _unique_named(parts["types"])
    if "interfaces" in keys:
        values["interfaces"] = _unique_named(parts["interfaces"])
    values["directives"] = tuple(
        {print_ast(d): d for d in _sorted_directives(parts["directives"])}.values()
    )
    return kind(**{key: values.get(key) for key in keys if key != "loc"})


def _unique_named(nodes: list[ast.NamedTypeNode]) -> tuple[ast.NamedTypeNode, ...]:
    return tuple({n.name.value: n for n in sorted(nodes, key=_name)}.values())


def _copy(node: ast.Node, **changes: Any) -> ast.Node:
    values = {key: getattr(node, key, None) for key in node.keys}
    values.update(changes)
    values.pop("loc", None)
    return type(node)(**values)


def _name(node: Any) -> str:
    return node.name.value if hasattr(node, "name") else str(node)


def _sorted_directives(directives: Any) -> tuple[ast.DirectiveNode, ...]:
    return tuple(sorted(directives or (), key=print_ast))


def _sorted_args(arguments: Any) -> tuple[ast.InputValueDefinitionNode, ...]:
    return tuple(
        sorted(
            (
                _copy(a, description=None, directives=_sorted_directives(a.directives))
                for a in arguments or ()
            ),
            key=_name,
        )
    )


def _member(node: Any) -> Any:
    """A field, input field or enum value without description, with sorted parts."""
    changes: dict[str, Any] = {"description": None}
    if "directives" in node.keys:
        changes["directives"] = _sorted_directives(node.directives)
    if "arguments" in node.keys:
        changes["arguments"] = _sorted_args(node.arguments)
    return _copy(node, **changes)


async def check_partitions(
    reference_sdl: str | None,
    partitions: Mapping[str, str | SubgraphTransport],
    *,
    timeout: float = 10.0,
) -> dict[str, PartitionCheck]:
    """Per brand (in the given order): does its live `_service { sdl }` equal the reference?

    With no reference SDL, the first brand (in the given order) that answers is the reference.
    An unparsable reference raises `SdlError`."""
    reference = normalize_sdl(reference_sdl) if reference_sdl is not None else None
    live = await fetch_partition_sdls(partitions, timeout=timeout)
    checks: dict[str, PartitionCheck] = {}
    for brand in partitions:
        sdl, _ = live[brand]
        if reference is None and sdl is not None:
            with contextlib.suppress(SdlError):  # an unparsable one is reported by compare
                reference = normalize_sdl(sdl)
        checks[brand] = compare(brand, reference, live[brand])
    return checks


def check_partitions_sync(
    reference_sdl: str | None,
    partitions: Mapping[str, str | SubgraphTransport],
    *,
    timeout: float = 10.0,
) -> dict[str, PartitionCheck]:
    """`check_partitions` for callers outside an event loop (CLI startup)."""
    return asyncio.run(check_partitions(reference_sdl, partitions, timeout=timeout))


def reference_from_config(config: str | Path, subgraph: str) -> str | None:
    """The SDL composition used for `subgraph`, when the config names a file for it
    (`[subgraphs.NAME] schema = "FILE"`, relative to the config file); else None. A file that
    cannot be read raises `SdlError`."""
    path = Path(config)
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError):
        return None  # the partition config loader reports a bad file
    subgraphs = data.get("subgraphs")
    table = subgraphs.get(subgraph) if isinstance(subgraphs, dict) else None
    schema = table.get("schema") if isinstance(table, dict) else None
    if not isinstance(schema, str) or not schema.strip():
        return None
    file = path.parent / schema
    try:
        return file.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        reason = getattr(error, "strerror", None) or error
        raise SdlError(
            f"{path}: subgraphs.{subgraph}.schema: cannot read {file}: {reason}"
        ) from None


async def fetch_partition_sdls(
    partitions: Mapping[str, str | SubgraphTransport], *, timeout: float = 10.0
) -> dict[str, tuple[str | None, str]]:
    """brand -> (sdl, "") when it answered, (None, reason) when not."""
    urls = [(brand, target) for brand, target in partitions.items() if isinstance(target, str)]
    results: dict[str, tuple[str | None, str]] = {}
    if urls:
        sdls, problems = await fetch_sdls_async(urls, timeout=timeout)
        failed = [brand for brand, _ in urls if brand not in sdls]
        for brand in sdls:
            results[brand] = (sdls[brand], "")
        for brand, problem in zip(failed, problems, strict=True):
            # "subgraph lumen: cannot fetch its schema from URL: reason" -> "cannot fetch ..."
            results[brand] = (None, problem.split(": ", 1)[-1])
    transports = [(b, t) for b, t in partitions.items() if not isinstance(t, str)]
    fetched = await asyncio.gather(*(_fetch_transport(t, timeout) for _, t in transports))
    results.update({brand: found for (brand, _), found in zip(transports, fetched, strict=True)})
    return results


async def _fetch_transport(transport: SubgraphTransport, timeout: float) -> tuple[str | None, str]:
    request = SubgraphRequest(SERVICE_QUERY, operation_name="SubgraphSdl")
    try:
        answer = await asyncio.wait_for(transport.fetch(request), timeout)
    except TimeoutError:
        return None, f"no answer within {timeout:g}s"
    except TransportError as error:
        return None, " ".join(str(error).split())
    errors = answer.get("errors") if isinstance(answer, dict) else None
    if errors:
        messages = [e.get("message", str(e)) if isinstance(e, dict) else str(e) for e in errors]
        return None, f"the partition answered with errors: {'; '.join(map(str, messages))}"
    data = answer.get("data") if isinstance(answer, dict) else None
    service = data.get("_service") if isinstance(data, dict) else None
    sdl = service.get("sdl") if isinstance(service, dict) else None
    if not isinstance(sdl, str) or not sdl.strip():
        return None, "the answer has no data._service.sdl string"
    return sdl, ""


def compare(brand: str, reference: str | None, live: tuple[str | None, str]) -> PartitionCheck:
    """The check of one brand from the normalized reference and its fetched SDL."""
    sdl, reason = live
    if sdl is None:
        return PartitionCheck(brand, UNREACHABLE, reason)
    try:
        normalized = normalize_sdl(sdl)
    except SdlError as error:
        return PartitionCheck(brand, DIFFERENT, f"its SDL does not parse: {error}")
    if reference is None or normalized == reference:
        return PartitionCheck(brand, OK)
    diff = list(
        difflib.unified_diff(
            reference.splitlines(), normalized.splitlines(), "composed", brand, lineterm="", n=1
        )
    )
    if len(diff) > MAX_DIFF_LINES:
        diff = [*diff[:MAX_DIFF_LINES], f"... {len(diff) - MAX_DIFF_LINES} more diff lines"]
    return PartitionCheck(brand, DIFFERENT, "\n".join(diff))


class RefusedPartition:
    """Stands in for a partition refused at startup: every request to it fails with an error
    naming the brand and why it was refused (the real partition is never contacted)."""

    def __init__(self, subgraph: str, check: PartitionCheck) -> None:
        self.subgraph = subgraph
        self.check = check

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        raise TransportError(
            f"refused at startup: {self.check.summary(self.subgraph)}", code=PARTITION_REFUSED
        )

    async def aclose(self) -> None:
        return None


def composition_issues(
    config: str | Path, composed: Mapping[str, str], *, timeout: float = 10.0
) -> list[CompositionIssue]:
    """`brand-matrix compose`: one error per partition (of the config's `[partitions.NAME]`)
    whose live SDL differs from the SDL composed for NAME (PARTITION_SDL_MISMATCH) or that
    cannot be reached (PARTITION_UNREACHABLE). Partitioned subgraphs that were not composed
    are skipped. A bad `[partitions]` table raises `ConfigError`."""
    from gateway.partitions.config import load_partitions

    partitions = {
        name: partition for name, partition in load_partitions(config).items() if name in composed
    }
    if not partitions:
        return []

    async def run() -> list[dict[str, PartitionCheck]]:
        return list(
            await asyncio.gather(
                *(
                    check_partitions(composed[name], p.brands, timeout=timeout)
                    for name, p in partitions.items()
                )
            )
        )

    issues: list[CompositionIssue] = []
    for name, checks in zip(partitions, asyncio.run(run()), strict=True):
        for check in checks.values():
            if check.status == DIFFERENT:
                issues.append(
                    CompositionIssue(
                        PARTITION_SDL_MISMATCH,
                        check.summary(name) + "\n" + check.detail,
                        subgraphs=(name,),
                        hint=f"deploy the composed schema of '{name}' to brand "
                        f"'{check.brand}' (or compose from its SDL if it is the new one)",
                    )
                )
            elif check.status == UNREACHABLE:
                issues.append(
                    CompositionIssue(
                        PARTITION_UNREACHABLE,
                        check.summary(name),
                        subgraphs=(name,),
                        hint=f"start brand '{check.brand}' or fix its URL in "
                        f"[partitions.{name}.brands]",
                    )
                )
    return issues
