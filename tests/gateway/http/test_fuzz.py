"""Fuzzing the HTTP surface (issue #8): hypothesis-generated requests against the real app.

`gateway.http.create_app` serves a real Gateway over the benchmark's four subgraphs, in
process. Every generated request must complete within a few seconds with a status below 500,
a JSON body (or the GraphiQL page for a browser GET) whose `errors`, when present, are
objects with a string `message`, no traceback, and no ERROR logged by the gateway.

CI runs a fixed, derandomized set of examples. For a longer, random run:

    BRAND_MATRIX_FUZZ_EXAMPLES=3000 pytest -s tests/gateway/http/test_fuzz.py

(examples per property; the number of inputs tried is printed at the end).
"""

from __future__ import annotations

import asyncio
import logging
import os
import signal
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

import orjson
import pytest
from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLList,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLSchema,
    get_named_type,
    is_leaf_type,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from starlette.applications import Starlette

from bench.subgraphs import subgraph_apps
from gateway.auth import GatewayAuth
from gateway.contracts import ContractSpec
from gateway.http import create_app
from gateway.limits.settings import LimitsSettings, build_limits
from gateway.service import Gateway
from gateway.supergraph_state import build_supergraph
from gateway.transport.asgi import AsgiTransport
from gateway.usage import UsageRecorder
from gateway.usage.endpoint import USAGE_PATH, usage_endpoint

SUPERGRAPH = (Path(__file__).parents[3] / "bench" / "data" / "supergraph.graphql").read_text()
API_SCHEMA: GraphQLSchema = build_supergraph(SUPERGRAPH).api_schema
# The GraphQL endpoints: the full schema, and a contract's (also chosen on /graphql by X-Brand).
GRAPHQL_PATHS = ("/graphql", "/contracts/edge/graphql")
CONTRACT = ContractSpec("edge", exclude_tags=frozenset({"internal"}), brands=("aurora",))
MAX_BODY = 64 * 1024  # small, so bodies near and above the limit stay cheap to generate
TIMEOUT = 5.0  # seconds per request: longer is a hang

_LOCAL = os.environ.get("BRAND_MATRIX_FUZZ_EXAMPLES")
EXAMPLES = int(_LOCAL) if _LOCAL else 300
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    derandomize=not _LOCAL,  # CI: the same inputs every run; locally: new ones each time
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class _Counter:
    tried = 0


# -- the app under test, and a raw ASGI client --------------------------------------------


class _Errors(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@dataclass
class Fuzzed:
    app: Starlette
    loop: asyncio.AbstractEventLoop
    errors: _Errors


@pytest.fixture(scope="module")
def fuzzed() -> Iterator[Fuzzed]:
    loop = asyncio.new_event_loop()
    transports = {name: AsgiTransport(name, app) for name, app in subgraph_apps().items()}
    gateway = Gateway(
        SUPERGRAPH,
        transports=transports,
        subgraph_timeout=TIMEOUT,
        forward_headers=("authorization", "x-forward-me"),
        brands=frozenset({"lumen", "aurora"}),
        limits=build_limits(LimitsSettings()),  # `serve`'s defaults: depth 15, 30 aliases...
        auth=GatewayAuth(),  # tokens verified (the development key): odd Authorization headers
        usage=UsageRecorder(),
        contracts=[CONTRACT],
    )
    app = create_app(gateway, max_body_size=MAX_BODY)
    app.add_route(USAGE_PATH, usage_endpoint(gateway.usage), methods=["GET"])
    errors = _Errors()
    logger = logging.getLogger("gateway")
    logger.addHandler(errors)
    try:
        yield Fuzzed(app, loop, errors)
    finally:
        logger.removeHandler(errors)
        loop.run_until_complete(gateway.aclose())
        loop.close()


@dataclass
class Reply:
    status: int
    headers: dict[bytes, bytes]
    body: bytes


async def _call(
    app: Starlette,
    method: str,
    path: str,
    query_string: bytes,
    headers: list[tuple[bytes, bytes]],
    chunks: list[bytes],
) -> Reply:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": method,
        "scheme": "http",
        "path": path,
        "raw_path": path.encode("utf-8", "surrogatepass"),
        "query_string": query_string,
        "root_path": "",
        "headers": headers,
        "client": ("127.0.0.1", 50000),
        "server": ("127.0.0.1", 4000),
    }
    pending = list(chunks) or [b""]
    status = 0
    response_headers: dict[bytes, bytes] = {}
    parts: list[bytes] = []

    async def receive() -> dict[str, Any]:
        if pending:
            chunk = pending.pop(0)
            return {"type": "http.request", "body": chunk, "more_body": bool(pending)}
        await asyncio.Event().wait()  # the client stays connected until the app answers
        return {"type": "http.disconnect"}

    async def send(message: dict[str, Any]) -> None:
        nonlocal status
        if message["type"] == "http.response.start":
            status = message["status"]
            response_headers.update((k.lower(), v) for k, v in message.get("headers", []))
        elif message["type"] == "http.response.body":
            parts.append(message.get("body", b""))

    await app(scope, receive, send)
    return Reply(status, response_headers, b"".join(parts))


