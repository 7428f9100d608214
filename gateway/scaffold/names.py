"""Which names `brand-matrix new-subgraph` accepts, and the repository it writes into."""

from __future__ import annotations

import keyword
import re
from pathlib import Path

from graphql import GraphQLError, parse
from graphql.language import ObjectTypeDefinitionNode, ObjectTypeExtensionNode, TypeDefinitionNode

NAME = re.compile(r"^[a-z][a-z0-9_]*$")
MAX_LENGTH = 30  # table, topic and version-table names are built from it
# Packages and files a subgraph name would shadow, and words with a meaning of their own.
RESERVED = frozenset(
    {
        "api", "app", "bench", "common", "demo", "federation", "gateway", "graphql", "link",
        "join", "loaders", "migrations", "models", "mutation", "operations", "print_schema",
        "query", "schema", "seed", "service", "stack", "strawberry", "subgraph", "subgraphs",
        "subscription", "supergraph", "test", "tests",
    }
)  # fmt: skip
COMPOSED_OUTPUTS = frozenset({"supergraph.graphql", "api.graphql"})
ROOTS = ("Query", "Mutation", "Subscription")


class NameProblem(ValueError):
    """A refused name or repository; the message is one line."""


def check_name(name: str) -> None:
    if not NAME.match(name) or name.endswith("_") or "__" in name:
        raise NameProblem(
            f"invalid subgraph name {name!r}: use a lowercase Python identifier "
            "(letters, digits and single underscores, starting with a letter), e.g. gift_cards"
        )
    if len(name) > MAX_LENGTH:
        raise NameProblem(f"subgraph name {name!r} is longer than {MAX_LENGTH} characters")
    if keyword.iskeyword(name) or keyword.issoftkeyword(name) or name in RESERVED:
        raise NameProblem(f"subgraph name {name!r} is reserved: choose another")


def check_repository(root: Path, name: str) -> None:
    if not (root / "subgraphs" / "common").is_dir() or not (root / "schema").is_dir():
        raise NameProblem(
            f"{root} is not a Brand Matrix repository (no subgraphs/common/, schema/)"
        )
    for taken in (root / "subgraphs" / name, root / "schema" / f"{name}.graphql"):
        if taken.exists():
            raise NameProblem(f"subgraph {name!r} already exists ({taken.relative_to(root)})")
    tests = root / "tests" / "subgraphs" / name
    if tests.exists():
        raise NameProblem(f"tests for {name!r} already exist ({tests.relative_to(root)})")


def check_schema_names(root: Path, type_names: set[str], root_fields: set[str]) -> None:
    """Refuse a name whose example type or root fields another subgraph already defines
    (composition would reject them: the same type owned twice, a root field not shareable)."""
    for path in sorted((root / "schema").glob("*.graphql")):
        if path.name in COMPOSED_OUTPUTS:
            continue
        try:
            document = parse(path.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError, GraphQLError):
            continue  # compose reports unreadable schemas; nothing to compare against here
        for node in document.definitions:
            if not isinstance(node, TypeDefinitionNode | ObjectTypeExtensionNode):
                continue
            type_name = node.name.value
            if type_name in type_names:
                raise NameProblem(f"type {type_name} already exists in schema/{path.name}")
            if type_name in ROOTS and isinstance(
                node, ObjectTypeDefinitionNode | ObjectTypeExtensionNode
            ):
                for field in node.fields or ():
                    if field.name.value in root_fields:
                        raise NameProblem(
                            f"{type_name}.{field.name.value} already exists in schema/{path.name}"
                        )
