"""Composition errors: each names its rule, the subgraphs, the type and field, and a fix."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass(frozen=True)
class CompositionIssue:
    """One problem found while composing (an error, or a hint when `severity` says so)."""

    code: str  # the rule, e.g. FIELD_TYPE_MISMATCH (Apollo's codes where one exists)
    message: str
    subgraphs: tuple[str, ...] = ()
    type_name: str | None = None
    field_name: str | None = None
    hint: str | None = None
    severity: str = "error"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.subgraphs:
            out["subgraphs"] = list(self.subgraphs)
        if self.type_name:
            out["type"] = self.type_name
        if self.field_name:
            out["field"] = self.field_name
        if self.hint:
            out["hint"] = self.hint
        return out

    def __str__(self) -> str:
        where = ""
        if self.type_name:
            where = f" ({self.type_name}{'.' + self.field_name if self.field_name else ''})"
        text = f"{self.code}{where}: {self.message}"
        if self.hint:
            text += f"\n  fix: {self.hint}"
        return text


class CompositionError(Exception):
    """Raised while reading one subgraph; collected into the composition result."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] = (),
        type_name: str | None = None,
        field_name: str | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.issue = CompositionIssue(code, message, subgraphs, type_name, field_name, hint)


@dataclass
class Issues:
    """Collects what the rules find."""

    items: list[CompositionIssue] = field(default_factory=list)

    def error(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        type_name: str | None = None,
        field_name: str | None = None,
        hint: str | None = None,
    ) -> None:
        self.items.append(
            CompositionIssue(code, message, tuple(sorted(subgraphs)), type_name, field_name, hint)
        )

    def hint(
        self,
        code: str,
        message: str,
        *,
        subgraphs: tuple[str, ...] | list[str] = (),
        type_name: str | None = None,
        field_name: str | None = None,
        hint: str | None = None,
    ) -> None:
        """Something worth knowing that does not stop composition."""
        self.error(
            code,
            message,
            subgraphs=subgraphs,
            type_name=type_name,
            field_name=field_name,
            hint=hint,
        )
        issue = self.items[-1]
        self.items[-1] = CompositionIssue(
            issue.code,
            issue.message,
            issue.subgraphs,
            issue.type_name,
            issue.field_name,
            issue.hint,
            "hint",
        )

    @property
    def errors(self) -> list[CompositionIssue]:
        return [i for i in self.items if i.severity == "error"]

    @property
    def hints(self) -> list[CompositionIssue]:
        return [i for i in self.items if i.severity == "hint"]
