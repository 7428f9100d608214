"""`python -m gateway.dev_check --stack MODULE:FUNCTION [--brands A,B | --config FILE]`: does
this version of the dev stack start? Imports the stack in this fresh interpreter, builds it on
a throwaway data directory and composes its SDLs. Exit 0 when it would serve; else 1 with the
problems on stdout (a syntax error with its file and line, each composition error). Run by
`brand-matrix dev`'s reloader before it replaces the running version.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import traceback
from pathlib import Path

from gateway.dev import DevError, compose_stack, config_brands, load_stack_factory


def problems(stack_spec: str, brands: list[str] | None) -> list[str]:
    try:
        factory = load_stack_factory(stack_spec)
        with tempfile.TemporaryDirectory(prefix="brand-matrix-dev-check-") as directory:
            stack = factory(Path(directory), brands) if brands else factory(Path(directory))
            sdls = stack.sdls()
    except DevError as error:
        return [str(error)]
    except SyntaxError as error:  # the file, line and caret are what the developer needs
        return ["".join(traceback.format_exception_only(error)).rstrip()]
    except Exception as error:
        frames = traceback.extract_tb(error.__traceback__)[-1:]
        where = "".join(traceback.format_list(frames)).rstrip()
        return [f"{where}\n{type(error).__name__}: {error}"]
    _, errors = compose_stack(sdls)
    return errors


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m gateway.dev_check")
    parser.add_argument("--stack", required=True, metavar="MODULE:FUNCTION")
    parser.add_argument("--brands", metavar="A,B")
    parser.add_argument("--config", metavar="FILE")
    args = parser.parse_args(argv)
    brands = [b for b in (args.brands or "").split(",") if b] or None
    if brands is None and args.config:
        try:
            brands = config_brands(args.config) or None
        except DevError as error:
            print(error)
            return 1
    found = problems(args.stack, brands)
    for problem in found:
        print(problem)
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