def send(
    fuzzed: Fuzzed,
    method: str = "POST",
    *,
    body: bytes = b"",
    headers: list[tuple[bytes, bytes]] | None = None,
    query_string: bytes = b"",
    path: str = "/graphql",
    chunks: list[bytes] | None = None,
    content_type: bytes | None = b"application/json",
) -> Reply:
    """One request, checked against the properties every answer must have."""
    header_list = list(headers or [])
    names = {name.lower() for name, _ in header_list}
    if content_type is not None and b"content-type" not in names:
        header_list.append((b"content-type", content_type))
    if chunks is None:
        chunks = [body]
        if method == "POST" and b"content-length" not in names:
            header_list.append((b"content-length", str(len(body)).encode()))
    _Counter.tried += 1
    fuzzed.errors.records.clear()
    call = _call(fuzzed.app, method, path, query_string, header_list, chunks)
    started = time.monotonic()
    # wait_for ends a request stuck awaiting; the alarm one stuck computing (the in-process
    # subgraphs share the event loop, so a CPU-bound hang would never reach an await).
    previous = signal.signal(signal.SIGALRM, _hung)
    signal.setitimer(signal.ITIMER_REAL, TIMEOUT + 1)
    try:
        reply = fuzzed.loop.run_until_complete(asyncio.wait_for(call, TIMEOUT))
    except TimeoutError:
        pytest.fail(f"no answer within {TIMEOUT}s (a hang)")
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    assert time.monotonic() - started < TIMEOUT, "answered, but too slowly"
    check(reply, fuzzed, asset=path.startswith("/graphiql/"), graphql=path in GRAPHQL_PATHS)
    return reply


def _hung(signum: int, frame: Any) -> None:
    raise AssertionError(f"no answer within {TIMEOUT}s: the request is stuck computing")


def check(reply: Reply, fuzzed: Fuzzed, *, asset: bool = False, graphql: bool = True) -> None:
    logged = [r.getMessage() for r in fuzzed.errors.records]
    assert not logged, f"the gateway logged errors: {logged}"
    assert 100 <= reply.status < 500, (reply.status, reply.body[:500])
    assert b"Traceback (most recent call last)" not in reply.body
    if asset and reply.status in (200, 304):
        return  # a GraphiQL file (script, style sheet, licence)
    content_type = reply.headers.get(b"content-type", b"").split(b";")[0].strip()
    if content_type == b"text/html":
        assert reply.status == 200 and b"graphiql" in reply.body.lower()
        return
    assert content_type in (
        b"application/json",
        b"application/graphql-response+json",
    ), (reply.status, content_type, reply.body[:200])
    payload = orjson.loads(reply.body)
    assert isinstance(payload, dict), payload
    assert "errors" in payload or "data" in payload or not graphql, payload
    if "errors" in payload:
        errors = payload["errors"]
        assert isinstance(errors, list) and errors, payload
        for error in errors:
            assert isinstance(error, dict) and isinstance(error.get("message"), str), error
    if reply.status >= 400:
        assert "errors" in payload, payload


