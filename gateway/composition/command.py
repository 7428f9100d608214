"""`brand-matrix compose`: subgraph SDLs from files, a config file or live subgraphs in, the
supergraph and the API schema out; every composition error printed with its rule, subgraphs,
type.field, message and fix.

Exit codes: 0 composed (and, with `check`, the files are up to date); 1 composition failed or
`check` found a file that would change; 2 the inputs cannot be read (bad flag, config, file or
unreachable subgraph). Nothing is written unless composition succeeds, and each file is
replaced atomically (written to a temporary file next to it, then renamed).
"""

from __future__ import annotations

import contextlib
import difflib
import os
import secrets
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import orjson

from gateway.composition.compose import compose
from gateway.composition.errors import CompositionIssue
from gateway.composition.sources import (
    DEFAULT_CONFIG,
    SourceError,
    SubgraphSource,
    load_config,
    load_inputs,
    merge_sources,
    parse_subgraph_arg,
)

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
STDOUT = "-"
DEFAULT_OUT = "schema/supergraph.graphql"
_DIFF_LINES = 60
PROG = "brand-matrix"


@dataclass
class ComposeOptions:
    config: str | None = None
    subgraphs: list[str] = field(default_factory=list)
    out: str = DEFAULT_OUT
    api_out: str | None = None  # None: api.graphql next to `out` (nothing when out is "-")
    format: str = "text"
    check: bool = False
    timeout: float = 10.0
    partition_check: bool = True  # compare running partitions' SDL with the composed one
    # [contracts.NAME] of the config -> <dir>/<name>.graphql; None: contracts/ beside the API
    # schema (or the supergraph) file; nothing when both go to stdout.
    contracts_out: str | None = None


@dataclass
class _Output:
    path: str
    text: str
    what: str  # "supergraph" or "API schema"
    status: str = ""


def run_compose(
    options: ComposeOptions, stdout: TextIO | None = None, stderr: TextIO | None = None
) -> int:
    out, err = stdout or sys.stdout, stderr or sys.stderr
    report: dict[str, Any] = {"ok": False, "check": options.check, "subgraphs": []}
    as_json = options.format == "json"

    def input_failure(problems: list[str]) -> int:
        for problem in problems:
            print(f"{PROG}: error: {_one_line(problem)}", file=err)
        if as_json:
            report["errors"] = [{"code": "INVALID_INPUT", "message": p} for p in problems]
            report["hints"] = []
            _print_json(report, out)
        return EXIT_INPUT

    try:
        outputs_paths = _output_paths(options)
        sources = _sources(options)
        contracts = _contract_outputs(options, outputs_paths)
    except SourceError as error:
        return input_failure(error.problems)
    report["subgraphs"] = [_describe(source) for source in sources]
    try:
        inputs = load_inputs(sources, timeout=options.timeout)
    except SourceError as error:
        return input_failure(error.problems)

    result = compose(inputs)
    outputs: list[_Output] = []
    errors = list(result.errors)
    try:  # every partition ([partitions.NAME] of the config) must serve the composed SDL
        errors.extend(_partition_issues(options, inputs))
    except SourceError as error:
        return input_failure(error.problems)
    if result.supergraph_sdl is not None and not errors:
        outputs, api_error = _render(result.supergraph_sdl, outputs_paths)
        if api_error is not None:
            errors.append(api_error)
        elif contracts:  # the filtered schema of each contract (gateway/contracts)
            from gateway.contracts.outputs import render_contracts

            contract_outputs, contract_errors = render_contracts(result.supergraph_sdl, contracts)
            outputs.extend(_Output(path, text, what) for path, text, what in contract_outputs)
            errors.extend(contract_errors)
    report["errors"] = [issue.as_dict() for issue in errors]
    report["hints"] = [issue.as_dict() for issue in result.hints]
    if not as_json:
        for issue in errors:
            print(format_issue(issue, "error"), file=err)
        for issue in result.hints:
            print(format_issue(issue, "hint"), file=err)
    if errors:
        if as_json:
            _print_json(report, out)
        else:
            count = f"{len(errors)} error{'s' if len(errors) != 1 else ''}"
            print(f"composition failed with {count}; nothing written", file=err)
        return EXIT_FAILED

    if options.check:
        code = _check(outputs, err, quiet=as_json)
    else:
        try:
            _write_all(outputs, out)
        except OSError as error:
            where = error.filename or "the output"
            return input_failure([f"cannot write {where}: {error.strerror or error}"])
        code = EXIT_OK
    report["ok"] = code == EXIT_OK
    report["outputs"] = [{"path": o.path, "what": o.what, "status": o.status} for o in outputs]
    if as_json:
        _print_json(report, out)
    else:
        names = ", ".join(sorted(s.name for s in sources))
        print(f"composed {len(sources)} subgraphs ({names})", file=err)
        for output in outputs:
            if output.path != STDOUT:
                stale = output.status in ("missing", "would change")
                advice = " (run `brand-matrix compose` to update it)" if stale else ""
                print(f"{output.path}: {output.status}{advice}", file=err)
    return code


