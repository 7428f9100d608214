"""The `/metrics` scrape after real requests through the gateway and its subgraphs."""

from __future__ import annotations

from tests.gateway.http.asgi_client import request
from tests.gateway.observability.conftest import QUERY, SUBGRAPHS, Build
from tests.gateway.observability.scrape import scrape, value

P = "brand_matrix"


async def test_requests_are_counted_and_timed_per_operation(build: Build) -> None:
    observed = build(tracing=False)
    for _ in range(2):
        reply = await request(observed.app, "POST", json={"query": QUERY})
        assert reply.status == 200 and "errors" not in reply.json()
    samples = await scrape(observed)
    # No operationName sent: the document's own name labels it.
    assert value(samples, f"{P}_requests_total", operation="TestQuery", status="200") == 2
    assert value(samples, f"{P}_request_duration_seconds_count", operation="TestQuery") == 2
    assert value(samples, f"{P}_request_duration_seconds_sum", operation="TestQuery")
    assert value(samples, f"{P}_request_errors_total", operation="TestQuery", reason="graphql") in (
        None,
        0,
    )


async def test_subgraph_fetches_are_timed_per_subgraph(build: Build) -> None:
    observed = build(tracing=False)
    await request(observed.app, "POST", json={"query": QUERY})
    samples = await scrape(observed)
    counts = {
        name: value(samples, f"{P}_subgraph_fetch_duration_seconds_count", subgraph=name)
        for name in SUBGRAPHS
    }
    assert all(counts.values()), counts
    assert sum(c or 0 for c in counts.values()) == 7  # the plan's 7 fetches
    bucket = value(
        samples, f"{P}_subgraph_fetch_duration_seconds_bucket", subgraph="products", le="+Inf"
    )
    assert bucket == counts["products"]


async def test_plan_cache_hit_on_the_second_identical_request(build: Build) -> None:
    observed = build(tracing=False)
    await request(observed.app, "POST", json={"query": QUERY})
    first = await scrape(observed)
    assert value(first, f"{P}_plan_cache_hits_total") == 0
    assert value(first, f"{P}_plan_cache_misses_total") == 1
    await request(observed.app, "POST", json={"query": QUERY})
    second = await scrape(observed)
    assert value(second, f"{P}_plan_cache_hits_total") == 1
    assert value(second, f"{P}_plan_cache_misses_total") == 1
    assert value(second, f"{P}_plan_cache_entries") == 1


async def test_failures_are_counted_by_reason_under_bounded_labels(build: Build) -> None:
    observed = build(tracing=False)
    await request(observed.app, "POST", json={"query": "{ nope }", "operationName": "Made_Up"})
    await request(observed.app, "POST", body=b"{", headers={"content-type": "application/json"})
    await request(observed.app, "GET", "/nowhere")
    samples = await scrape(observed)
    assert value(samples, f"{P}_request_errors_total", operation="unknown", reason="request") == 3
    assert not any("Made_Up" in dict(labels).get("operation", "") for _, labels in samples)
    assert value(samples, f"{P}_requests_total", operation="unknown", status="404") == 1


async def test_anonymous_and_other_buckets(build: Build) -> None:
    observed = build(tracing=False, max_operation_names=1)
    await request(observed.app, "POST", json={"query": "{ topProducts { upc } }"})
    await request(observed.app, "POST", json={"query": "query A { topProducts { upc } }"})
    await request(observed.app, "POST", json={"query": "query B { topProducts { upc } }"})
    samples = await scrape(observed)
    assert value(samples, f"{P}_requests_total", operation="anonymous", status="200") == 1
    assert value(samples, f"{P}_requests_total", operation="A", status="200") == 1
    assert value(samples, f"{P}_requests_total", operation="other", status="200") == 1


async def test_subgraph_errors_are_counted(build: Build) -> None:
    observed = build(tracing=False)

    async def broken(scope: object, receive: object, send: object) -> None:
        raise RuntimeError("down")

    observed.recorders["inventory"].app = broken
    reply = await request(observed.app, "POST", json={"query": QUERY})
    assert reply.status == 200 and reply.json()["errors"]
    samples = await scrape(observed)
    code = "SUBREQUEST_HTTP_ERROR"
    assert value(samples, f"{P}_subgraph_fetch_errors_total", subgraph="inventory", code=code)
    assert value(samples, f"{P}_request_errors_total", operation="TestQuery", reason="graphql") == 1


async def test_metrics_path_is_not_counted_and_refuses_post(build: Build) -> None:
    observed = build(tracing=False)
    await scrape(observed)
    assert (await request(observed.app, "POST", "/metrics")).status == 405
    samples = await scrape(observed)
    assert not any(name == f"{P}_requests_total" for name, _ in samples)


async def test_openmetrics_when_asked(build: Build) -> None:
    observed = build(tracing=False)
    reply = await request(
        observed.app, "GET", "/metrics", headers={"accept": "application/openmetrics-text"}
    )
    assert reply.media_type == "application/openmetrics-text"
    assert reply.body.rstrip().endswith(b"# EOF")


async def test_metrics_off_leaves_the_path_to_the_app(build: Build) -> None:
    observed = build(tracing=False, metrics=False)
    assert (await request(observed.app, "GET", "/metrics")).status == 404
    assert (await request(observed.app, "POST", json={"query": QUERY})).status == 200
