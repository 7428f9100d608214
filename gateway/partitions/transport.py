"""`PartitionedTransport`: one subgraph deployed once per brand, behind one SubgraphTransport.

- Entity requests: the representations of every `_entities` variable are grouped by brand,
  each brand's partition gets the same query with its own subsets (in parallel), and the
  results are put back in the original order per alias; error paths `[alias, i, ...]` are
  rewritten to the original index. A failed partition leaves its entities null with an error
  naming the brand; a representation whose brand is unreadable or unknown is null with an
  error naming it.
- Root requests: a group-wide root list field fans out to every partition in brand order and
  the lists are concatenated; a root field with a brand-scoped `id` argument (`product(id:
  "vitalis:SKU-1")`) goes to that id's brand, whatever app asks; anything else goes to the
  request's brand (`x-brand` header, else a `brand:` argument of a root field). A query whose
  root fields belong to several brands is sent to each of them and every root field is taken
  from its own brand's answer (a mutation must name one brand).
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from gateway.partitions.rules import RoutingRules
from gateway.partitions.shape import QueryShape, ShapeCache
from gateway.transport.base import SubgraphRequest, SubgraphTransport, TransportError

BRAND_HEADER = "x-brand"
UNKNOWN_BRAND = "UNKNOWN_BRAND"
BRAND_REQUIRED = "BRAND_REQUIRED"


class PartitionedTransport:
    def __init__(
        self,
        name: str,
        partitions: Mapping[str, SubgraphTransport],
        rules: RoutingRules | None = None,
    ) -> None:
        if not partitions:
            raise ValueError(f"partitioned subgraph '{name}' has no partitions")
        self.name = name
        self.partitions = dict(partitions)  # brand -> transport, in fan-out order
        self.rules = rules or RoutingRules()
        self._shapes = ShapeCache()
        self._in_flight: dict[int, int] = {}  # id(partition transport) -> requests running

    async def fetch(self, request: SubgraphRequest) -> dict[str, Any]:
        shape = self._shapes.shape(request.query)
        variables = request.variables or {}
        if any(isinstance(variables.get(v), list) for v in shape.entity_variables):
            return await self._entities(request, shape)
        group_wide = [r.response_key for r in shape.roots if r.name in self.rules.group_wide]
        if group_wide:
            return await self._fan_out(request, group_wide)
        owners = self._brands_of_ids(request, shape)
        if owners:
            return await self._send_by_owner(request, shape, owners)
        return await self._send(self._brand_of_request(request, shape), request)

    async def aclose(self) -> None:
        for transport in self.partitions.values():
            await transport.aclose()

    # -- reconfiguring (gateway/partitions/reload.py) ----------------------------------------

    def swap(
        self, partitions: Mapping[str, SubgraphTransport], rules: RoutingRules | None = None
    ) -> list[SubgraphTransport]:
        """Switch to new partitions (and rules) at once; returns the transports no longer
        used, for `retire`. Requests already sent keep their transport until they finish."""
        if not partitions:
            raise ValueError(f"partitioned subgraph '{self.name}' has no partitions")
        kept = {id(t) for t in partitions.values()}
        dropped = [t for t in self.partitions.values() if id(t) not in kept]
        self.partitions = dict(partitions)
        if rules is not None:
            self.rules = rules
        return dropped

    async def retire(self, transports: list[SubgraphTransport], grace: float) -> None:
        """Close `transports` once their in-flight requests finish, or after `grace` seconds."""
        loop = asyncio.get_running_loop()
        deadline = loop.time() + grace
        try:
            while any(self._in_flight.get(id(t)) for t in transports) and loop.time() < deadline:
                await asyncio.sleep(0.02)
        finally:
            for transport in transports:
                await transport.aclose()

    # -- entities --------------------------------------------------------------------------

    async def _entities(self, request: SubgraphRequest, shape: QueryShape) -> dict[str, Any]:
        variables = dict(request.variables or {})
        entity_variables = [v for v in shape.entity_variables if isinstance(variables.get(v), list)]
        aliases_of: dict[str, list[str]] = {}
        for alias, variable in shape.entities:
            aliases_of.setdefault(variable, []).append(alias)
        # brand -> variable -> original indexes of that brand's representations
        routed: dict[str, dict[str, list[int]]] = {}
        errors: list[dict[str, Any]] = []
        # An entity whose key names no brand (a Member extended by a brand's content) is the
        # request's brand's business: route it by the X-Brand header.
        request_brand = _header(request.headers, BRAND_HEADER)
        for variable in entity_variables:
            for index, representation in enumerate(variables[variable]):
                brand = self.rules.brand_of(representation) or request_brand
                if brand in self.partitions:
                    routed.setdefault(brand, {}).setdefault(variable, []).append(index)
                    continue
                problem = (
                    f"unknown brand {brand!r}" if brand is not None else "no brand could be read"
                )
                for alias in aliases_of.get(variable, ()):
                    errors.append(
                        _error(
                            f"cannot route entity of subgraph '{self.name}': {problem} "
                            f"(from {self.rules.describe(representation)})",
                            [alias, index],
                            UNKNOWN_BRAND,
                            brand,
                        )
                    )
        brands = [b for b in self.partitions if b in routed]  # config order
        requests = []
        for brand in brands:
            subset = dict(variables)
            for variable in entity_variables:
                reps = variables[variable]
                subset[variable] = [reps[i] for i in routed[brand].get(variable, ())]
            requests.append(replace(request, variables=subset))
        responses = await asyncio.gather(
            *(self._try_send(b, r) for b, r in zip(brands, requests, strict=True))
        )
        results: dict[str, list[Any]] = {
            alias: [None] * len(variables[variable])
            for alias, variable in shape.entities
            if variable in entity_variables
        }
        variable_of = dict(shape.entities)
        for brand, response in zip(brands, responses, strict=True):
            indexes = routed[brand]
            if isinstance(response, TransportError):
                for alias in results:
                    own = indexes.get(variable_of[alias])
                    if own:
                        errors.append(self._failure(brand, response, [alias, own[0]]))
                continue
            data = response.get("data")
            for alias, result in results.items():
                own = indexes.get(variable_of[alias], [])
                found = data.get(alias) if isinstance(data, dict) else None
                if isinstance(found, list):
                    for position, index in enumerate(own):
                        if position < len(found):
                            result[index] = found[position]
            for error in response.get("errors") or ():
                errors.append(_reindexed(error, indexes, variable_of))
        body: dict[str, Any] = {"data": results}
        if errors:
            body["errors"] = errors
        return body

    # -- root fields -----------------------------------------------------------------------

    async def _fan_out(self, request: SubgraphRequest, fields: list[str]) -> dict[str, Any]:
        brands = list(self.partitions)
        responses = await asyncio.gather(*(self._try_send(b, request) for b in brands))
        data: dict[str, Any] | None = None
        lists: dict[str, list[Any]] = {key: [] for key in fields}
        errors: list[dict[str, Any]] = []
        failures: list[TransportError] = []
        for brand, response in zip(brands, responses, strict=True):
            if isinstance(response, TransportError):
                failures.append(response)
                errors.extend(self._failure(brand, response, [key]) for key in fields)
                continue
            part = response.get("data")
            offsets = {key: len(items) for key, items in lists.items()}
            if isinstance(part, dict):
                if data is None:
                    data = dict(part)  # the other root fields come from the first brand
                for key in fields:
                    if isinstance(part.get(key), list):
                        lists[key].extend(part[key])
            for error in response.get("errors") or ():
                errors.append(_offset(error, offsets))
        if len(failures) == len(brands):
            raise TransportError("; ".join(str(f) for f in failures), code=failures[0].code)
        body: dict[str, Any] = {"data": None if data is None else {**data, **lists}}
        if errors:
            body["errors"] = errors
        return body

    def _brands_of_ids(self, request: SubgraphRequest, shape: QueryShape) -> dict[str, str]:
        """response key -> brand, for root fields whose `id` argument names a brand."""
        if self.rules.brand_from != "prefix":
            return {}
        variables = request.variables or {}
        owners: dict[str, str] = {}
        for root in shape.roots:
            value = root.id_literal
            if root.id_variable is not None:
                value = variables.get(root.id_variable)
            brand = self.rules.brand_of({self.rules.key_field: value})
            if brand is not None:
                owners[root.response_key] = brand
        return owners

    async def _send_by_owner(
        self, request: SubgraphRequest, shape: QueryShape, owners: dict[str, str]
    ) -> dict[str, Any]:
        unknown = {key: brand for key, brand in owners.items() if brand not in self.partitions}
        if any(r.response_key not in owners for r in shape.roots):
            default = self._brand_of_request(request, shape)
            owners = {r.response_key: owners.get(r.response_key, default) for r in shape.roots}
        brands = list(dict.fromkeys(b for b in owners.values() if b in self.partitions))
        if not unknown and len(brands) == 1:
            return await self._send(brands[0], request)
        if shape.mutation and len(brands) > 1:
            raise TransportError(
                f"this mutation changes data of several brands of subgraph '{self.name}' "
                f"({', '.join(brands)}); send one mutation per brand",
                code=BRAND_REQUIRED,
            )
        responses = await asyncio.gather(*(self._try_send(b, request) for b in brands))
        answers = dict(zip(brands, responses, strict=True))
        data: dict[str, Any] = {}
        errors: list[dict[str, Any]] = []
        for key, brand in owners.items():
            if brand in unknown.values() and key in unknown:
                data[key] = None
                errors.append(
                    _error(
                        f"unknown brand {brand!r} in the id argument for subgraph '{self.name}' "
                        f"(brands: {', '.join(self.partitions)})",
                        [key],
                        UNKNOWN_BRAND,
                        brand,
                    )
                )
                continue
            answer = answers[brand]
            if isinstance(answer, TransportError):
                data[key] = None
                errors.append(self._failure(brand, answer, [key]))
                continue
            part = answer.get("data")
            data[key] = part.get(key) if isinstance(part, dict) else None
        for brand, answer in answers.items():
            if isinstance(answer, TransportError):
                continue
            for error in answer.get("errors") or ():
                path = error.get("path") if isinstance(error, dict) else None
                if not path or owners.get(path[0]) == brand:
                    errors.append(error)
        body: dict[str, Any] = {"data": data}
        if errors:
            body["errors"] = errors
        return body

    def _brand_of_request(self, request: SubgraphRequest, shape: QueryShape) -> str:
        header = _header(request.headers, BRAND_HEADER)
        if header is not None:
            return self._known(header, "X-Brand header")
        variables = request.variables or {}
        found: set[str] = set()
        for root in shape.roots:
            value = root.brand_literal
            if root.brand_variable is not None:
                value = variables.get(root.brand_variable)
            if isinstance(value, str):
                found.add(value)
        if len(found) > 1:
            raise TransportError(
                f"subgraph '{self.name}' is partitioned by brand and this request names several "
                f"brands ({', '.join(sorted(found))}); send one brand per request",
                code=BRAND_REQUIRED,
            )
        if found:
            return self._known(found.pop(), "brand argument")
        raise TransportError(
            f"subgraph '{self.name}' is partitioned by brand: send an X-Brand header or a "
            f"brand argument (brands: {', '.join(self.partitions)})",
            code=BRAND_REQUIRED,
        )

    def _known(self, brand: str, where: str) -> str:
        if brand not in self.partitions:
            raise TransportError(
                f"unknown brand {brand!r} in {where} for subgraph '{self.name}' "
                f"(brands: {', '.join(self.partitions)})",
                code=UNKNOWN_BRAND,
            )
        return brand

    # -- sending ---------------------------------------------------------------------------

    async def _send(self, brand: str, request: SubgraphRequest) -> dict[str, Any]:
        try:
            return await self._call(brand, request)
        except TransportError as error:
            raise TransportError(
                f"partition '{brand}' of subgraph '{self.name}' failed: {error}", code=error.code
            ) from None

    async def _try_send(
        self, brand: str, request: SubgraphRequest
    ) -> dict[str, Any] | TransportError:
        try:
            return await self._call(brand, request)
        except TransportError as error:
            return error

    async def _call(self, brand: str, request: SubgraphRequest) -> dict[str, Any]:
        transport = self.partitions.get(brand)
        if transport is None:  # the brand was removed by a reload while this request ran
            raise TransportError(f"brand {brand!r} was just removed", code=UNKNOWN_BRAND)
        key = id(transport)
        self._in_flight[key] = self._in_flight.get(key, 0) + 1
        try:
            return await transport.fetch(request)
        finally:
            self._in_flight[key] -= 1
            if not self._in_flight[key]:
                del self._in_flight[key]

    def _failure(self, brand: str, error: TransportError, path: list[Any]) -> dict[str, Any]:
        return _error(
            f"partition '{brand}' of subgraph '{self.name}' failed: {error}",
            path,
            error.code,
            brand,
        )


def _error(message: str, path: list[Any], code: str, brand: str | None) -> dict[str, Any]:
    extensions: dict[str, Any] = {"code": code}
    if brand is not None:
        extensions["brand"] = brand
    return {"message": message, "path": path, "extensions": extensions}


def _reindexed(error: Any, indexes: Mapping[str, list[int]], variable_of: Mapping[str, str]) -> Any:
    """A partition's error with `[alias, i, ...]` rewritten to the original index."""
    path = error.get("path") if isinstance(error, dict) else None
    if not (isinstance(path, list) and len(path) >= 2 and isinstance(path[1], int)):
        return error
    own = indexes.get(variable_of.get(path[0], ""), [])
    if not 0 <= path[1] < len(own):
        return error
    return {**error, "path": [path[0], own[path[1]], *path[2:]]}


def _offset(error: Any, offsets: Mapping[str, int]) -> Any:
    """A fanned-out partition's error with `[field, i, ...]` moved to the concatenated list."""
    path = error.get("path") if isinstance(error, dict) else None
    if not (isinstance(path, list) and len(path) >= 2 and isinstance(path[1], int)):
        return error
    if path[0] not in offsets:
        return error
    return {**error, "path": [path[0], path[1] + offsets[path[0]], *path[2:]]}


def _header(headers: Mapping[str, str], name: str) -> str | None:
    for key, value in headers.items():
        if key.lower() == name:
            return value
    return None
