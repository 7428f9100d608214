"""Template text -> file text: `{{key}}` placeholders and per-line deployment markers.

A template line ending in `#@brand` is kept only for a brand-owned subgraph, one ending in
`#@central` only for a central one (the marker is dropped). Plain text, no template engine:
the templates stay readable Python and `${...}` (Alembic's Mako) passes through untouched.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

PLACEHOLDER = re.compile(r"\{\{(\w+)\}\}")
MARKERS = {"#@brand": True, "#@central": False}


class TemplateError(ValueError):
    """A template names a placeholder that has no value (a bug in the templates)."""


def render(text: str, values: Mapping[str, str], *, brand_owned: bool) -> str:
    lines = []
    for line in text.splitlines():
        stripped = line.rstrip()
        for marker, wanted in MARKERS.items():
            if stripped.endswith(marker):
                if wanted != brand_owned:
                    break
                line = stripped[: -len(marker)].rstrip()
        else:
            lines.append(_fill(line, values).rstrip())
    body = "\n".join(lines).rstrip("\n")
    return body + "\n" if body else ""


def _fill(line: str, values: Mapping[str, str]) -> str:
    def value(match: re.Match[str]) -> str:
        key = match.group(1)
        if key not in values:
            raise TemplateError(f"unknown template placeholder {{{{{key}}}}}")
        return values[key]

    return PLACEHOLDER.sub(value, line)


def names(name: str) -> dict[str, str]:
    """The spellings of a subgraph name the templates use: gift_cards -> GiftCards (types),
    giftCards (GraphQL fields), GIFT_CARDS (its join__Graph value)."""
    pascal = "".join(part[:1].upper() + part[1:] for part in name.split("_"))
    return {
        "name": name,
        "Name": pascal,
        "camel": pascal[:1].lower() + pascal[1:],
        "NAME": name.upper(),
    }
