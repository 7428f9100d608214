"""Fetch subgraph SDLs live: POST `{ _service { sdl } }` to each subgraph, all in parallel.

Every failure (refused connection, timeout, an answer that is not GraphQL, GraphQL errors, no
SDL in the answer) becomes one line naming the subgraph and the URL; never a traceback.
"""

from __future__ import annotations

import asyncio
import os
from typing import Any

import aiohttp
import orjson

SERVICE_QUERY = "query SubgraphSdl { _service { sdl } }"
_ACCEPT = "application/graphql-response+json, application/json;q=0.9"
_MAX_SHOWN = 200  # characters of an unexpected answer quoted in a message


def fetch_sdls(
    targets: list[tuple[str, str]], *, timeout: float = 10.0
) -> tuple[dict[str, str], list[str]]:
    """`{name: sdl}` for the (name, url) targets that answered, and one line per failure."""
    return asyncio.run(fetch_sdls_async(targets, timeout=timeout))


async def fetch_sdls_async(
    targets: list[tuple[str, str]], *, timeout: float = 10.0
) -> tuple[dict[str, str], list[str]]:
    """`fetch_sdls` for callers already inside an event loop."""
    client_timeout = aiohttp.ClientTimeout(total=timeout)
    async with aiohttp.ClientSession(timeout=client_timeout) as session:
        results = await asyncio.gather(
            *(_fetch_one(session, name, url, timeout) for name, url in targets)
        )
    sdls: dict[str, str] = {}
    problems: list[str] = []
    for (name, _), (sdl, problem) in zip(targets, results, strict=True):
        if sdl is not None:
            sdls[name] = sdl
        else:
            problems.append(problem or f"subgraph {name}: no schema")
    return sdls, problems


async def _fetch_one(
    session: aiohttp.ClientSession, name: str, url: str, timeout: float
) -> tuple[str | None, str | None]:
    prefix = f"subgraph {name}: cannot fetch its schema from {url}"
    body = orjson.dumps({"query": SERVICE_QUERY, "operationName": "SubgraphSdl"})
    from gateway.subgraph_secret import outgoing_headers  # subgraphs answer the gateway only

    headers = {"content-type": "application/json", "accept": _ACCEPT, **outgoing_headers()}
    try:
        async with session.post(url, data=body, headers=headers) as response:
            status, reason = response.status, response.reason or ""
            content_type = response.headers.get("content-type", "")
            raw = await response.read()
    except TimeoutError:
        return None, f"{prefix}: no answer within {timeout:g}s"
    except aiohttp.ClientConnectorError as error:
        return None, f"{prefix}: {_connect_reason(error)}"
    except aiohttp.InvalidURL:
        return None, f"{prefix}: invalid URL"
    except (aiohttp.ClientError, OSError) as error:
        return None, f"{prefix}: {type(error).__name__}: {error}"
    return _sdl_from_answer(prefix, status, reason, content_type, raw)


def _sdl_from_answer(
    prefix: str, status: int, reason: str, content_type: str, raw: bytes
) -> tuple[str | None, str | None]:
    http = f"HTTP {status}{' ' + reason if reason else ''}"
    try:
        answer: Any = orjson.loads(raw)
    except orjson.JSONDecodeError:
        kind = content_type.split(";")[0].strip() or "no content type"
        return None, f"{prefix}: the answer is not a GraphQL response ({http}, {kind}): " + (
            _excerpt(raw)
        )
    if not isinstance(answer, dict) or not ("data" in answer or "errors" in answer):
        return None, f"{prefix}: the answer is not a GraphQL response ({http}): {_excerpt(raw)}"
    errors = answer.get("errors")
    if errors:
        messages = [
            str(e.get("message", e)) if isinstance(e, dict) else str(e)
            for e in (errors if isinstance(errors, list) else [errors])
        ]
        return None, (
            f"{prefix}: the subgraph answered with errors ({http}): {'; '.join(messages)} "
            "(is it a federation subgraph serving _service { sdl }?)"
        )
    if not 200 <= status < 300:
        return None, f"{prefix}: {http}"
    data = answer.get("data")
    service = data.get("_service") if isinstance(data, dict) else None
    sdl = service.get("sdl") if isinstance(service, dict) else None
    if not isinstance(sdl, str) or not sdl.strip():
        return None, f"{prefix}: the answer has no data._service.sdl string: {_excerpt(raw)}"
    return sdl, None


def _connect_reason(error: aiohttp.ClientConnectorError) -> str:
    os_error = getattr(error, "os_error", None)
    errno = getattr(os_error, "errno", None)
    if isinstance(errno, int) and errno > 0:
        return f"cannot connect: {os.strerror(errno).lower()}"
    strerror = getattr(os_error, "strerror", None)
    if isinstance(strerror, str) and strerror:  # e.g. a host name that does not resolve
        return f"cannot connect: {strerror.lower()}"
    return f"cannot connect: {os_error or error}"


def _excerpt(raw: bytes) -> str:
    text = " ".join(raw.decode("utf-8", errors="replace").split())
    if not text:
        return "(empty body)"
    return text if len(text) <= _MAX_SHOWN else text[:_MAX_SHOWN] + "..."