# -- strategies ---------------------------------------------------------------------------

ODD_TEXT = st.sampled_from(
    [
        "",
        " ",
        "\x00",
        "\u200b",  # zero-width space
        "\u200f\u202e",  # right-to-left mark and override
        "\ufeff",  # byte order mark
        "שלום עולם",
        "مرحبا",
        "\U0001f600",
        "a\u0301",  # combining accent
        "\\",
        '"',
        "\r\n",
        "{",
        "}",
        "${",
        "%00",
        "NaN",
        "Infinity",
        "-0",
        "1e309",
        "null",
        "__proto__",
        "Traceback",
    ]
)
TEXT = st.one_of(
    st.text(max_size=40),
    ODD_TEXT,
    st.text(alphabet=st.characters(codec="utf-8"), max_size=5),
)
NAME = st.from_regex(r"[_A-Za-z][_0-9A-Za-z]{0,12}", fullmatch=True)
HUGE_INTS = st.sampled_from([2**31, -(2**31) - 1, 2**53 + 1, 2**63 - 1, -(2**63), 2**64 - 1])
JSON_SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(2**63), max_value=2**64 - 1),
    HUGE_INTS,
    st.floats(allow_nan=False, allow_infinity=False),
    TEXT,
)
JSON_VALUES = st.recursive(
    JSON_SCALARS,
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=20,
)


def _nested_json(depth: int, kind: str) -> orjson.Fragment:
    """JSON nested `depth` levels (as a Fragment: orjson itself refuses to nest that deep)."""
    opener, closer = (b"[", b"]") if kind == "list" else (b'{"a":', b"}")
    return orjson.Fragment(opener * depth + b"1" + closer * depth)


DEEP_JSON_BYTES = st.builds(
    lambda depth, opener, closer, leaf: opener * depth + leaf + closer * depth,
    st.integers(min_value=1, max_value=20_000),
    st.sampled_from([b"[", b'{"a":']),
    st.sampled_from([b"]", b"}"]),
    st.sampled_from([b"1", b'""', b"null"]),
)


# GraphQL literals: right and wrong types, odd numbers, escapes (some of them invalid).
def _string_literal(text: str) -> str:
    return orjson.dumps(text).decode()


GRAPHQL_VALUE_LEAVES = st.one_of(
    st.integers(min_value=-(10**30), max_value=10**30).map(str),
    HUGE_INTS.map(str),
    st.floats(allow_nan=False, allow_infinity=False).map(repr),
    TEXT.map(_string_literal),
    st.sampled_from(
        [
            "true",
            "false",
            "null",
            "NaN",
            "Infinity",
            "-Infinity",
            "1e999",
            "0x10",
            "01",
            "ENUM_VALUE",
            '"\\ud800"',
            '"\\udc00\\ud800"',
            '"\\ud83d\\ude00"',
            '"\\u{D800}"',
            '"\\u{10FFFF}"',
            '"\\u{110000}"',
            '"\\x41"',
            '"""block \\""" string"""',
            "$v",
            "$missing",
        ]
    ),
)
GRAPHQL_VALUES = st.recursive(
    GRAPHQL_VALUE_LEAVES,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3).map(lambda items: "[" + ", ".join(items) + "]"),
        st.dictionaries(NAME, inner, max_size=3).map(
            lambda fields: "{" + ", ".join(f"{k}: {v}" for k, v in fields.items()) + "}"
        ),
    ),
    max_leaves=8,
)
VARIABLE_TYPES = st.sampled_from(
    ["Int", "Int!", "ID", "ID!", "String", "Boolean!", "Float", "[Int]", "[[ID!]!]", "User",
     "Unknown", "[String!]!", "Product"]
)  # fmt: skip
OBJECT_TYPES = [t for t in API_SCHEMA.type_map.values() if isinstance(t, GraphQLObjectType)]
TYPE_NAMES = st.sampled_from([*sorted(API_SCHEMA.type_map), "Nope", "Query"])


