"""GraphiQL in a real browser: Debian's headless chromium, driven by Playwright, against the
real gateway served by uvicorn. Loads the page, checks the schema docs and the preloaded
operation, runs a query and reads the result pane. Nothing may come from outside the gateway.

Needs /usr/bin/chromium (`apt-get install -y chromium`; .ci/run installs it): without it this
test fails rather than skips, so a CI machine without a browser cannot pass silently.
"""

from __future__ import annotations

import json
import os
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn

from gateway.http import create_app
from gateway.service import Gateway
from gateway.transport.asgi import AsgiTransport
from tests.gateway.tiny_federation import SUBGRAPH_NAME, subgraph_app, supergraph_sdl

CHROMIUM = os.environ.get("BRAND_MATRIX_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 30_000


@pytest.fixture(scope="module")
def gateway_url() -> Iterator[str]:
    """The gateway on a free loopback port, in a thread with its own event loop."""
    transport = AsgiTransport(SUBGRAPH_NAME, subgraph_app())
    gateway = Gateway(supergraph_sdl(), transports={SUBGRAPH_NAME: transport})
    config = uvicorn.Config(create_app(gateway), log_level="warning", lifespan="on")
    server = uvicorn.Server(config)
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.bind(("127.0.0.1", 0))
    port = sock.getsockname()[1]
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 15
    while not server.started:
        assert thread.is_alive() and time.monotonic() < deadline, "the gateway did not start"
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(15)
        sock.close()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).is_file():
        pytest.fail(
            f"no browser at {CHROMIUM}: run `apt-get install -y chromium` (as .ci/run does)"
        )
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        pytest.fail("the playwright package is missing: pip install -e '.[dev]'")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def test_graphiql_runs_a_query_in_chromium(gateway_url: str, browser: object) -> None:
    from playwright.sync_api import Browser, Request

    assert isinstance(browser, Browser)
    page = browser.new_page()
    outside: list[str] = []
    problems: list[str] = []

    def record(request: Request) -> None:
        if not request.url.startswith(gateway_url):
            outside.append(request.url)

    page.on("request", record)
    page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
    page.on(
        "response",
        lambda response: (
            response.status >= 400 and problems.append(f"{response.status} for {response.url}")
        ),
    )
    page.on(
        "console",
        lambda message: message.type == "error" and problems.append(f"console: {message.text}"),
    )
    page.goto(f"{gateway_url}/graphql", timeout=TIMEOUT_MS)

    # The docs explorer opens on the API schema, fetched by introspection through the gateway.
    docs = page.locator(".graphiql-doc-explorer")
    docs.get_by_text("Query", exact=True).first.wait_for(timeout=TIMEOUT_MS)
    # The example operation is preloaded, valid for this gateway's schema.
    editor = ".graphiql-query-editor .CodeMirror"
    page.wait_for_selector(editor, timeout=TIMEOUT_MS)
    assert "query Example" in page.evaluate(
        f"document.querySelector('{editor}').CodeMirror.getValue()"
    )
    headers = page.evaluate(
        "document.querySelector('.graphiql-editor-tool .CodeMirror')?.CodeMirror.getValue() ?? ''"
    )

    query = 'query FromChromium { hello(name: "Chromium") }'
    page.locator(editor).click()  # typed as a person would: select all, then the new text
    page.keyboard.press("Control+A")
    page.keyboard.insert_text(query)
    page.wait_for_timeout(500)  # GraphiQL reads the operation's name after a short debounce
    page.locator(".graphiql-execute-button").click()
    # Polled from here: the page's CSP (no eval) rules out Playwright's wait_for_function.
    read_result = "document.querySelector('.graphiql-response .CodeMirror')?.CodeMirror.getValue()"
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    while "Chromium" not in (text := page.evaluate(read_result) or ""):
        assert time.monotonic() < deadline, f"no result in the response pane: {text!r}"
        page.wait_for_timeout(100)
    assert json.loads(text) == {"data": {"hello": "Hello, Chromium!"}}

    assert outside == [], "GraphiQL must load nothing from outside the gateway"
    assert problems == []
    assert headers == "" or "X-Brand" in headers
    page.close()
