"""Shared foundation of the subgraphs: database, idempotency, request context, loaders,
ASGI app factory and Alembic migrations."""