@st.composite
def selection_sets(draw: st.DrawFn, parent: GraphQLObjectType, depth: int = 0) -> str:
    """`{ ... }` over `parent`'s fields, with aliases, arguments of any type, unknown fields,
    subselections on leaves, inline fragments and spreads of the operation's fragments."""
    items: list[str] = []
    fields = sorted(parent.fields.items())
    for _ in range(draw(st.integers(min_value=1, max_value=4))):
        kind = draw(st.sampled_from(["field"] * 6 + ["typename", "unknown", "inline", "spread"]))
        if kind == "typename":
            items.append("__typename")
        elif kind == "unknown":
            items.append(draw(NAME))
        elif kind == "spread":
            items.append("..." + draw(st.sampled_from(["F", "G", "Missing"])))
        elif kind == "inline" and depth < 4:
            on = draw(st.one_of(st.none(), TYPE_NAMES))
            inner = draw(selection_sets(parent, depth + 1))
            items.append(f"... {'on ' + on if on else ''} {inner}")
        else:
            name, field = draw(st.sampled_from(fields))
            alias = draw(st.one_of(st.none(), NAME))
            text = f"{alias}: {name}" if alias else name
            arg_names = [*sorted(field.args), "bogus"]
            args = draw(st.dictionaries(st.sampled_from(arg_names), GRAPHQL_VALUES, max_size=3))
            if args:
                text += "(" + ", ".join(f"{k}: {v}" for k, v in args.items()) + ")"
            if draw(st.booleans()) and draw(st.booleans()):
                directive = draw(st.sampled_from(["include", "skip", "deprecated", "nope"]))
                text += f" @{directive}(if: {draw(GRAPHQL_VALUES)})"
            target = get_named_type(field.type)
            if isinstance(target, GraphQLObjectType) and depth < 4:
                if draw(st.integers(0, 9)):  # now and then, a composite without a selection
                    text += " " + draw(selection_sets(target, depth + 1))
            elif is_leaf_type(target) and not draw(st.integers(0, 9)):
                text += " { id }"  # a selection on a leaf
            items.append(text)
    return "{ " + " ".join(items) + " }"


@st.composite
def documents(draw: st.DrawFn) -> tuple[str, str | None, dict[str, Any] | None]:
    """A GraphQL document from the API schema's fields, its operation name and variables."""
    query_type = API_SCHEMA.query_type
    assert query_type is not None
    operation_kind = draw(st.sampled_from(["query"] * 8 + ["mutation", "subscription", ""]))
    name = draw(st.one_of(st.none(), NAME))
    variables = draw(st.dictionaries(st.sampled_from(["v", "w", "id"]), VARIABLE_TYPES))
    header = operation_kind
    if operation_kind and name:
        header += f" {name}"
    if operation_kind and variables:
        header += "(" + ", ".join(f"${k}: {t}" for k, t in variables.items()) + ")"
    body = draw(selection_sets(query_type))
    parts = [f"{header} {body}"]
    for fragment in ("F", "G"):
        if draw(st.booleans()):
            on = draw(st.sampled_from([t.name for t in OBJECT_TYPES] + ["Nope"]))
            target = API_SCHEMA.get_type(on)
            inner = (
                draw(selection_sets(target, 3))
                if isinstance(target, GraphQLObjectType)
                else "{ id }"
            )
            parts.append(f"fragment {fragment} on {on} {inner}")
    if draw(st.integers(0, 9)) == 0:
        parts.append(draw(selection_sets(query_type)))  # a second, anonymous operation
    document = "\n".join(draw(st.permutations(parts)))
    operation_name = draw(st.one_of(st.just(name), st.none(), TEXT))
    values = draw(
        st.one_of(
            st.none(),
            st.dictionaries(
                st.sampled_from(["v", "w", "id", "x"]),
                st.one_of(
                    JSON_VALUES,
                    st.builds(_nested_json, st.integers(1, 1500), st.sampled_from(["list", "obj"])),
                ),
                max_size=4,
            ),
        )
    )
    return document, operation_name, values


