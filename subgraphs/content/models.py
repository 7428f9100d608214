"""The content's tables. One database per brand, so rows carry no brand: the deployment's brand
id prefixes every ID the schema shows (`lumen:BANNER-1`). Times are stored in UTC.

A banner's `product_id` is the full, brand-scoped ID of the `Product` it advertises
(`lumen:SKU-1001`), owned by a catalogue; the gateway fetches the product from there.

A cross-brand placement promotes another brand's product in this brand's app
(`target_product_id` like `vitalis:SKU-2001`); `content_impressions` counts how often a member
was shown one (only while a frequency cap is configured). Impressions are personal data: the
`member.erased` consumer deletes them.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from sqlmodel import JSON, Column, Field, SQLModel

# Re-exported so the app's metadata holds the outbox tables its migrations create.
from subgraphs.common.events import OutboxEvent as OutboxEvent
from subgraphs.common.events import ProcessedEvent as ProcessedEvent

CODE_LENGTH = 64


class Banner(SQLModel, table=True):
    __tablename__ = "content_banners"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "BANNER-1"
    title: str = Field(max_length=200)
    image_url: str = Field(max_length=500)
    link_url: str = Field(default="", max_length=500)  # where a tap goes
    placement: str = Field(max_length=CODE_LENGTH, index=True)  # e.g. "home"
    # Shown from `starts_at` (inclusive) until `ends_at` (exclusive); None is open-ended.
    starts_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    ends_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    position: int = 0
    product_id: str | None = Field(default=None, max_length=200)  # e.g. "lumen:SKU-1001"


class Article(SQLModel, table=True):
    __tablename__ = "content_articles"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "ARTICLE-1"
    slug: str = Field(max_length=200, unique=True)
    title: str = Field(max_length=200)
    body: str = ""
    # None is a draft (never listed).
    published_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True, index=True)
    )


class Page(SQLModel, table=True):
    __tablename__ = "content_pages"

    slug: str = Field(primary_key=True, max_length=200)  # e.g. "about"
    title: str = Field(max_length=200)
    blocks: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )


class CrossBrandPlacement(SQLModel, table=True):
    __tablename__ = "content_cross_brand_placements"

    id: str = Field(primary_key=True, max_length=CODE_LENGTH)  # e.g. "XB-1"
    target_brand: str = Field(max_length=32)  # e.g. "vitalis"
    target_product_id: str = Field(max_length=200)  # e.g. "vitalis:SKU-2001"
    target_category: str = Field(max_length=CODE_LENGTH)  # e.g. "supplements"
    # The category of this brand it pairs with; None: any.
    source_category: str | None = Field(default=None, max_length=CODE_LENGTH)
    headline: str = Field(max_length=200)
    priority: int = 0  # higher first (after brand affinity)
    active: bool = True
    starts_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )
    ends_at: datetime | None = Field(
        default=None, sa_column=Column(sa.DateTime(timezone=True), nullable=True)
    )


class Impression(SQLModel, table=True):
    """One showing of a placement to a member (insert-only: concurrent requests never clash)."""

    __tablename__ = "content_impressions"
    __table_args__ = (sa.Index("ix_content_impressions_member_shown", "member_id", "shown_at"),)

    id: int | None = Field(default=None, primary_key=True)
    member_id: str = Field(max_length=64)
    placement_id: str = Field(max_length=CODE_LENGTH)
    shown_at: datetime = Field(sa_column=Column(sa.DateTime(timezone=True), nullable=False))


def utc(value: datetime | None) -> datetime | None:
    """`value` as an aware UTC datetime (SQLite hands back naive ones, stored in UTC)."""
    if value is None:
        return None
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
