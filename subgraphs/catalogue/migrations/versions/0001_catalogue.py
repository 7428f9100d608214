"""The catalogue's tables: categories, products, SKUs.

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
        "catalogue_categories",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
    )
    op.create_table(
        "catalogue_products",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("description", sa.Text, nullable=False, server_default=""),
        sa.Column(
            "category_id",
            sa.String(64),
            sa.ForeignKey("catalogue_categories.id"),
            nullable=False,
        ),
    )
    op.create_index("ix_catalogue_products_category_id", "catalogue_products", ["category_id"])
    op.create_table(
        "catalogue_skus",
        sa.Column("id", sa.String(64), primary_key=True),
        sa.Column(
            "product_id",
            sa.String(64),
            sa.ForeignKey("catalogue_products.id"),
            nullable=False,
        ),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("price_fen", sa.Integer, nullable=False),
        sa.Column("stock", sa.Integer, nullable=False, server_default="0"),
        sa.Column("position", sa.Integer, nullable=False, server_default="0"),
        sa.CheckConstraint("price_fen >= 0", name="ck_catalogue_skus_price_fen"),
        sa.CheckConstraint("stock >= 0", name="ck_catalogue_skus_stock"),
    )
    op.create_index("ix_catalogue_skus_product_id", "catalogue_skus", ["product_id"])


def downgrade() -> None:
    op.drop_index("ix_catalogue_skus_product_id", "catalogue_skus")
    op.drop_table("catalogue_skus")
    op.drop_index("ix_catalogue_products_category_id", "catalogue_products")
    op.drop_table("catalogue_products")
    op.drop_table("catalogue_categories")