def _typed_value(graphql_type: Any, draw: st.DrawFn, depth: int = 0) -> Any:
    """A variable value of roughly the right type, now and then wrong."""
    if isinstance(graphql_type, GraphQLNonNull):
        return _typed_value(graphql_type.of_type, draw, depth)
    if isinstance(graphql_type, GraphQLList):
        return [_typed_value(graphql_type.of_type, draw, depth + 1) for _ in range(2)]
    if isinstance(graphql_type, GraphQLEnumType):
        return draw(st.sampled_from([*graphql_type.values, "NOPE"]))
    if isinstance(graphql_type, GraphQLInputObjectType) and depth < 3:
        return {k: _typed_value(f.type, draw, depth + 1) for k, f in graphql_type.fields.items()}
    return draw(JSON_SCALARS)


HEADER_NAMES = st.one_of(
    st.sampled_from(
        [
            b"accept",
            b"content-type",
            b"content-length",
            b"x-brand",
            b"authorization",
            b"x-forward-me",
            b"x-request-id",
            b"traceparent",
            b"host",
            b"transfer-encoding",
            b"connection",
            b"cookie",
            b"",
            b" ",
            b"x-\xff\xfe",
            b"X-Brand",
            b"Accept",
        ]
    ),
    st.binary(min_size=1, max_size=20),
)
HEADER_VALUES = st.one_of(
    st.binary(max_size=60),
    TEXT.map(lambda s: s.encode("utf-8", "surrogatepass")),
    st.sampled_from(
        [
            b"lumen",
            b"aurora",
            b"LUMEN",
            b"lumen\r\nx-injected: 1",
            b"lumen\x00",
            b"Bearer ",
            b"Bearer a.b.c",
            b"Bearer \xff\xfe",
            b"application/json; charset=latin-1",
            b"application/json; charset=",
            b'application/json; charset="UTF-8"',
            b"application/json;;;;",
            b"text/html",
            b"text/html;q=1, application/json;q=0.5",
            b"*/*;q=abc",
            b"application/graphql-response+json;q=0",
            b"application/*;q=nan",
            b"*/*;q=inf, application/json;q=-1",
            b"-1",
            b"99999999999999999999999999",
            b"1e3",
            b"\xe2\x80\x8b",
            b"00-" + b"0" * 32 + b"-" + b"0" * 16 + b"-01",
        ]
    ),
    st.integers(min_value=1, max_value=20_000).map(lambda n: b"x" * n),  # huge values
)
ACCEPTS = st.one_of(
    st.none(),
    st.sampled_from(
        [
            b"application/json",
            b"application/graphql-response+json",
            b"text/html",
            b"image/png",
            b"*/*",
            b"",
            b"application/*;q=0.1, text/html;q=0.9",
            b"application/graphql-response+json;q=2, application/json;q=NaN",
        ]
    ),
    HEADER_VALUES,
)


def _json_body(payload: Any) -> bytes:
    return orjson.dumps(payload, option=orjson.OPT_NON_STR_KEYS)


# -- properties ---------------------------------------------------------------------------


