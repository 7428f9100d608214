"""Header forwarding rules: which client headers reach which subgraphs, and how."""

from __future__ import annotations

import pytest
from starlette.datastructures import Headers

from gateway.headers import (
    HeaderRuleError,
    HeaderRules,
    Insert,
    Propagate,
    Remove,
    SubgraphHeaders,
    headers_for,
)
from gateway.service import Gateway, GraphQLRequest
from tests.gateway.shop import SUPERGRAPH, recorders

CLIENT = {
    "Authorization": "Bearer t",
    "X-Brand": "lumen",
    "traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
    "tracestate": "a=1",
    "X-Request-Id": "r-1",
    "X-Debug": "1",
    "Host": "gateway",
    "Content-Length": "12",
    "Cookie": "secret",
}


def test_nothing_is_forwarded_without_a_rule() -> None:
    assert HeaderRules().apply(CLIENT) == {}


def test_forward_by_name_is_the_old_forward_headers() -> None:
    rules = HeaderRules.forward(["Authorization", "x-brand", "x-absent"])
    assert rules.apply(CLIENT) == {"authorization": "Bearer t", "x-brand": "lumen"}
    assert rules.apply(None) == {}


def test_forward_by_pattern_and_prefix_never_copies_connection_headers() -> None:
    rules = HeaderRules(
        [
            Propagate(matching="trace(parent|state)"),
            Propagate(prefix="x-req"),
            Propagate(matching=".*"),
        ]
    )
    forwarded = rules.apply(
        {"traceparent": "t", "TraceState": "s", "X-Request-Id": "r", "Host": "h"}
    )
    assert forwarded == {"traceparent": "t", "tracestate": "s", "x-request-id": "r"}
    everything = HeaderRules([Propagate(matching=".*")]).apply(CLIENT)
    assert "host" not in everything and "content-length" not in everything
    assert everything["cookie"] == "secret"  # forwarding everything forwards everything else


def test_rename_default_insert_remove() -> None:
    rules = HeaderRules(
        [
            Propagate(named="X-Brand", rename="X-Tenant"),
            Propagate(named="X-Channel", default="miniprogram"),
            Propagate(prefix="x-"),
            Remove(named="x-debug"),
            Insert("X-Gateway", "brand-matrix"),
        ]
    )
    assert rules.apply(CLIENT) == {
        "x-tenant": "lumen",
        "x-channel": "miniprogram",
        "x-brand": "lumen",
        "x-request-id": "r-1",
        "x-gateway": "brand-matrix",
    }
    # Fixed values and defaults are sent when the client sends no headers at all.
    assert rules.apply(None) == {"x-channel": "miniprogram", "x-gateway": "brand-matrix"}


def test_per_subgraph_rules_come_after_the_common_ones() -> None:
    rules = HeaderRules(
        [Propagate(named="authorization")],
        {"order": [Propagate(named="x-brand"), Remove(named="authorization")]},
    )
    forwarded = rules.apply(CLIENT)
    assert isinstance(forwarded, SubgraphHeaders)
    assert headers_for(forwarded, "member") == {"authorization": "Bearer t"}
    assert headers_for(forwarded, "order") == {"x-brand": "lumen"}
    assert headers_for({"a": "b"}, "order") == {"a": "b"}


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda: Propagate(), "exactly one"),
        (lambda: Propagate(named="a", prefix="b"), "exactly one"),
        (lambda: Propagate(matching="("), "regular expression"),
        (lambda: Propagate(prefix="x-", rename="y"), "named only"),
        (lambda: Propagate(named="Host"), "set by the gateway"),
        (lambda: Propagate(named="bad name"), "not a header name"),
        (lambda: Propagate(named="a", rename="content-length"), "set by the gateway"),
        (lambda: Insert("x-a", "one\r\nInjected: yes"), "line breaks"),
        (lambda: Insert("x-a", 1), "string"),  # type: ignore[arg-type]
        (lambda: Remove(), "exactly one"),
    ],
)
def test_rules_that_cannot_work_are_refused(make, message: str) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(HeaderRuleError, match=message):
        make()


