"""Serve the four subgraphs: `python -m bench.subgraphs [--host 127.0.0.1] [--port 4200]`."""

from __future__ import annotations

import argparse
import os

import uvicorn

from bench.subgraphs.app import create_app
from bench.subgraphs.endpoint import RESPONSE_CACHE_SIZE


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(
        prog="python -m bench.subgraphs",
        description="Serve the benchmark's subgraphs on /accounts, /inventory, /products "
        "and /reviews, with /health and /count.",
    )
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=int(os.environ.get("PORT", "4200")))
    parser.add_argument("--log-level", default="warning")
    parser.add_argument(
        "--no-response-cache",
        action="store_true",
        help="execute every request instead of replaying answers to identical bodies",
    )
    args = parser.parse_args(argv)
    app = create_app(response_cache_size=0 if args.no_response_cache else RESPONSE_CACHE_SIZE)
    # Keep-alive longer than the gateway's pool keeps idle connections (the mock uses 65 s),
    # so the server never closes a connection the gateway is about to reuse.
    uvicorn.run(
        app,
        host=args.host,
        port=args.port,
        log_level=args.log_level,
        access_log=False,
        timeout_keep_alive=65,
    )


if __name__ == "__main__":
    main()