@FUZZ
@given(
    body=st.one_of(st.binary(max_size=300), DEEP_JSON_BYTES),
    content_type=st.one_of(st.none(), st.sampled_from([b"application/json"]), HEADER_VALUES),
)
def test_arbitrary_bodies(fuzzed: Fuzzed, body: bytes, content_type: bytes | None) -> None:
    send(fuzzed, body=body, content_type=content_type)


FIELDS = st.sampled_from(["query", "operationName", "variables", "extensions", "other"])
QUERY_LIKE = st.one_of(JSON_VALUES, st.sampled_from(["{ me { id } }", "{ topProducts { upc } }"]))
PERSISTED = st.one_of(
    JSON_VALUES,
    st.fixed_dictionaries(
        {},
        optional={
            "version": st.one_of(st.just(1), JSON_VALUES),
            "sha256Hash": st.one_of(TEXT, JSON_VALUES, st.just("a" * 64)),
        },
    ),
)


@FUZZ
@given(
    payload=st.one_of(
        JSON_VALUES,
        st.fixed_dictionaries(
            {},
            optional={
                "query": QUERY_LIKE,
                "operationName": JSON_VALUES,
                "variables": JSON_VALUES,
                "extensions": st.one_of(
                    JSON_VALUES,
                    st.dictionaries(
                        st.sampled_from(["persistedQuery", "tracing", "x"]), PERSISTED, max_size=2
                    ),
                ),
                "other": JSON_VALUES,
            },
        ),
    ),
    accept=ACCEPTS,
    path=st.sampled_from(GRAPHQL_PATHS),
)
def test_json_bodies_of_any_shape(
    fuzzed: Fuzzed, payload: Any, accept: bytes | None, path: str
) -> None:
    headers = [(b"accept", accept)] if accept is not None else []
    send(fuzzed, body=_json_body(payload), headers=headers, path=path)


@FUZZ
@given(
    request=documents(),
    accept=ACCEPTS,
    method=st.sampled_from(["POST", "POST", "GET"]),
    brand=st.sampled_from([None, b"aurora", b"lumen", b"nope"]),  # aurora: the contract
)
def test_schema_shaped_documents(
    fuzzed: Fuzzed,
    request: tuple[str, str | None, dict[str, Any] | None],
    accept: bytes | None,
    method: str,
    brand: bytes | None,
) -> None:
    document, operation_name, variables = request
    headers = [(b"accept", accept)] if accept is not None else []
    headers += [(b"x-brand", brand)] if brand is not None else []
    if method == "POST":
        payload = {"query": document, "operationName": operation_name, "variables": variables}
        send(fuzzed, body=_json_body(payload), headers=headers)
        return
    params = {"query": document}
    if operation_name is not None:
        params["operationName"] = operation_name
    if variables is not None:
        params["variables"] = _json_body(variables).decode()
    query_string = urlencode(params).encode()
    send(fuzzed, "GET", query_string=query_string, headers=headers, content_type=None)


@FUZZ
@given(
    field=st.sampled_from(sorted(API_SCHEMA.query_type.fields.items()) if API_SCHEMA.query_type
                          else []),
    data=st.data(),
)  # fmt: skip
def test_variables_of_nearly_the_right_type(fuzzed: Fuzzed, field: Any, data: Any) -> None:
    name, definition = field
    args = sorted(definition.args.items())
    signature = ", ".join(f"${k}: {a.type}" for k, a in args)
    call = ", ".join(f"{k}: ${k}" for k, _ in args)
    target = get_named_type(definition.type)
    selection = " { __typename }" if isinstance(target, GraphQLObjectType) else ""
    query = f"query Q{'(' + signature + ')' if args else ''} {{ {name}"
    query += f"({call}){selection} }}" if args else f"{selection} }}"
    variables = {k: _typed_value(a.type, data.draw) for k, a in args}
    send(fuzzed, body=_json_body({"query": query, "variables": variables}))


