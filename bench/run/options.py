"""The harness's command line."""

from __future__ import annotations

import argparse
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "bench" / "data"
DEFAULT_JSON = REPO / "bench" / "results" / "latest.json"
DEFAULT_PEERS_DIR = Path.home() / ".cache" / "brand-matrix-bench"
# The supergraph's subgraph URLs point at this port.
SUPERGRAPH_SUBGRAPH_PORT = 4200
GATEWAY_KEYS = ("brand-matrix", "apollo-gateway", "hive-gateway")


@dataclass(frozen=True)
class Options:
    connections: tuple[int, ...]
    duration: float
    warmup: float
    json_path: Path
    peers_dir: Path
    gateways: tuple[str, ...]
    load_generator: str  # "python" or "wrk"
    verify_seconds: float
    subgraph_port: int | None  # None: 4200 when free, else any free port
    hive_public_setup: bool
    data_dir: Path


def parse_options(argv: list[str] | None = None) -> Options:
    parser = argparse.ArgumentParser(
        prog="python -m bench.run",
        description="Run the public federation gateway benchmark against Brand Matrix and its "
        "peers (Apollo Gateway, Hive Gateway) and print a comparison table.",
    )
    parser.add_argument(
        "--connections",
        type=_connection_list,
        default=(50, 1),
        metavar="N,N",
        help="closed-loop connection counts, one measured run each (default 50,1)",
    )
    parser.add_argument(
        "--duration",
        type=_positive,
        default=15.0,
        metavar="S",
        help="measured seconds per run (default 15)",
    )
    parser.add_argument(
        "--warmup",
        type=_non_negative,
        default=3.0,
        metavar="S",
        help="unmeasured seconds of load before each run (default 3)",
    )
    parser.add_argument(
        "--json",
        dest="json_path",
        type=Path,
        default=DEFAULT_JSON,
        metavar="FILE",
        help=f"where to write the results (default {DEFAULT_JSON.relative_to(REPO)})",
    )
    parser.add_argument(
        "--peers-dir",
        type=Path,
        default=DEFAULT_PEERS_DIR,
        metavar="DIR",
        help="scratch folder for the npm-installed peers, reused between runs "
        "(default ~/.cache/brand-matrix-bench)",
    )
    parser.add_argument(
        "--gateways",
        type=_gateway_list,
        default=GATEWAY_KEYS,
        metavar="NAME,NAME",
        help="which gateways to run (default all: " + ",".join(GATEWAY_KEYS) + ")",
    )
    parser.add_argument(
        "--no-peers",
        action="store_true",
        help="run Brand Matrix alone (same as --gateways brand-matrix)",
    )
    parser.add_argument(
        "--load-generator",
        choices=["python", "wrk"],
        default="python",
        help="python (default): checks every response as parsed JSON and times every request; "
        "wrk: less client CPU, checks response bytes against the gateway's verified answer, "
        "then a short Python verification pass",
    )
    parser.add_argument(
        "--verify-seconds",
        type=_positive,
        default=2.0,
        metavar="S",
        help="length of the Python verification pass after each wrk run (default 2)",
    )
    parser.add_argument(
        "--subgraph-port",
        type=int,
        default=None,
        metavar="PORT",
        help="port for the subgraph server (default 4200, the supergraph's, or a free port "
        "when 4200 is taken; on another port the gateways get a copy of the supergraph "
        "pointed at it)",
    )
    parser.add_argument(
        "--hive-public-setup",
        action="store_true",
        help="run Hive Gateway as the public benchmark does (--jit, identical in-flight "
        "subgraph requests not merged) instead of with its defaults",
    )
    args = parser.parse_args(argv)
    gateways = ("brand-matrix",) if args.no_peers else args.gateways
    return Options(
        connections=args.connections,
        duration=args.duration,
        warmup=args.warmup,
        json_path=args.json_path,
        peers_dir=args.peers_dir.expanduser(),
        gateways=gateways,
        load_generator=args.load_generator,
        verify_seconds=args.verify_seconds,
        subgraph_port=args.subgraph_port,
        hive_public_setup=args.hive_public_setup,
        data_dir=DATA,
    )


def _connection_list(text: str) -> tuple[int, ...]:
    try:
        counts = tuple(int(part) for part in text.split(",") if part.strip())
    except ValueError as error:
        raise argparse.ArgumentTypeError(f"not a list of integers: {text!r}") from error
    if not counts or min(counts) < 1:
        raise argparse.ArgumentTypeError("connection counts must be positive integers")
    return counts


def _gateway_list(text: str) -> tuple[str, ...]:
    names = tuple(part.strip() for part in text.split(",") if part.strip())
    unknown = [name for name in names if name not in GATEWAY_KEYS]
    if unknown or not names:
        raise argparse.ArgumentTypeError(
            f"unknown gateway {unknown or text!r}; choose from {', '.join(GATEWAY_KEYS)}"
        )
    return names


def _positive(text: str) -> float:
    value = float(text)
    if value <= 0:
        raise argparse.ArgumentTypeError("must be positive")
    return value


def _non_negative(text: str) -> float:
    value = float(text)
    if value < 0:
        raise argparse.ArgumentTypeError("must not be negative")
    return value