def _config_path(options: ComposeOptions) -> str | None:
    if options.config is None and not options.subgraphs and Path(DEFAULT_CONFIG).is_file():
        return DEFAULT_CONFIG
    return options.config


def _partition_issues(options: ComposeOptions, inputs: list[Any]) -> list[CompositionIssue]:
    """PARTITION_SDL_MISMATCH / PARTITION_UNREACHABLE errors (gateway/partitions/sdl_check)."""
    config_path = _config_path(options)
    if config_path is None or not options.partition_check:
        return []
    from gateway.partitions.config import ConfigError
    from gateway.partitions.sdl_check import composition_issues

    try:
        composed = {i.name: i.sdl for i in inputs}
        return composition_issues(config_path, composed, timeout=options.timeout)
    except ConfigError as error:
        raise SourceError(str(error)) from None


def _sources(options: ComposeOptions) -> list[SubgraphSource]:
    problems: list[str] = []
    flags: list[SubgraphSource] = []
    for value in options.subgraphs:
        try:
            flags.append(parse_subgraph_arg(value))
        except SourceError as error:
            problems.extend(error.problems)
    config_path = _config_path(options)
    config: list[SubgraphSource] = []
    if config_path is not None:
        try:
            config = load_config(config_path)
        except SourceError as error:
            problems.extend(error.problems)
    if problems:
        raise SourceError(problems)
    if config_path is None and not flags:
        raise SourceError(
            f"no subgraphs: give --subgraph NAME=URL@SCHEMA_FILE, --config FILE, "
            f"or create {DEFAULT_CONFIG}"
        )
    return merge_sources(config, flags)


def _output_paths(options: ComposeOptions) -> list[tuple[str, str]]:
    """(path, what) of each output; "-" is stdout."""
    out = options.out
    api_out = options.api_out
    if api_out is None and out != STDOUT:
        api_out = str(Path(out).with_name("api.graphql"))
    problems: list[str] = []
    paths = [(out, "supergraph")] + ([(api_out, "API schema")] if api_out else [])
    for path, what in paths:
        if not path:
            problems.append(f"the {what} output path is empty")
        elif path == STDOUT and options.check:
            problems.append("--check compares files: give --out and --api-out file paths, not -")
        elif path == STDOUT and options.format == "json":
            problems.append("--format json prints the report on stdout: write outputs to files")
        elif path != STDOUT and Path(path).is_dir():
            problems.append(f"the {what} output {path} is a directory")
    if api_out and api_out == out:
        problems.append(f"--out and --api-out are the same ({out})")
    if problems:
        raise SourceError(sorted(set(problems), key=problems.index))
    return paths


def _contract_outputs(options: ComposeOptions, paths: list[tuple[str, str]]) -> list[Any]:
    """(path, ContractSpec) per contract of the config; SourceError for a bad [contracts]."""
    config_path = _config_path(options)
    if config_path is None:
        return []
    from gateway.contracts.outputs import contract_paths

    files = [path for path, _ in reversed(paths) if path != STDOUT]
    try:
        return contract_paths(config_path, options.contracts_out, files[0] if files else None)
    except ValueError as error:  # ContractConfigError: one line per problem
        raise SourceError(getattr(error, "problems", None) or str(error)) from None


