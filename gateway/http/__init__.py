"""GraphQL over HTTP: the Starlette app that serves a Gateway."""

from gateway.http.app import DEFAULT_MAX_BODY_SIZE, create_app

__all__ = ["DEFAULT_MAX_BODY_SIZE", "create_app"]