def test_from_config() -> None:
    rules = HeaderRules.from_config(
        {
            "all": [
                {"propagate": {"named": "authorization"}},
                {"propagate": {"matching": "trace(parent|state)|x-request-id"}},
            ],
            "subgraphs": {
                "order": [
                    {"propagate": {"named": "x-brand", "rename": "x-tenant", "default": "group"}},
                    {"insert": {"name": "x-caller", "value": "gateway"}},
                    {"remove": {"prefix": "trace"}},
                ]
            },
        }
    )
    forwarded = rules.apply(CLIENT)
    assert forwarded == {
        "authorization": "Bearer t",
        "traceparent": CLIENT["traceparent"],
        "tracestate": "a=1",
        "x-request-id": "r-1",
    }
    assert headers_for(forwarded, "order") == {
        "authorization": "Bearer t",
        "x-request-id": "r-1",
        "x-tenant": "lumen",
        "x-caller": "gateway",
    }


@pytest.mark.parametrize(
    ("config", "message"),
    [
        ({"al": []}, "unknown key"),
        ({"all": {"propagate": {}}}, "must be a list"),
        ({"all": [{"propagate": {"named": "a"}, "insert": {}}]}, r"headers.all\[0\]"),
        ({"all": [{"forward": {"named": "a"}}]}, "expected propagate"),
        ({"all": [{"propagate": {"name": "a"}}]}, "unknown key"),
        ({"all": [{"insert": {"name": "a"}}]}, r"headers.all\[0\]"),
        ({"subgraphs": {"order": [{"propagate": {"named": "host"}}]}}, "headers.subgraphs.order"),
        ({"subgraphs": ["order"]}, "table"),
    ],
)
def test_bad_config_names_the_entry(config: dict, message: str) -> None:  # type: ignore[type-arg]
    with pytest.raises(HeaderRuleError, match=message):
        HeaderRules.from_config(config)


# -- through the gateway ----------------------------------------------------------------------

QUERY = "{ topProducts { name reviews { body } inStock } }"


async def test_gateway_applies_rules_per_subgraph() -> None:
    transports = recorders()
    rules = HeaderRules(
        [Propagate(named="authorization"), Propagate(matching="traceparent|tracestate")],
        {"inventory": [Propagate(named="x-brand", rename="x-tenant"), Insert("x-caller", "gw")]},
    )
    gateway = Gateway(SUPERGRAPH, transports, header_rules=rules)
    response = await gateway.execute(GraphQLRequest(QUERY), headers=Headers(CLIENT))
    assert "errors" not in response.body
    common = {
        "authorization": "Bearer t",
        "traceparent": CLIENT["traceparent"],
        "tracestate": "a=1",
    }
    for name in ("products", "reviews"):
        assert [dict(r.headers) for r in transports[name].requests] == [common]
    (inventory,) = transports["inventory"].requests
    assert dict(inventory.headers) == {**common, "x-tenant": "lumen", "x-caller": "gw"}
    await gateway.aclose()


async def test_gateway_forward_headers_still_work_and_come_first() -> None:
    transports = recorders()
    gateway = Gateway(
        SUPERGRAPH,
        transports,
        forward_headers=("Authorization",),
        header_rules=HeaderRules([Insert("x-caller", "gw")]),
    )
    await gateway.execute(GraphQLRequest("{ topProducts { name } }"), headers=CLIENT)
    (sent,) = transports["products"].requests
    assert dict(sent.headers) == {"authorization": "Bearer t", "x-caller": "gw"}
    await gateway.aclose()


def test_rules_for_an_unknown_subgraph_fail_at_startup() -> None:
    with pytest.raises(HeaderRuleError, match="ordr"):
        Gateway(SUPERGRAPH, recorders(), header_rules=HeaderRules([], {"ordr": [Insert("a", "b")]}))
