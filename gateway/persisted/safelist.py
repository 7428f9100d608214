"""The registered front-end operations: `schema/operations/<front-end>/*.graphql`.

A document is on the list when the client sends its hash, or its text: the file's exact text,
or any text that prints the same (whitespace, commas and comments do not matter). Each file is
known by two hashes: SHA-256 of the file's text, and of graphql-core's print of it, which is
what Apollo Client hashes (graphql-js prints the same way).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from graphql import GraphQLError, parse, print_ast

from gateway.caching import LRUCache
from gateway.persisted.hashing import sha256_hex


@dataclass(frozen=True, slots=True)
class SafelistedOperation:
    name: str  # "<front-end>/<file stem>"
    document: str
    hashes: tuple[str, ...]


class Safelist:
    def __init__(self, documents: Mapping[str, str]) -> None:
        """`documents`: name -> document text; raises ValueError for a document that does not
        parse (a broken registration must fail at startup, not at a front-end's request)."""
        self.operations: list[SafelistedOperation] = []
        self._by_hash: dict[str, str] = {}
        self._texts: set[str] = set()
        self._printed: set[str] = set()
        for name, text in documents.items():
            printed = _print(text)
            if printed is None:
                raise ValueError(f"safelisted operation {name} is not a valid GraphQL document")
            hashes = tuple(dict.fromkeys((sha256_hex(text), sha256_hex(printed))))
            self.operations.append(SafelistedOperation(name, text, hashes))
            for digest in hashes:
                self._by_hash[digest] = text
            self._texts.add(text)
            self._printed.add(printed)
        # Parsing is the expensive part of a text check: texts longer than any registered one
        # (with room for comments and indentation) are refused without it.
        self._max_length = 4 * max((len(t) for t in self._texts), default=0) + 1024
        self._checked: LRUCache[str, bool] = LRUCache(1000)

    def document_for(self, sha256_hash: str) -> str | None:
        return self._by_hash.get(sha256_hash)

    def allows(self, text: str) -> bool:
        if text in self._texts:
            return True
        if len(text) > self._max_length:
            return False
        known = self._checked.get(text)
        if known is None:
            known = _print(text) in self._printed
            self._checked.put(text, known)
        return known

    def __len__(self) -> int:
        return len(self.operations)


def load_safelist(directory: str | Path, front_ends: Iterable[str] | None = None) -> Safelist:
    """Every `<directory>/<front-end>/*.graphql`, or only the named front-ends' folders."""
    root = Path(directory)
    if not root.is_dir():
        raise ValueError(f"safelist directory {root} does not exist")
    wanted = None if front_ends is None else set(front_ends)
    folders = sorted(p for p in root.iterdir() if p.is_dir())
    if wanted is not None:
        missing = wanted - {p.name for p in folders}
        if missing:
            raise ValueError(f"no operations folder for front-end(s): {', '.join(sorted(missing))}")
        folders = [p for p in folders if p.name in wanted]
    documents = {
        f"{folder.name}/{path.stem}": path.read_text(encoding="utf-8")
        for folder in folders
        for path in sorted(folder.glob("*.graphql"))
    }
    return Safelist(documents)


def _print(text: str) -> str | None:
    try:
        return print_ast(parse(text, no_location=True))
    except (GraphQLError, RecursionError):  # deep nesting can exhaust the parser's stack
        return None
