"""The member subgraph's refusals: `ValueError`s carrying `extensions.code`, which graphql-core
copies onto the GraphQL error (the client sees a message and a code, never a traceback)."""

from __future__ import annotations

from subgraphs.common.auth import FORBIDDEN, UNAUTHENTICATED

BAD_USER_INPUT = "BAD_USER_INPUT"
NOT_FOUND = "NOT_FOUND"
CONFLICT = "CONFLICT"

__all__ = [
    "BAD_USER_INPUT",
    "CONFLICT",
    "FORBIDDEN",
    "NOT_FOUND",
    "UNAUTHENTICATED",
    "MemberError",
]


class MemberError(ValueError):
    def __init__(self, message: str, code: str = BAD_USER_INPUT) -> None:
        super().__init__(message)
        self.code = code
        self.extensions = {"code": code}


def not_found(message: str) -> MemberError:
    return MemberError(message, NOT_FOUND)


def unauthenticated(message: str) -> MemberError:
    return MemberError(message, UNAUTHENTICATED)


def forbidden(message: str) -> MemberError:
    return MemberError(message, FORBIDDEN)
