"""The content's tables: banners, articles, pages.

Revision ID: 0001
Revises:
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "content_banners",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("image_url", sa.String(500), nullable=False),
        sa.Column("link_url", sa.String(500), nullable=False, server_default=""),
        sa.Column("placement", sa.String(64), nullable=False),
        sa.Column("starts_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ends_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.Column("product_id", sa.String(200), nullable=True),
    )
    op.create_index("ix_content_banners_placement", "content_banners", ["placement"])
    op.create_table(
        "content_articles",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("slug", sa.String(200), nullable=False, unique=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("body", sa.Text, nullable=False, server_default=""),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_content_articles_published_at", "content_articles", ["published_at"])
    op.create_table(
        "content_pages",
        sa.Column("slug", sa.String(200), primary_key=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("blocks", sa.JSON, nullable=False),
    )


def downgrade() -> None:
    op.drop_table("content_pages")
    op.drop_index("ix_content_articles_published_at", "content_articles")
    op.drop_table("content_articles")
    op.drop_index("ix_content_banners_placement", "content_banners")
    op.drop_table("content_banners")
