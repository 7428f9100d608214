"""`brand-matrix check`: compose a proposed subgraph change with the checked-in schemas and
judge it. The report holds the composition errors and hints, the classified diff of the new
API schema against the checked-in one, and every registered operation that would no longer
validate or plan. `report.py` prints it; `exit_code` decides CI's verdict:

- 0: it composes, and nothing breaks (only safe or dangerous changes, or breaking changes
  that usage data shows unused, or breaking changes acknowledged with `--allow-breaking`);
- 1: composition errors (never acknowledgeable), breaking changes, or registered operations
  that would fail — the latter two pass only with `--allow-breaking REASON`;
- 2: inputs that cannot be used (raised as `CheckInputError`, see inputs.py).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from graphql import GraphQLSchema, build_schema

from gateway.checks.inputs import (
    CheckConfig,
    CheckInputError,
    checked_in,
    proposed_from_files,
    read_config,
    read_sdl,
)
from gateway.checks.operations import (
    OperationResult,
    check_operations,
    load_operations,
    plan_subgraphs,
)
from gateway.checks.print_sdls import DEFAULT_MODULE
from gateway.composition.errors import CompositionIssue
from gateway.composition.subgraph import SubgraphInput

EXIT_OK, EXIT_FAILED, EXIT_INPUT = 0, 1, 2
DEFAULT_USAGE_DAYS = 30
DEFAULT_API_SCHEMA = "schema/api.graphql"
DEFAULT_OPERATIONS = "schema/operations"


@dataclass
class CheckOptions:
    config: str = "brand-matrix.toml"
    subgraphs: list[tuple[str, str]] = field(default_factory=list)  # (name, schema file)
    all: bool = False
    allow_breaking: str | None = None
    usage: str | None = None  # else [usage] sink of the config
    usage_days: int | None = None  # else 30
    allow_missing_usage: bool = False
    api_schema: str | None = None  # else schema/api.graphql next to the config
    operations: str | None = None  # else schema/operations next to the config
    print_module: str = DEFAULT_MODULE


@dataclass
class ChangeResult:
    change: Any  # gateway.checks.diff.SchemaChange
    unused: bool = False  # breaking, but no recorded use in the usage window

    @property
    def criticality(self) -> str:
        return str(self.change.criticality.value)

    @property
    def blocking(self) -> bool:
        return self.criticality == "BREAKING" and not self.unused

    def to_json(self) -> dict[str, Any]:
        return {**self.change.to_json(), "unused": self.unused}


@dataclass
class UsageReport:
    sink: str | None  # without credentials
    days: int
    checked: bool = False
    error: str | None = None

    def to_json(self, unused: list[str]) -> dict[str, Any]:
        return {
            "sink": self.sink,
            "days": self.days,
            "checked": self.checked,
            "error": self.error,
            "unused": unused,
        }


@dataclass
class CheckReport:
    mode: str  # "subgraph" or "all"
    subgraphs: list[str]  # every subgraph composed
    changed: list[str]  # those whose proposed SDL differs from the checked-in one
    api_schema: str  # the checked-in API schema the diff is against
    usage: UsageReport
    composition_errors: list[CompositionIssue] = field(default_factory=list)
    hints: list[CompositionIssue] = field(default_factory=list)
    changes: list[ChangeResult] = field(default_factory=list)
    operations: list[OperationResult] = field(default_factory=list)
    operations_checked: bool = False
    acknowledged: str | None = None

    @property
    def composed(self) -> bool:
        return not self.composition_errors

    @property
    def blocking_changes(self) -> list[ChangeResult]:
        return [c for c in self.changes if c.blocking]

    @property
    def failing_operations(self) -> list[OperationResult]:
        return [o for o in self.operations if not o.ok]

    @property
    def acknowledgeable(self) -> bool:
        """Breaking changes or failing operations that `--allow-breaking` lets through."""
        return bool(self.blocking_changes or self.failing_operations)

    @property
    def exit_code(self) -> int:
        if self.composition_errors:
            return EXIT_FAILED
        if self.acknowledgeable and self.acknowledged is None:
            return EXIT_FAILED
        return EXIT_OK

    def counts(self) -> dict[str, int]:
        out = {"breaking": 0, "breaking_unused": 0, "dangerous": 0, "safe": 0}
        for change in self.changes:
            key = change.criticality.lower()
            out[key] = out.get(key, 0) + 1
            if change.criticality == "BREAKING" and change.unused:
                out["breaking_unused"] += 1
        out["failing_operations"] = len(self.failing_operations)
        return out


def run_check(options: CheckOptions) -> CheckReport:
    """The report for `options`; CheckInputError for anything the user must fix first."""
    if options.all == bool(options.subgraphs):
        raise CheckInputError("give --subgraph NAME --schema FILE (repeatable) or --all")
    config = read_config(options.config)
    current = checked_in(config)
    if options.all:
        from gateway.checks.working_copy import working_copy

        proposed = working_copy(current, config.root, module=options.print_module)
        changed = [n for n in proposed if proposed[n].sdl != current[n].sdl]
    else:
        proposed = proposed_from_files(current, options.subgraphs)
        changed = [name for name, _ in options.subgraphs]
    api_path = _path(options.api_schema, config, DEFAULT_API_SCHEMA)
    old_api_sdl = read_sdl(api_path, "--api-schema")
    old_api = _build(old_api_sdl, api_path)
    operations_dir = _path(options.operations, config, DEFAULT_OPERATIONS)
    if options.operations is not None and not operations_dir.is_dir():
        raise CheckInputError(f"--operations {operations_dir}: no such directory")
    usage, counts = _usage(options, config)

    report = CheckReport(
        mode="all" if options.all else "subgraph",
        subgraphs=sorted(proposed),
        changed=changed,
        api_schema=str(api_path),
        usage=usage,
        acknowledged=options.allow_breaking,
    )
    supergraph_sdl = _compose(report, list(proposed.values()))
    if supergraph_sdl is None:
        return report
    from gateway.composition.api_printer import print_api_schema
    from gateway.supergraph_state import build_supergraph

    built = build_supergraph(supergraph_sdl)
    report.changes = _changes(old_api_sdl, print_api_schema(supergraph_sdl), old_api, counts)
    if operations_dir.is_dir():
        from gateway.checks.contract_schemas import schema_chooser

        schema_for = schema_chooser(config, supergraph_sdl, built.api_schema)
        registered = load_operations(operations_dir, config.root)
        report.operations = check_operations(registered, schema_for, built.planner)
        report.operations_checked = True
        _mark_touched(report, registered, list(current.values()))
    return report


def _compose(report: CheckReport, inputs: list[SubgraphInput]) -> str | None:
    from gateway.composition import compose

    result = compose(inputs)
    report.composition_errors = list(result.errors)
    report.hints = list(result.hints)
    if result.supergraph_sdl is None and not result.errors:  # not expected; never pass silently
        report.composition_errors.append(
            CompositionIssue("INTERNAL_COMPOSITION_ERROR", "composition produced no supergraph")
        )
    return result.supergraph_sdl if result.ok else None


def _changes(
    old_sdl: str, new_sdl: str, old_api: GraphQLSchema, counts: dict[str, int] | None
) -> list[ChangeResult]:
    from gateway.checks.diff import diff_sdl
    from gateway.checks.usage_filter import is_unused

    results = [ChangeResult(change) for change in diff_sdl(old_sdl, new_sdl)]
    if counts is not None:
        for result in results:
            if result.criticality == "BREAKING":
                result.unused = is_unused(result.change.coordinate, old_api, counts)
    return results


def _mark_touched(report: CheckReport, registered: list[Any], current: list[SubgraphInput]) -> None:
    """Which operations touch a changed subgraph: from the new plan, or for an operation that
    no longer plans, from its plan over the checked-in schemas."""
    changed = set(report.changed)
    baseline: Any = None
    documents = {(r.file, r.name): r.document for r in registered}
    for result in report.operations:
        subgraphs = set(result.subgraphs)
        document = documents.get((result.file, result.operation))
        if not subgraphs and document is not None:
            if baseline is None:
                baseline = _baseline_planner(current) or False
            if baseline:
                subgraphs = set(plan_subgraphs(baseline, document)[0])
        result.touches_changed = bool(subgraphs & changed)


def _baseline_planner(current: list[SubgraphInput]) -> Any:
    from gateway.composition import compose
    from gateway.supergraph_state import build_supergraph

    result = compose(current)
    return build_supergraph(result.supergraph_sdl).planner if result.ok else None


def _usage(options: CheckOptions, config: CheckConfig) -> tuple[UsageReport, dict[str, int] | None]:
    configured = config.usage.get("sink")
    sink = options.usage or (configured if isinstance(configured, str) and configured else None)
    days = DEFAULT_USAGE_DAYS if options.usage_days is None else options.usage_days
    from gateway.config_print import mask_url  # passwords never reach a CI log

    report = UsageReport(None if sink is None else mask_url(sink), days)
    if sink is None:
        return report, None
    from gateway.usage.reader import UsageUnavailable, read_window
    from gateway.usage.recorder import window

    try:
        counts, since = read_window(sink, days=days)
    except UsageUnavailable as error:
        if not options.allow_missing_usage:
            raise CheckInputError(f"{error} (--allow-missing-usage checks without it)") from None
        report.error = str(error)
        return report, None
    if not counts:  # no evidence either way (recording off, a new sink): nothing is unused
        report.error = f"the sink holds no usage in the last {days} days; usage not applied"
        return report, None
    first, last = window(days)
    if since is None or since > first:
        # A field used weekly looks unused in a sink that started recording yesterday.
        covered = 0 if since is None else (last - since).days + 1
        report.error = (
            f"the sink has recorded usage only since {since} ({covered} of the {days} days "
            "asked); usage not applied (ask fewer --usage-days, or wait)"
        )
        return report, None
    report.checked = True
    return report, counts


def _path(given: str | None, config: CheckConfig, default: str) -> Path:
    # Flags are relative to the working directory; defaults to the config's directory.
    return Path(given) if given is not None else config.root / default


def _build(sdl: str, path: Path) -> GraphQLSchema:
    from graphql import GraphQLError

    try:
        return build_schema(sdl)
    except (GraphQLError, TypeError) as error:
        message = getattr(error, "message", str(error))
        raise CheckInputError(f"{path} is not a valid API schema: {message}") from None
