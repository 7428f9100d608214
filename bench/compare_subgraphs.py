"""Compare the Python subgraphs with the benchmark's Node mock, answer by answer.

Not a test, and it needs Node.js: the mock runs from a scratch folder outside the repository,
prepared once with

    mkdir -p /tmp/benchmock && cd /tmp/benchmock
    npm install @apollo/subgraph graphql graphql-tag
    cp /path/to/mock-subgraphs-server.js .     # from the benchmark's source material

Then, from the repository root:

    python -m bench.compare_subgraphs [--mock-dir /tmp/benchmock]

starts the mock on 127.0.0.1:4200 and `python -m bench.subgraphs` on 127.0.0.1:4201, sends
both the same requests (root fields, `_entities` for every entity type, the fetches a gateway
makes for the benchmark query, error cases, the HTTP routes), prints every difference and
stops both servers. `--mock-url`/`--python-url` compare servers you started yourself.

Answers must match byte for byte. The one tolerated difference is the wording of error
messages produced by the GraphQL libraries themselves (graphql-js vs graphql-core): those
answers are reported separately, and only count as failures with `--strict`.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]


def entities(selection: str) -> str:
    """An `_entities` query over the representations in variable `$r`."""
    return "query($r: [_Any!]!) { _entities(representations: $r) { __typename " + selection + " } }"


USER_IDS = ["1", "2", "3", "4", "5", "6", "7", "0"]
UPCS = ["1", "2", "3", "4", "5", "6", "7", "8", "9", "10"]
REVIEW_IDS = [str(n) for n in range(1, 13)]
REVIEW_FIELDS = "id body product { upc } author { __typename id username }"
# What a gateway sends for `@requires(fields: "price weight")`, from the products subgraph.
PRICED = [
    {"__typename": "Product", "upc": upc, "price": price, "weight": weight}
    for upc, price, weight in [
        ("1", 899, 100),
        ("2", 1299, 1000),
        ("3", 15, 20),
        ("4", 499, 100),
        ("5", 1299, 1000),
        ("6", 6999, 300),
        ("7", 3999, 2000),
        ("8", 100000, 6000),
        ("9", 9999, 800),
    ]
]


@dataclass(frozen=True)
class Case:
    subgraph: str
    name: str
    query: str
    variables: dict[str, Any] | None = None
    operation_name: str | None = None

    def body(self) -> bytes:
        payload: dict[str, Any] = {"query": self.query}
        if self.variables is not None:
            payload["variables"] = self.variables
        if self.operation_name is not None:
            payload["operationName"] = self.operation_name
        return json.dumps(payload).encode()


def refs(type_name: str, key: str, values: list[Any]) -> dict[str, Any]:
    return {"r": [{"__typename": type_name, key: value} for value in values]}


def cases() -> list[Case]:
    return [
        *account_cases(),
        *product_cases(),
        *inventory_cases(),
        *review_cases(),
        *gateway_fetch_cases(),
        *error_cases(),
    ]


def account_cases() -> list[Case]:
    all_fields = "id name username birthday"
    user = "query U($id: ID!) { user(id: $id) { id name username birthday } }"
    return [
        Case("accounts", "me", "{ me { id name username birthday } }"),
        Case("accounts", "users", "{ users { __typename id name username birthday } }"),
        Case("accounts", "user 3", user, {"id": "3"}),
        Case("accounts", "unknown user", user, {"id": "7"}),
        Case("accounts", "user by literal", '{ a: user(id: 2) { id } b: user(id: "6") { name } }'),
        Case(
            "accounts",
            "User entities",
            entities("... on User { " + all_fields + " }"),
            refs("User", "id", USER_IDS),
        ),
        Case(
            "accounts",
            "User entity by number",
            entities("... on User { id }"),
            refs("User", "id", [1]),
        ),
        Case(
            "accounts",
            "inline representations",
            '{ _entities(representations: [{__typename: "User", id: "4"}]) '
            "{ ... on User { username } } }",
        ),
        Case("accounts", "typename only", "{ __typename }"),
    ]


def product_cases() -> list[Case]:
    by_variable = "query($n: Int) { topProducts(first: $n) { upc } }"
    return [
        Case("products", "topProducts", "{ topProducts { __typename upc name price weight } }"),
        *(
            Case(
                "products",
                f"topProducts first {n}",
                "{ topProducts(first: " + n + ") { upc name } }",
            )
            for n in ("3", "0", "20", "-2", "null")
        ),
        Case("products", "first by absent variable", by_variable, {}),
        Case("products", "first by null variable", by_variable, {"n": None}),
        Case("products", "first by variable", by_variable, {"n": 8}),
        Case(
            "products",
            "Product entities",
            entities("... on Product { upc name price weight }"),
            refs("Product", "upc", UPCS),
        ),
    ]


def inventory_cases() -> list[Case]:
    fields = "... on Product { upc weight price inStock shippingEstimate }"
    return [
        Case("inventory", "Product entities with requires", entities(fields), {"r": PRICED}),
        Case("inventory", "Product entities bare", entities(fields), refs("Product", "upc", UPCS)),
        Case(
            "inventory",
            "Product entity by number",
            entities("... on Product { upc inStock }"),
            refs("Product", "upc", [1]),
        ),
    ]


def review_cases() -> list[Case]:
    return [
        Case(
            "reviews",
            "Review entities",
            entities("... on Review { " + REVIEW_FIELDS + " }"),
            refs("Review", "id", REVIEW_IDS),
        ),
        Case(
            "reviews",
            "User entities",
            entities("... on User { id username reviews { id body product { upc } } }"),
            refs("User", "id", ["1", "2", "99"]),
        ),
        Case(
            "reviews",
            "Product entities",
            entities("... on Product { upc reviews { " + REVIEW_FIELDS + " } }"),
            refs("Product", "upc", UPCS),
        ),
        Case(
            "reviews",
            "nested reviews",
            entities(
                "... on Review { id product { reviews { id author "
                "{ reviews { id product { upc } } } } } }"
            ),
            refs("Review", "id", ["3", "9"]),
        ),
        Case(
            "reviews",
            "mixed entities",
            entities("... on User { id } ... on Product { upc } ... on Review { id }"),
            {
                "r": [
                    {"__typename": "Review", "id": "5"},
                    {"__typename": "User", "id": "3", "username": "kamil"},
                    {"__typename": "Product", "upc": "2"},
                ]
            },
        ),
    ]


def gateway_fetch_cases() -> list[Case]:
    """The kinds of fetches a gateway plans for the benchmark query."""
    users = [{"__typename": "User", "id": user_id} for user_id in USER_IDS[:6]]
    products = [{"__typename": "Product", "upc": upc} for upc in UPCS[:9]]
    review_product = "reviews { id body product { __typename upc } }"
    return [
        Case(
            "accounts",
            "plan: users",
            "query TestQuery__accounts__0 { users { __typename id username name } }",
        ),
        Case(
            "products",
            "plan: topProducts",
            "query TestQuery__products__1 { topProducts { __typename upc name price weight } }",
        ),
        Case(
            "reviews",
            "plan: user reviews",
            "query TestQuery__reviews__2($representations: [_Any!]!) "
            "{ _entities(representations: $representations) { ... on User { "
            + review_product
            + " } } }",
            {"representations": users},
            "TestQuery__reviews__2",
        ),
        Case(
            "reviews",
            "plan: product reviews",
            "query TestQuery__reviews__3($representations: [_Any!]!) "
            "{ _entities(representations: $representations) { ... on Product { reviews "
            "{ id body author { __typename id username " + review_product + " } } } } }",
            {"representations": products},
            "TestQuery__reviews__3",
        ),
        Case(
            "products",
            "plan: product details",
            "query($representations: [_Any!]!) { _entities(representations: $representations) "
            "{ ... on Product { name price weight } } }",
            {"representations": products},
        ),
        Case(
            "inventory",
            "plan: inventory",
            "query($representations: [_Any!]!) { _entities(representations: $representations) "
            "{ ... on Product { inStock shippingEstimate } } }",
            {"representations": PRICED},
        ),
        Case(
            "accounts",
            "plan: author names",
            "query($representations: [_Any!]!) { _entities(representations: $representations) "
            "{ ... on User { name } } }",
            {"representations": users[:1]},
        ),
    ]


def error_cases() -> list[Case]:
    return [
        Case("accounts", "non-entity type", entities(""), {"r": [{"__typename": "Query"}]}),
        Case(
            "accounts",
            "unknown type",
            entities(""),
            {"r": [{"__typename": "Product", "upc": "1"}]},
        ),
        Case("reviews", "missing typename", entities(""), {"r": [{"id": "1"}]}),
        Case(
            "reviews",
            "missing key",
            entities("... on User { id }"),
            {"r": [{"__typename": "User"}]},
        ),
        Case("reviews", "missing representations", entities(""), {}),
        Case("products", "unknown field", "{ topProducts { nope } }"),
        Case("products", "bad argument", '{ topProducts(first: "two") { upc } }'),
        Case("accounts", "unknown operation", "query A { me { id } }", None, "B"),
    ]


@dataclass
class Server:
    url: str
    counted: int = 0

    def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        request = urllib.request.Request(
            self.url + path, data=body, headers={"content-type": "application/json"}
        )
        return self._open(request)

    def get(self, path: str) -> tuple[int, bytes]:
        return self._open(urllib.request.Request(self.url + path))

    @staticmethod
    def _open(request: urllib.request.Request) -> tuple[int, bytes]:
        try:
            with urllib.request.urlopen(request, timeout=10) as response:
                return response.status, response.read()
        except urllib.error.HTTPError as error:
            return error.code, error.read()


@dataclass
class Report:
    same: list[str] = field(default_factory=list)
    wording: list[tuple[str, bytes, bytes]] = field(default_factory=list)
    different: list[tuple[str, tuple[int, bytes], tuple[int, bytes]]] = field(default_factory=list)

    def add(self, name: str, mock: tuple[int, bytes], ours: tuple[int, bytes]) -> None:
        if mock == ours:
            self.same.append(name)
        elif mock[0] == ours[0] and _without_messages(mock[1]) == _without_messages(ours[1]):
            self.wording.append((name, mock[1], ours[1]))
        else:
            self.different.append((name, mock, ours))

    def print(self) -> None:
        for name, mock, ours in self.different:
            print(f"DIFFERENT  {name}")
            print(f"  mock:   {mock[0]} {mock[1][:600]!r}\n  python: {ours[0]} {ours[1][:600]!r}")
        for name, mock_body, ours_body in self.wording:
            mock_messages = _messages(mock_body)
            our_messages = _messages(ours_body)
            print(f"WORDING    {name}")
            for mock_message, our_message in zip(mock_messages, our_messages, strict=True):
                print(f"  mock:   {mock_message}\n  python: {our_message}")
        total = len(self.same) + len(self.wording) + len(self.different)
        print(
            f"{total} checks: {len(self.same)} identical, {len(self.wording)} differ only in "
            f"graphql-js/graphql-core error wording, {len(self.different)} different"
        )


def _without_messages(body: bytes) -> Any:
    try:
        payload = json.loads(body)
    except ValueError:
        return body
    if isinstance(payload, dict):
        for error in payload.get("errors") or []:
            error["message"] = "..."
    return payload


def _messages(body: bytes) -> list[str]:
    return [error["message"] for error in json.loads(body).get("errors", [])]


def compare(mock: Server, ours: Server) -> Report:
    report = Report()
    counts_before = (int(mock.get("/count")[1]), int(ours.get("/count")[1]))
    posted = 0
    for case in cases():
        path = f"/{case.subgraph}"
        report.add(
            f"{case.subgraph}: {case.name}",
            mock.post(path, case.body()),
            ours.post(path, case.body()),
        )
        posted += 1
    for name, method, path, body in [
        ("GET /health", "GET", "/health", b""),
        ("GET on a subgraph", "GET", "/accounts", b""),
        ("unknown path", "POST", "/nowhere", b"{}"),
        ("body that is not JSON", "POST", "/reviews", b"{not json"),
    ]:
        if method == "GET":
            report.add(name, mock.get(path), ours.get(path))
        else:
            report.add(name, mock.post(path, body), ours.post(path, body))
    posted += 1  # the body that is not JSON still counts as a subgraph request
    counts_after = (int(mock.get("/count")[1]), int(ours.get("/count")[1]))
    deltas = (counts_after[0] - counts_before[0], counts_after[1] - counts_before[1])
    report.add(
        f"/count grew by {posted}",
        (200, str(deltas[0]).encode()),
        (200, str(deltas[1]).encode()),
    )
    return report


@contextmanager
def serving(command: list[str], cwd: Path, url: str, env: dict[str, str]) -> Iterator[None]:
    """Run a server until the block ends; it must answer /health within 30 s."""
    process = subprocess.Popen(command, cwd=cwd, env={**os.environ, **env})
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if Server(url).get("/health")[0] == 200:
                    break
            except OSError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{' '.join(command)} did not start serving {url}")
            time.sleep(0.1)
        yield
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--mock-dir", type=Path, default=Path("/tmp/benchmock"))
    parser.add_argument("--mock-url", help="an already running mock, e.g. http://127.0.0.1:4200")
    parser.add_argument("--python-url", help="already running Python subgraphs")
    parser.add_argument("--strict", action="store_true", help="error wording must match too")
    args = parser.parse_args(argv)
    mock_url = args.mock_url or "http://127.0.0.1:4200"
    python_url = args.python_url or "http://127.0.0.1:4201"
    with ExitStack() as stack:
        if not args.mock_url:
            command = ["node", "mock-subgraphs-server.js"]
            stack.enter_context(serving(command, args.mock_dir, mock_url, {"PORT": "4200"}))
        if not args.python_url:
            command = [sys.executable, "-m", "bench.subgraphs", "--port", "4201"]
            stack.enter_context(serving(command, REPO, python_url, {}))
        report = compare(Server(mock_url), Server(python_url))
    report.print()
    failed = report.different or (args.strict and report.wording)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
