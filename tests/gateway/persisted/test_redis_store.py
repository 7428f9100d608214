"""The Redis APQ store against a real Redis (127.0.0.1:6379, or one started here)."""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import AsyncIterator, Iterator

import pytest
from redis.asyncio import Redis

from gateway.persisted import PersistedQueries, RedisStore, sha256_hex
from gateway.service import GraphQLRequest

DEFAULT_URL = "redis://127.0.0.1:6379/0"


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _answers(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=0.5) as sock:
            sock.sendall(b"PING\r\n")
            return sock.recv(16).startswith(b"+PONG")
    except OSError:
        return False


@pytest.fixture(scope="module")
def redis_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The machine's Redis; else a throwaway redis-server of our own; else fail (every machine
    of this project runs Redis: a silent skip would hide a broken store)."""
    if _answers(6379):
        yield DEFAULT_URL
        return
    server = shutil.which("redis-server")
    if server is None:
        pytest.fail(
            "no Redis at 127.0.0.1:6379 and no redis-server to start: start Redis with "
            "`redis-server --daemonize yes --bind 127.0.0.1 --port 6379 --save ''`; "
            "these tests do not skip",
            pytrace=False,
        )
    port = _free_port()
    process = subprocess.Popen(
        [
            server,
            "--bind",
            "127.0.0.1",
            "--port",
            str(port),
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            str(tmp_path_factory.mktemp("redis")),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 10
        while not _answers(port):
            assert time.monotonic() < deadline, "redis-server did not start"
            time.sleep(0.05)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)


@pytest.fixture
async def prefix(redis_url: str) -> AsyncIterator[str]:
    """A key prefix of this test's own, removed afterwards."""
    prefix = f"brand-matrix-test:{uuid.uuid4().hex}:"
    yield prefix
    client = Redis.from_url(redis_url)
    keys = [key async for key in client.scan_iter(match=prefix + "*")]
    if keys:
        await client.delete(*keys)
    await client.aclose()


async def test_replicas_share_registrations(redis_url: str, prefix: str) -> None:
    one = RedisStore.from_url(redis_url, prefix=prefix)
    two = RedisStore.from_url(redis_url, prefix=prefix)
    document = "{ hello }"
    digest = sha256_hex(document)
    assert await two.get(digest) is None
    await one.put(digest, document)
    assert await two.get(digest) == document
    await one.aclose()
    await two.aclose()


async def test_entries_expire_unless_used(redis_url: str, prefix: str) -> None:
    store = RedisStore.from_url(redis_url, prefix=prefix, ttl_seconds=60)
    await store.put("h", "{ hello }")
    client = Redis.from_url(redis_url)
    assert 0 < await client.ttl(prefix + "h") <= 60
    await client.expire(prefix + "h", 5)
    assert await store.get("h") == "{ hello }"  # a read renews the lease
    assert await client.ttl(prefix + "h") > 5
    await client.aclose()
    await store.aclose()


async def test_apq_over_redis_end_to_end(redis_url: str, prefix: str) -> None:
    document = "{ hello }"
    digest = sha256_hex(document)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": digest}}
    first = PersistedQueries(RedisStore.from_url(redis_url, prefix=prefix))
    second = PersistedQueries(RedisStore.from_url(redis_url, prefix=prefix))
    resolution = await first.resolve(GraphQLRequest(document, extensions=extensions))
    assert resolution.error is None and resolution.register == (digest, document)
    await first.register(*resolution.register)
    by_hash = await second.resolve(GraphQLRequest(None, extensions=extensions))
    assert by_hash.error is None and by_hash.request.query == document
    await first.aclose()
    await second.aclose()


async def test_an_unreachable_redis_means_not_found_not_a_failure() -> None:
    store = RedisStore.from_url(f"redis://127.0.0.1:{_free_port()}/0")
    persisted = PersistedQueries(store)
    extensions = {"persistedQuery": {"version": 1, "sha256Hash": sha256_hex("{ hello }")}}
    resolution = await persisted.resolve(GraphQLRequest(None, extensions=extensions))
    assert resolution.error is not None
    assert resolution.error["extensions"]["code"] == "PERSISTED_QUERY_NOT_FOUND"
    await persisted.register(sha256_hex("{ hello }"), "{ hello }")  # logged, not raised
    await persisted.aclose()
