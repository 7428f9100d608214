"""Reading the `/metrics` exposition back into samples."""

from __future__ import annotations

from prometheus_client.parser import text_string_to_metric_families

from tests.gateway.http.asgi_client import request
from tests.gateway.observability.conftest import Observed

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


async def scrape(observed: Observed) -> Samples:
    reply = await request(observed.app, "GET", "/metrics")
    assert reply.status == 200, reply.body
    assert reply.media_type == "text/plain"
    samples: Samples = {}
    for family in text_string_to_metric_families(reply.body.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float | None:
    return samples.get((name, frozenset(labels.items())))
