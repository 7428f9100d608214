"""Tables used only by the foundation's tests."""

from __future__ import annotations

from sqlmodel import Field, SQLModel


class Widget(SQLModel, table=True):
    __tablename__ = "common_test_widgets"

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(max_length=100)


class Part(SQLModel, table=True):
    __tablename__ = "common_test_parts"

    id: int | None = Field(default=None, primary_key=True)
    widget_id: int = Field(foreign_key="common_test_widgets.id", index=True)
    name: str = Field(max_length=100)
