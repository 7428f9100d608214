"""Requests the order subgraph refuses: GraphQL errors with `extensions.code`."""

from __future__ import annotations

from datetime import UTC, datetime


class OrderError(ValueError):
    """Shown to the client as a GraphQL error whose `extensions.code` is `code`."""

    code = "BAD_USER_INPUT"

    def __init__(self, message: str, code: str | None = None) -> None:
        super().__init__(message)
        if code is not None:
            self.code = code
        self.extensions = {"code": self.code}  # graphql-core copies this onto the error


class NotFound(OrderError):
    code = "NOT_FOUND"


class InvalidState(OrderError):
    code = "INVALID_ORDER_STATE"


class CouponRefused(OrderError):
    code = "COUPON_NOT_APPLICABLE"


def as_utc(moment: datetime) -> datetime:
    """Aware UTC (SQLite hands back naive datetimes, stored as UTC)."""
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)
