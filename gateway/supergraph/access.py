"""Access requirements read from `@authenticated`, `@requiresScopes` and `@policy`.

Scopes and policies are in disjunctive normal form, as the directives write them: a list of
alternatives, each a set of names that must all hold. Requirements combine by conjunction
(a field's own and its return type's), so each is kept as a tuple of such DNFs, all of which
must hold.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

Dnf = tuple[frozenset[str], ...]


@dataclass(frozen=True, slots=True)
class AccessRequirement:
    authenticated: bool = False
    scopes: tuple[Dnf, ...] = ()
    policies: tuple[Dnf, ...] = ()

    def __bool__(self) -> bool:
        return self.authenticated or bool(self.scopes) or bool(self.policies)

    def __and__(self, other: AccessRequirement | None) -> AccessRequirement:
        if not other:
            return self
        if not self:
            return other
        return AccessRequirement(
            self.authenticated or other.authenticated,
            _union(self.scopes, other.scopes),
            _union(self.policies, other.policies),
        )

    @property
    def policy_names(self) -> frozenset[str]:
        return frozenset(name for dnf in self.policies for group in dnf for name in group)


def requirement(spec: str, argument: Any) -> AccessRequirement:
    """The requirement one applied directive expresses (`spec`: its spec name)."""
    if spec == "authenticated":
        return AccessRequirement(authenticated=True)
    dnf = _dnf(argument)
    if spec == "requiresScopes":
        return AccessRequirement(scopes=(dnf,))
    return AccessRequirement(policies=(dnf,))


def combine(*requirements: AccessRequirement | None) -> AccessRequirement | None:
    out = AccessRequirement()
    for item in requirements:
        out = out & item
    return out or None


def _dnf(value: Any) -> Dnf:
    if not isinstance(value, list):
        return ()
    return tuple(
        frozenset(str(name) for name in group) for group in value if isinstance(group, list)
    )


def _union(a: tuple[Dnf, ...], b: tuple[Dnf, ...]) -> tuple[Dnf, ...]:
    return a + tuple(d for d in b if d not in a)
