"""Errors the gateway reports to clients, in GraphQL's error shape."""

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


class RequestError(Exception):
    """The request cannot be executed at all (syntax, validation, operation, variables)."""

    def __init__(self, errors: list[dict[str, Any]]) -> None:
        super().__init__("; ".join(e["message"] for e in errors))
        self.errors = errors


class SupergraphError(Exception):
    """The supergraph SDL is not one the gateway can serve."""
