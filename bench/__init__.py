"""The public federation gateway benchmark, self-contained: its data and its four subgraphs."""