@FUZZ
@given(
    depth=st.integers(min_value=1, max_value=5_000),
    shape=st.sampled_from(
        ["selections", "lists", "objects", "fragments", "inline", "parens", "type", "aliases"]
    ),
)
def test_deeply_nested_documents(fuzzed: Fuzzed, depth: int, shape: str) -> None:
    if shape == "selections":
        query = "{ me " + "{ reviews { author " * depth + "{ id }" + " } }" * depth + " }"
    elif shape == "lists":
        query = "{ user(id: " + "[" * depth + '"1"' + "]" * depth + ") { id } }"
    elif shape == "objects":
        query = "{ user(id: " + "{a: " * depth + "1" + "}" * depth + ") { id } }"
    elif shape == "fragments":  # a chain of fragments, each spreading the next
        chain = [f"fragment F{i} on User {{ id ...F{i + 1} }}" for i in range(min(depth, 1500))]
        chain.append(f"fragment F{min(depth, 1500)} on User {{ name }}")
        query = "{ me { ...F0 } }\n" + "\n".join(chain)
    elif shape == "inline":
        query = "{ me " + "{ ... on User " * depth + "{ id }" + " }" * depth + " }"
    elif shape == "parens":
        query = "(" * depth + ")" * depth
    elif shape == "type":
        query = "query($v: " + "[" * depth + "ID" + "]" * depth + ") { me { id } }"
    else:
        query = "{ " + " ".join(f"a{i}: me {{ id }}" for i in range(min(depth, 2000))) + " }"
    send(fuzzed, body=_json_body({"query": query}))
    params = urlencode({"query": query}).encode()
    send(fuzzed, "GET", query_string=params, content_type=None)