def _render(
    supergraph_sdl: str, paths: list[tuple[str, str]]
) -> tuple[list[_Output], CompositionIssue | None]:
    texts = {"supergraph": supergraph_sdl.rstrip("\n") + "\n"}
    if any(what == "API schema" for _, what in paths):
        from gateway.composition.api_printer import print_api_schema
        from gateway.errors import SupergraphError

        try:
            texts["API schema"] = print_api_schema(supergraph_sdl)
        except SupergraphError as error:  # composition guarantees loading; a bug if not
            issue = CompositionIssue(
                "INTERNAL_COMPOSITION_ERROR",
                f"the API schema cannot be built from the composed supergraph: {error}",
                hint="report this with the subgraph schemas",
            )
            return [], issue
    return [_Output(path, texts[what], what) for path, what in paths], None


def _check(outputs: list[_Output], err: TextIO, *, quiet: bool) -> int:
    code = EXIT_OK
    for output in outputs:
        current = _read_existing(output.path)
        if current == output.text:
            output.status = "up to date"
            continue
        code = EXIT_FAILED
        output.status = "missing" if current is None else "would change"
        if current is not None and not quiet:
            diff = list(
                difflib.unified_diff(
                    current.splitlines(),
                    output.text.splitlines(),
                    f"{output.path} (checked in)",
                    f"{output.path} (composed)",
                    lineterm="",
                )
            )
            for line in diff[:_DIFF_LINES]:
                print(line, file=err)
            if len(diff) > _DIFF_LINES:
                print(f"... {len(diff) - _DIFF_LINES} more diff lines", file=err)
    return code


def _write_all(outputs: list[_Output], stdout: TextIO) -> None:
    """Write every changed file to a temporary file beside it, then rename them all."""
    pending: list[tuple[str, Path]] = []
    try:
        for output in outputs:
            if output.path == STDOUT:
                continue
            if _read_existing(output.path) == output.text:
                output.status = "unchanged"
                continue
            target = Path(output.path)
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                pending.append((_write_temp(target, output.text), target))
            except OSError as error:  # name the output, not the temporary file
                raise OSError(error.errno, error.strerror or str(error), str(target)) from None
            output.status = "written"
        for temp, target in pending:
            os.replace(temp, target)
        pending = []
    finally:
        for temp, _ in pending:
            with contextlib.suppress(OSError):
                os.unlink(temp)
    for output in outputs:
        if output.path == STDOUT:
            stdout.write(output.text)
            output.status = "printed"


def _write_temp(target: Path, text: str) -> str:
    temp = str(target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp"))
    # 0o666 less the umask, like any new file (mkstemp would make it 0o600).
    fd = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return temp


def _read_existing(path: str) -> str | None:
    try:
        return Path(path).read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError):
        return None


def _describe(source: SubgraphSource) -> dict[str, str]:
    described = {"name": source.name, "url": source.url, "declared_in": source.origin}
    if source.schema is not None:
        described["schema"] = str(source.schema)
    else:
        described["introspect"] = source.introspect_url or source.url
    return described


def format_issue(issue: CompositionIssue, severity: str, indent: str = "") -> str:
    """One composition error or hint for people: code, where, subgraphs, message, fix."""
    where = issue.type_name or ""
    if where and issue.field_name:
        where += f".{issue.field_name}"
    parts = [f"{indent}{severity}[{issue.code}]"]
    if where:
        parts.append(where)
    if issue.subgraphs:
        label = "subgraph" if len(issue.subgraphs) == 1 else "subgraphs"
        parts.append(f"({label} {', '.join(issue.subgraphs)})")
    text = " ".join(parts) + f": {' '.join(issue.message.split())}"
    if issue.hint:
        text += f"\n{indent}  fix: {issue.hint}"
    return text


def _print_json(report: dict[str, Any], out: TextIO) -> None:
    out.write(orjson.dumps(report, option=orjson.OPT_INDENT_2).decode() + "\n")


def _one_line(message: str) -> str:
    return " ".join(message.split())
