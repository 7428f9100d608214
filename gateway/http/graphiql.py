"""GraphiQL for browsers: `GET /graphql` asking for text/html gets the IDE, preloaded with an
example operation and an `X-Brand` header, talking to the same endpoint."""

from __future__ import annotations

import json

from starlette.responses import HTMLResponse

GRAPHIQL_VERSION = "3.8.3"
REACT_VERSION = "18.3.1"
DEFAULT_QUERY = """# Brand Matrix: one query across every brand's subgraphs.
# Set X-Brand (below, Headers) to the brand app you are, and Authorization to a member's token.
query Catalogue {
  products(first: 5) {
    id
    name
    priceFen
    category { name }
  }
}
"""
DEFAULT_HEADERS = '{\n  "X-Brand": "lumen"\n}'

_PAGE = """<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <title>Brand Matrix · GraphiQL</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>body {{ margin: 0; height: 100vh; }} #graphiql {{ height: 100vh; }}</style>
  <link rel="stylesheet" href="https://unpkg.com/graphiql@{graphiql}/graphiql.min.css">
</head>
<body>
  <div id="graphiql">Loading GraphiQL…</div>
  <script crossorigin src="https://unpkg.com/react@{react}/umd/react.production.min.js"></script>
  <script crossorigin
    src="https://unpkg.com/react-dom@{react}/umd/react-dom.production.min.js"></script>
  <script crossorigin src="https://unpkg.com/graphiql@{graphiql}/graphiql.min.js"></script>
  <script>
    const settings = {settings};
    const fetcher = GraphiQL.createFetcher({{ url: settings.endpoint }});
    ReactDOM.createRoot(document.getElementById("graphiql")).render(
      React.createElement(GraphiQL, {{
        fetcher,
        defaultQuery: settings.query,
        defaultHeaders: settings.headers,
        shouldPersistHeaders: true,
      }})
    );
  </script>
</body>
</html>
"""


def graphiql_page(endpoint: str, query: str = DEFAULT_QUERY, headers: str = DEFAULT_HEADERS):
    settings = json.dumps({"endpoint": endpoint, "query": query, "headers": headers})
    # The settings sit inside <script>: keep "</script>" and friends from closing it.
    settings = settings.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    page = _PAGE.format(graphiql=GRAPHIQL_VERSION, react=REACT_VERSION, settings=settings)
    return HTMLResponse(page, headers={"Cache-Control": "no-cache"})
