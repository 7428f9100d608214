"""Access control for one gateway: who is calling (token), and what they may select.

`GatewayAuth` is the configuration (a token verifier and a policy function); `bind` gives
the per-supergraph `AccessControl` the gateway calls on the request path.
"""

from __future__ import annotations

import asyncio
import logging
import weakref
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from gateway.auth.filtering import AccessDecision, decide
from gateway.auth.guards import Guard, OperationGuards, find_guards
from gateway.auth.keys import hs256_keys_from_env
from gateway.auth.verifier import Claims, TokenError, TokenVerifier, bearer_token
from gateway.caching import LRUCache
from gateway.errors import graphql_error
from gateway.planning.planner import Planner
from gateway.supergraph.access import AccessRequirement
from gateway.supergraph.model import Supergraph

if TYPE_CHECKING:
    from gateway.service import PreparedOperation
    from gateway.supergraph_state import BuiltSupergraph

logger = logging.getLogger("gateway.auth")

UNAUTHENTICATED = "UNAUTHENTICATED"


@dataclass(frozen=True, slots=True)
class PolicyContext:
    """What a policy function may look at besides the claims."""

    headers: Mapping[str, str]
    operation_name: str | None
    operation_kind: str


PolicyFunction = Callable[[str, Claims | None, PolicyContext], Awaitable[bool]]


@dataclass(frozen=True, slots=True)
class Caller:
    """The outcome of authentication: verified claims (None: anonymous) or an error."""

    claims: Claims | None
    scopes: frozenset[str] = frozenset()
    error: dict[str, Any] | None = None
    headers: Mapping[str, str] | None = None


ANONYMOUS = Caller(None)


class GatewayAuth:
    """`verifier` None: the embedded default, HS256 with the group's shared secret(s).
    `policy`: decides `@policy` names; without one every policy is unmet."""

    def __init__(
        self,
        verifier: TokenVerifier | None = None,
        *,
        policy: PolicyFunction | None = None,
        cache_size: int = 1000,
    ) -> None:
        self.verifier = verifier or TokenVerifier([hs256_keys_from_env()])
        self.policy = policy
        self.cache_size = cache_size
        # One access control per supergraph served (a reload builds a new one).
        self._controls: weakref.WeakKeyDictionary[BuiltSupergraph, AccessControl] = (
            weakref.WeakKeyDictionary()
        )

    def bind(self, supergraph: Supergraph, planner: Planner) -> AccessControl:
        return AccessControl(self, supergraph, planner)

    async def aclose(self) -> None:
        await self.verifier.aclose()

    async def authenticate(self, headers: Mapping[str, str] | None) -> Caller:
        """The caller's verified claims; `Caller.error` (answer 401) for a bad token."""
        try:
            token = bearer_token(headers)
            if token is None:
                return ANONYMOUS
            claims = await self.verifier.verify(token)
        except TokenError as error:
            return Caller(
                None,
                error=graphql_error(str(error), code=UNAUTHENTICATED),
                headers={"WWW-Authenticate": 'Bearer error="invalid_token"'},
            )
        return Caller(claims, _scopes(claims))

    async def authorize(
        self,
        built: BuiltSupergraph,
        prepared: PreparedOperation,
        caller: Caller,
        headers: Mapping[str, str] | None = None,
    ) -> AccessDecision | None:
        """None when the caller may run the whole operation (always, without directives)."""
        if not built.supergraph.has_access_control:
            return None
        control = self._controls.get(built)
        if control is None:
            control = self._controls[built] = self.bind(built.supergraph, built.planner)
        return await control.authorize(prepared, caller, headers)


class AccessControl:
    """The access directives of one supergraph, applied to its operations."""

    def __init__(self, auth: GatewayAuth, supergraph: Supergraph, planner: Planner) -> None:
        self.auth = auth
        self.supergraph = supergraph
        self.planner = planner
        # Keyed by id(operation) and checked by identity: prepared operations are cached.
        self._guards: LRUCache[int, OperationGuards] = LRUCache(auth.cache_size)
        self._decisions: LRUCache[tuple[int, frozenset[int]], tuple[Any, AccessDecision]] = (
            LRUCache(auth.cache_size)
        )

    async def authorize(
        self,
        prepared: PreparedOperation,
        caller: Caller,
        headers: Mapping[str, str] | None = None,
    ) -> AccessDecision | None:
        """None when the caller may run the whole operation (always, without directives)."""
        if not self.supergraph.has_access_control:
            return None
        guards = self._operation_guards(prepared)
        if not guards.guards:
            return None
        policies = await self._policies(guards, caller, prepared, headers)
        unmet = [
            index
            for index, guard in enumerate(guards.guards)
            if not _satisfied(guard.requirement, caller, policies)
        ]
        if not unmet:
            return None
        key = (id(guards.operation), frozenset(unmet))
        cached = self._decisions.get(key)
        if cached is not None and cached[0] is guards.operation:
            return cached[1]
        chosen: list[Guard] = [guards.guards[i] for i in unmet]
        decision = decide(self.planner, guards, chosen)
        self._decisions.put(key, (guards.operation, decision))
        return decision

    def _operation_guards(self, prepared: PreparedOperation) -> OperationGuards:
        operation = prepared.operation
        found = self._guards.get(id(operation))
        if found is None or found.operation is not operation:
            found = find_guards(self.supergraph, operation)
            self._guards.put(id(operation), found)
        return found

    async def _policies(
        self,
        guards: OperationGuards,
        caller: Caller,
        prepared: PreparedOperation,
        headers: Mapping[str, str] | None,
    ) -> frozenset[str]:
        """The policies that hold for this request, each asked once."""
        if not guards.policies or self.auth.policy is None:
            return frozenset()
        context = PolicyContext(headers or {}, prepared.operation.name, prepared.operation.kind)
        names = sorted(guards.policies)
        results = await asyncio.gather(
            *(self.auth.policy(name, caller.claims, context) for name in names),
            return_exceptions=True,
        )
        held: set[str] = set()
        for name, result in zip(names, results, strict=True):
            if isinstance(result, BaseException):
                logger.error("policy %r failed; treated as unmet", name, exc_info=result)
            elif result is True:
                held.add(name)
        return frozenset(held)


def _satisfied(requirement: AccessRequirement, caller: Caller, policies: frozenset[str]) -> bool:
    if requirement.authenticated and caller.claims is None:
        return False
    for dnf in requirement.scopes:
        if not any(group <= caller.scopes for group in dnf):
            return False
    return all(any(group <= policies for group in dnf) for dnf in requirement.policies)


def _scopes(claims: Claims) -> frozenset[str]:
    """`scopes` as a list or a space-separated string (and OAuth's `scope`)."""
    out: set[str] = set()
    for name in ("scopes", "scope"):
        value = claims.get(name)
        if isinstance(value, str):
            out.update(value.split())
        elif isinstance(value, list):
            out.update(item for item in value if isinstance(item, str))
    return frozenset(out)
