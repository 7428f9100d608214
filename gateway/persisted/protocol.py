"""Apollo's automatic persisted queries (APQ) and the safelist, applied before a request runs.

APQ: the client sends `extensions.persistedQuery = {"version": 1, "sha256Hash": H}` and no
query; if H is unknown it gets PERSISTED_QUERY_NOT_FOUND and resends with the query, which
registers it once the hash checks out. With a safelist only the registered front-end
operations run, by hash or by text; clients cannot register anything else.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from gateway.errors import graphql_error
from gateway.persisted.hashing import is_sha256_hex, sha256_hex
from gateway.persisted.safelist import Safelist
from gateway.persisted.store import MemoryStore, PersistedQueryStore
from gateway.service import GraphQLRequest

logger = logging.getLogger("gateway.persisted")

EXTENSION = "persistedQuery"
NOT_FOUND = "PERSISTED_QUERY_NOT_FOUND"
NOT_SUPPORTED = "PERSISTED_QUERY_NOT_SUPPORTED"
HASH_MISMATCH = "PERSISTED_QUERY_HASH_MISMATCH"
INVALID = "PERSISTED_QUERY_INVALID"
VERSION_NOT_SUPPORTED = "PERSISTED_QUERY_VERSION_NOT_SUPPORTED"
NOT_IN_SAFELIST = "PERSISTED_QUERY_NOT_IN_SAFELIST"
OPERATION_NOT_IN_SAFELIST = "OPERATION_NOT_IN_SAFELIST"
ID_REQUIRED = "PERSISTED_QUERY_ID_REQUIRED"
# Apollo clients react to these two by message, and resend the full query (or stop using
# APQ); they give up on APQ for good when such an answer is a 400, so these are always 200.
_RETRYABLE = {NOT_FOUND: "PersistedQueryNotFound", NOT_SUPPORTED: "PersistedQueryNotSupported"}


@dataclass(slots=True)
class Resolution:
    """The request to run (its query filled in from the store), or the error to answer."""

    request: GraphQLRequest
    error: dict[str, Any] | None = None
    # (hash, document) to store once the gateway has accepted the document: invalid
    # documents are never stored.
    register: tuple[str, str] | None = None

    @property
    def retryable(self) -> bool:
        code = (self.error or {}).get("extensions", {}).get("code")
        return code in _RETRYABLE


def has_persisted_query(request: GraphQLRequest) -> bool:
    return isinstance(request.extensions, Mapping) and EXTENSION in request.extensions


def not_supported(request: GraphQLRequest) -> Resolution:
    """For a gateway without persisted queries: tells APQ clients to send full queries."""
    return _refuse(request, NOT_SUPPORTED, _RETRYABLE[NOT_SUPPORTED])


class PersistedQueries:
    """`store`: where APQ registrations go (default: an in-memory LRU).
    `safelist`: when given, only its operations run (plus hashes registered for their texts).
    `require_hash`: with a safelist, refuse requests that send text without a hash."""

    def __init__(
        self,
        store: PersistedQueryStore | None = None,
        *,
        safelist: Safelist | None = None,
        require_hash: bool = False,
    ) -> None:
        if require_hash and safelist is None:
            raise ValueError("require_hash needs a safelist")
        self.store: PersistedQueryStore = store if store is not None else MemoryStore()
        self.safelist = safelist
        self.require_hash = require_hash

    async def resolve(self, request: GraphQLRequest) -> Resolution:
        if not has_persisted_query(request):
            return self._unhashed(request)
        assert isinstance(request.extensions, Mapping)
        persisted = request.extensions[EXTENSION]
        if not isinstance(persisted, Mapping):
            return _refuse(request, INVALID, "extensions.persistedQuery must be an object.")
        version = persisted.get("version")
        if version != 1 or isinstance(version, bool):
            return _refuse(
                request, VERSION_NOT_SUPPORTED, "Unsupported persisted query version; use 1."
            )
        digest = persisted.get("sha256Hash")
        if not is_sha256_hex(digest):
            return _refuse(
                request,
                INVALID,
                "extensions.persistedQuery.sha256Hash must be a SHA-256 in lowercase hex "
                "(64 characters).",
            )
        assert isinstance(digest, str)
        if request.query is None or request.query == "":
            return await self._by_hash(request, digest)
        if not isinstance(request.query, str) or sha256_hex(request.query) != digest:
            return _refuse(request, HASH_MISMATCH, "provided sha does not match query")
        if self.safelist is None:
            return Resolution(request, register=(digest, request.query))
        if not self.safelist.allows(request.query):
            return _not_safelisted(request)
        # A safelisted text under a hash the safelist does not know (the client printed it
        # differently): remember the hash so the next request can send the hash alone.
        known = self.safelist.document_for(digest) is not None
        return Resolution(request, register=None if known else (digest, request.query))

    async def register(self, digest: str, document: str) -> None:
        """Store a document the gateway accepted; a store failure only costs a re-send."""
        try:
            await self.store.put(digest, document)
        except Exception:
            logger.warning("could not store persisted query %s", digest, exc_info=True)

    async def aclose(self) -> None:
        await self.store.aclose()

    # -- steps -----------------------------------------------------------------------------

    def _unhashed(self, request: GraphQLRequest) -> Resolution:
        if self.safelist is None or not isinstance(request.query, str):
            return Resolution(request)  # a missing query is the gateway's error to report
        if self.require_hash:
            return _refuse(
                request,
                ID_REQUIRED,
                "This gateway runs registered operations only, by hash: send "
                "extensions.persistedQuery.",
            )
        if not self.safelist.allows(request.query):
            return _not_safelisted(request)
        return Resolution(request)

    async def _by_hash(self, request: GraphQLRequest, digest: str) -> Resolution:
        document = self.safelist.document_for(digest) if self.safelist is not None else None
        if document is None:
            document = await self._stored(digest)
            # Replicas may share a store with gateways that run without a safelist.
            if document is not None and self.safelist is not None:
                document = document if self.safelist.allows(document) else None
        if document is not None:
            return Resolution(replace(request, query=document))
        if self.safelist is not None:
            return _refuse(
                request,
                NOT_IN_SAFELIST,
                "No registered operation has this hash; only registered operations run here.",
            )
        return _refuse(request, NOT_FOUND, _RETRYABLE[NOT_FOUND])

    async def _stored(self, digest: str) -> str | None:
        try:
            return await self.store.get(digest)
        except Exception:
            # Not found makes the client resend the query: slower, but the request works.
            logger.warning("persisted query store lookup failed", exc_info=True)
            return None


def _not_safelisted(request: GraphQLRequest) -> Resolution:
    return _refuse(
        request,
        OPERATION_NOT_IN_SAFELIST,
        "This operation is not registered; only registered operations run here.",
    )


def _refuse(request: GraphQLRequest, code: str, message: str) -> Resolution:
    return Resolution(request, error=graphql_error(message, code=code))
