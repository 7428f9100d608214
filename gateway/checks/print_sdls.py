"""`python -m gateway.checks.print_sdls --out DIR --module PATTERN NAME...`: print each
subgraph's SDL as its code prints it now, one file per subgraph in DIR.

Run by `brand-matrix check --all` in a fresh interpreter (the gateway never imports
subgraphs; see DESIGN.md): for each NAME it imports the module PATTERN names (default
`subgraphs.{name}.print_schema`) and calls its `main([FILE])`, the same entry point a developer
runs by hand. Exit 1 with one line per subgraph that cannot be printed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib
import io
import sys
from pathlib import Path

DEFAULT_MODULE = "subgraphs.{name}.print_schema"


def print_one(name: str, pattern: str, out: Path) -> str | None:
    """None when written, else the problem in one line."""
    module_name = pattern.format(name=name)
    try:
        with contextlib.redirect_stdout(io.StringIO()):  # "wrote FILE" is not for the caller
            module = importlib.import_module(module_name)
            main = getattr(module, "main", None)
            if not callable(main):
                return f"subgraph {name}: {module_name} has no main([FILE]) function"
            code = main([str(out / f"{name}.graphql")])
    except Exception as error:  # any failure of the subgraph's code is reported, not raised
        return f"subgraph {name}: {module_name} failed: {type(error).__name__}: {error}"
    if code not in (0, None):
        return f"subgraph {name}: {module_name} exited with {code}"
    return None


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.checks.print_sdls")
    parser.add_argument("--out", required=True, type=Path)
    parser.add_argument("--module", default=DEFAULT_MODULE)
    parser.add_argument("names", nargs="+")
    args = parser.parse_args(argv)
    problems = [p for p in (print_one(n, args.module, args.out) for n in args.names) if p]
    for problem in problems:
        print(" ".join(problem.split()), file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
