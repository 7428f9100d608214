"""`brand-matrix check` reports: text for people, one JSON object for CI.

The JSON shape is stable (CI scripts read it)::

    {"ok": bool, "exit_code": 0|1, "mode": "subgraph"|"all",
     "subgraphs": {"composed": [...], "changed": [...]}, "api_schema": "schema/api.graphql",
     "composition": {"ok": bool, "errors": [...], "hints": [...]},
     "changes": [{"criticality", "kind", "coordinate", "message", "unused"}],
     "summary": {"breaking", "breaking_unused", "dangerous", "safe", "failing_operations"},
     "operations": [{"front_end", "file", "operation", "ok", "schema", "subgraphs",
                     "touches_changed_subgraph", "errors": [{"message", "locations"}]}],
     "operations_checked": bool, "acknowledged": "reason" | null,
     "usage": {"sink", "days", "checked", "error", "unused": [coordinates]}}
"""

from __future__ import annotations

from typing import Any, TextIO

import orjson

from gateway.checks.check import CheckReport
from gateway.composition.command import format_issue
from gateway.errors import located_message

_ORDER = {"BREAKING": 0, "DANGEROUS": 1, "SAFE": 2}


def to_json(report: CheckReport) -> dict[str, Any]:
    return {
        "ok": report.exit_code == 0,
        "exit_code": report.exit_code,
        "mode": report.mode,
        "subgraphs": {"composed": report.subgraphs, "changed": report.changed},
        "api_schema": report.api_schema,
        "composition": {
            "ok": report.composed,
            "errors": [issue.as_dict() for issue in report.composition_errors],
            "hints": [issue.as_dict() for issue in report.hints],
        },
        "changes": [change.to_json() for change in _sorted(report)],
        "summary": report.counts(),
        "operations": [result.to_json() for result in report.operations],
        "operations_checked": report.operations_checked,
        "acknowledged": report.acknowledged,
        "usage": report.usage.to_json([c.change.coordinate for c in report.changes if c.unused]),
    }


def print_json(report: CheckReport, out: TextIO) -> None:
    out.write(orjson.dumps(to_json(report), option=orjson.OPT_INDENT_2).decode() + "\n")


def print_text(report: CheckReport, out: TextIO) -> None:
    def say(line: str = "") -> None:
        print(line, file=out)

    if report.mode == "all":
        differ = ", ".join(report.changed) or "none"
        say(
            "checking the working copy of every subgraph "
            f"(differs from the checked-in SDL: {differ})"
        )
    else:
        say(
            f"checking {', '.join(report.changed)} as proposed, "
            "with the checked-in schemas of the rest"
        )

    if report.composition_errors:
        count = _plural(len(report.composition_errors), "composition error")
        say(f"composition: FAILED with {count}")
    else:
        say(f"composition: ok ({_plural(len(report.subgraphs), 'subgraph')})")
    for issue in report.composition_errors:
        say(format_issue(issue, "error", "  "))
    for issue in report.hints:
        say(format_issue(issue, "hint", "  "))
    if report.composition_errors:
        say("the API schema and the registered operations were not checked: fix composition")
        say("result: FAILED (composition errors cannot be acknowledged)")
        return

    _print_changes(report, say)
    _print_operations(report, say)
    _print_verdict(report, say)


def _print_changes(report: CheckReport, say: Any) -> None:
    if not report.changes:
        say(f"API schema: no changes against {report.api_schema}")
    else:
        counts = report.counts()
        summary = ", ".join(f"{counts[k]} {k}" for k in ("breaking", "dangerous", "safe"))
        say(f"API schema changes against {report.api_schema}: {summary}")
    days = report.usage.days
    for change in _sorted(report):
        note = f" (unused in the last {days} days)" if change.unused else ""
        say(f"  {change.criticality:<9} {change.change.coordinate}: {change.change.message}{note}")
    if report.usage.checked:
        say(f"usage: read {report.usage.sink} for the last {days} days")
    elif report.usage.error:
        say(f"usage: not checked: {report.usage.error}")


def _print_operations(report: CheckReport, say: Any) -> None:
    if not report.operations_checked:
        say("registered operations: none found")
        return
    failing = report.failing_operations
    touching = [o for o in report.operations if o.touches_changed]
    line = f"registered operations: {len(report.operations)} checked, {len(failing)} failing"
    if report.changed and report.mode == "subgraph":
        line += f", {len(touching)} touch {', '.join(report.changed)}"
    say(line)
    for result in failing:
        name = result.operation or "(unparsable file)"
        against = "" if result.schema == "api" else f" [{result.schema}]"
        uses = ""
        if report.mode == "subgraph" and result.touches_changed:
            uses = f" (uses {', '.join(report.changed)})"
        say(f"  FAIL {result.front_end}: {result.file} {name}{against}{uses}")
        for error in result.errors:
            say(f"       {located_message(error)}")
    if report.mode == "subgraph":
        for result in touching:
            if result.ok:
                names = ", ".join(result.subgraphs)
                say(f"  ok   {result.front_end}: {result.file} {result.operation} ({names})")


def _print_verdict(report: CheckReport, say: Any) -> None:
    blocking, failing = report.blocking_changes, report.failing_operations
    problems = []
    if blocking:
        problems.append(_plural(len(blocking), "breaking change"))
    if failing:
        problems.append(_plural(len(failing), "failing registered operation"))
    if not problems:
        say("result: ok" + ("" if report.changes else " (no changes)"))
        return
    if report.acknowledged is not None:
        say(f"acknowledged with --allow-breaking: {report.acknowledged}")
        say(f"result: ok, with {' and '.join(problems)} acknowledged")
        return
    say(f"result: FAILED with {' and '.join(problems)} (acknowledge with --allow-breaking REASON)")


def _sorted(report: CheckReport) -> list[Any]:
    return sorted(report.changes, key=lambda c: (_ORDER.get(c.criticality, 3), c.change.coordinate))


def _plural(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
