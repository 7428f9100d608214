from __future__ import annotations

import pytest
from starlette.applications import Starlette

from gateway.http import create_app
from tests.gateway.http.fakes import FakeGateway


@pytest.fixture
def fake() -> FakeGateway:
    return FakeGateway()


@pytest.fixture
def app(fake: FakeGateway) -> Starlette:
    return create_app(fake)  # type: ignore[arg-type]  # duck-typed stand-in for Gateway
