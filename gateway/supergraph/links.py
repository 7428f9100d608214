"""Reads the `@link` directives of a supergraph: which specs it uses, under which names."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from graphql import DocumentNode, SchemaDefinitionNode, SchemaExtensionNode, value_from_ast_untyped

from gateway.errors import SupergraphError

_SPEC_URL = re.compile(r"^https?://[^/]+/(?P<name>[A-Za-z0-9_-]+)/v(?P<version>\d+\.\d+)$")
SUPPORTED_JOIN = ("0.1", "0.2", "0.3", "0.4", "0.5")


@dataclass(slots=True)
class LinkedSpecs:
    """Spec name -> (version, prefix used in this document), and directives imported bare."""

    versions: dict[str, str] = field(default_factory=dict)
    prefixes: dict[str, str] = field(default_factory=dict)
    imports: dict[str, str] = field(default_factory=dict)  # local directive name -> spec:name

    def directive(self, spec: str, name: str) -> str:
        """The local name of `@spec__name` (or `@spec` when name == spec)."""
        for local, target in self.imports.items():
            if target == f"{spec}:{name}":
                return local
        prefix = self.prefixes.get(spec, spec)
        return prefix if name == spec else f"{prefix}__{name}"

    def is_spec_element(self, name: str) -> bool:
        """True for directives/types that belong to a linked spec (hidden from the API)."""
        if name in self.imports:
            return True
        return any(name == p or name.startswith(p + "__") for p in self.prefixes.values())


def read_links(document: DocumentNode) -> LinkedSpecs:
    specs = LinkedSpecs()
    for definition in document.definitions:
        if not isinstance(definition, SchemaDefinitionNode | SchemaExtensionNode):
            continue
        for directive in definition.directives or ():
            if directive.name.value not in ("link", "core"):
                continue
            args = {
                a.name.value: value_from_ast_untyped(a.value) for a in directive.arguments or ()
            }
            url = args.get("url") or args.get("feature")
            if not url:
                raise SupergraphError(f"@{directive.name.value} is missing its 'url' argument")
            match = _SPEC_URL.match(str(url or ""))
            if not match:
                continue
            name, version = match["name"], match["version"]
            specs.versions[name] = version
            specs.prefixes[name] = args.get("as") or name
            for imported in args.get("import") or ():
                if isinstance(imported, str):
                    local, target = imported, imported
                else:
                    local, target = imported.get("as", imported["name"]), imported["name"]
                specs.imports[local.lstrip("@")] = f"{name}:{target.lstrip('@')}"
    if "join" not in specs.versions:
        raise SupergraphError(
            "not a supergraph: the schema does not @link the join spec "
            "(https://specs.apollo.dev/join/vX.Y)"
        )
    if specs.versions["join"] not in SUPPORTED_JOIN:
        raise SupergraphError(
            f"join spec v{specs.versions['join']} is not supported "
            f"(supported: {', '.join(SUPPORTED_JOIN)})"
        )
    specs.prefixes.setdefault("link", "link")
    return specs
