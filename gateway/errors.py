"""Errors the gateway reports to clients, in GraphQL's error shape, and the one shape of
input problems its commands report to people (`Problems`: one line per problem)."""

from __future__ import annotations

from typing import Any


def graphql_error(
    message: str,
    *,
    path: list[str | int] | None = None,
    code: str | None = None,
    extensions: dict[str, Any] | None = None,
    locations: list[dict[str, int]] | None = None,
) -> dict[str, Any]:
    error: dict[str, Any] = {"message": message}
    if locations:
        error["locations"] = locations
    if path is not None:
        error["path"] = path
    ext = dict(extensions or {})
    if code:
        ext.setdefault("code", code)
    if ext:
        error["extensions"] = ext
    return error


def located_message(error: dict[str, Any]) -> str:
    """A GraphQL error for people: its message and where, "message (at 3:7, 9:2)"."""
    locations = error.get("locations") or []
    where = ", ".join(f"{loc['line']}:{loc['column']}" for loc in locations)
    return error["message"] + (f" (at {where})" if where else "")


class RequestError(Exception):
    """The request cannot be executed at all (syntax, validation, operation, variables)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


class SupergraphError(Exception):
    """The supergraph SDL is not one the gateway can serve."""


class Problems(Exception):
    """Inputs that cannot be used (a config, schema files, flags): `problems` holds one line
    per problem, all found at once, so a user fixes them in one go."""

    def __init__(self, problems: list[str] | str) -> None:
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("; ".join(self.problems))
