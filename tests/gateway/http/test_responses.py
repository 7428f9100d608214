from __future__ import annotations

import pytest

from gateway.http.negotiation import APPLICATION_JSON, GRAPHQL_RESPONSE_JSON
from gateway.http.responses import status_for


@pytest.mark.parametrize(
    ("kind", "media_type", "status"),
    [
        ("ok", GRAPHQL_RESPONSE_JSON, 200),
        ("ok", APPLICATION_JSON, 200),
        ("request_error", GRAPHQL_RESPONSE_JSON, 400),
        ("request_error", APPLICATION_JSON, 200),
        ("operation_not_allowed", GRAPHQL_RESPONSE_JSON, 405),
        ("operation_not_allowed", APPLICATION_JSON, 405),
    ],
)
def test_status_for(kind: str, media_type: str, status: int) -> None:
    assert status_for(kind, media_type) == status  # type: ignore[arg-type]