@FUZZ
@given(
    size=st.one_of(
        st.integers(min_value=MAX_BODY - 64, max_value=MAX_BODY + 64),
        st.integers(min_value=1, max_value=4 * MAX_BODY),
    ),
    chunked=st.booleans(),
    lie=st.sampled_from([None, "smaller", "bigger", "garbage"]),
)
def test_huge_documents(fuzzed: Fuzzed, size: int, chunked: bool, lie: str | None) -> None:
    prefix, suffix = b'{"query": "{ me { id } } #', b'"}'
    body = prefix + b"x" * max(0, size - len(prefix) - len(suffix)) + suffix
    headers: list[tuple[bytes, bytes]] = []
    chunks = None
    if chunked:
        step = max(1, len(body) // 7)
        chunks = [body[i : i + step] for i in range(0, len(body), step)]
    if lie is not None:
        declared = {"smaller": len(body) // 2, "bigger": len(body) * 2}.get(lie, 0)
        headers.append((b"content-length", str(declared).encode() if declared else b"12ab"))
    send(fuzzed, body=body, headers=headers, chunks=chunks)


@FUZZ
@given(text=TEXT, where=st.sampled_from(["query", "name", "variable", "alias", "comment"]))
def test_unicode_everywhere(fuzzed: Fuzzed, text: str, where: str) -> None:
    query, name, variables = "query Q($v: String) { me { id } }", "Q", {"v": "x"}
    if where == "query":
        query = "query Q($v: String) { " + text + " }"
    elif where == "name":
        name = text
    elif where == "variable":
        variables = {"v": text, text: text}
    elif where == "alias":
        query = f"query Q($v: String) {{ {text}: me {{ id }} }}"
    else:
        query = f"query Q($v: String) {{ me {{ id }} }} # {text}"
    payload = {"query": query, "operationName": name, "variables": variables}
    send(fuzzed, body=_json_body(payload))
    params = {"query": query, "operationName": name, "variables": _json_body(variables).decode()}
    send(fuzzed, "GET", query_string=urlencode(params).encode(), content_type=None)


# Escaped surrogates and control characters, written into the JSON text by hand.
ESCAPES = st.sampled_from(
    [
        "\\ud800",
        "\\udfff",
        "\\ud83d\\ude00",
        "\\ud83d",
        "\\u0000",
        "\\u202e",
        "\\u200b",
        "\\uffff",
        "\\\\ud800",
        "\\x00",
        "\\u12",
    ]
)


@FUZZ
@given(
    escape=ESCAPES,
    where=st.sampled_from(["query-string", "query-comment", "name", "variable", "key"]),
)
def test_escaped_surrogates_in_json(fuzzed: Fuzzed, escape: str, where: str) -> None:
    query, name, value, key = "query Q($v: String) { me { id } }", "Q", "x", "v"
    if where == "query-string":
        query = 'query Q($v: String) { user(id: "' + escape + '") { id } }'
    elif where == "query-comment":
        query = "query Q($v: String) { me { id } } # " + escape
    elif where == "name":
        name = escape
    elif where == "variable":
        value = escape
    else:
        key = escape
    body = (
        '{"query": "' + query.replace('"', '\\"').replace("\\\\", "\\")
        + '", "operationName": "' + name + '", "variables": {"' + key + '": "' + value + '"}}'
    )  # fmt: skip
    send(fuzzed, body=body.encode())
    # The same escapes as GraphQL string escapes inside a (JSON-valid) query.
    graphql = 'query Q($v: String) { user(id: "' + escape + '") { id name } }'
    send(fuzzed, body=_json_body({"query": graphql, "variables": {"v": value}}))


@FUZZ
@given(
    headers=st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=6),
    duplicate=st.booleans(),
    method=st.sampled_from(["GET", "POST"]),
)
def test_odd_headers(
    fuzzed: Fuzzed, headers: list[tuple[bytes, bytes]], duplicate: bool, method: str
) -> None:
    if duplicate:
        headers = headers + headers
    if method == "POST":
        body = _json_body({"query": "{ me { id name } topProducts(first: 2) { upc name } }"})
        send(fuzzed, body=body, headers=headers, chunks=[body])
    else:
        query_string = urlencode({"query": "{ me { id } }"}).encode()
        send(fuzzed, "GET", query_string=query_string, headers=headers, content_type=None)


QUERY_PARAM_NAMES = st.one_of(
    st.sampled_from(["query", "operationName", "variables", "extensions", "query[]", ""]), TEXT
)


@FUZZ
@given(
    raw=st.one_of(
        st.binary(max_size=200),
        st.lists(st.tuples(QUERY_PARAM_NAMES, st.one_of(TEXT, QUERY_LIKE.map(str))), max_size=5)
        .map(lambda pairs: urlencode(pairs).encode()),
        st.text(max_size=100).map(lambda s: quote(s, safe="=&%+").encode()),
    ),
    accept=ACCEPTS,
    headers=st.lists(st.tuples(HEADER_NAMES, HEADER_VALUES), max_size=3),
    method=st.sampled_from(["GET", "GET", "GET", "HEAD", "PUT", "DELETE", "OPTIONS", "PATCH"]),
    path=st.sampled_from(["/graphql", "/graphql/", "/health", "/graphiql/", "/graphiql/x.js",
                          "/graphiql/../../etc/passwd", "/nope", "//graphql", USAGE_PATH,
                          "/contracts/edge/graphql", "/contracts/nope/graphql"]),
)  # fmt: skip
def test_get_with_random_query_params(
    fuzzed: Fuzzed,
    raw: bytes,
    accept: bytes | None,
    headers: list[tuple[bytes, bytes]],
    method: str,
    path: str,
) -> None:
    headers = headers + ([(b"accept", accept)] if accept is not None else [])
    send(fuzzed, method, query_string=raw, headers=headers, content_type=None, path=path)


def test_zz_report_inputs_tried(capsys: pytest.CaptureFixture[str]) -> None:
    """Last in the file: how many generated requests the properties above were checked on."""
    with capsys.disabled():
        print(f"\nfuzz: {_Counter.tried} generated HTTP requests checked")
