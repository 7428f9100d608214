"""Plan -> subgraph fetches -> merged data -> projected response."""
