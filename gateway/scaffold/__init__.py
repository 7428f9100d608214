"""`brand-matrix new-subgraph NAME`: a new Strawberry Federation v2 subgraph from the template
the group's subgraphs follow (`templates/`, rendered as text: `gateway` never imports
`subgraphs`).

`scaffold(name, root=".", brand_owned=False)` writes subgraphs/NAME/ (models, service, loaders,
schema, app, seed, print_schema, migrations/ with its own version table), the tests under
tests/subgraphs/NAME/ (SQLite and PostgreSQL), and prints schema/NAME.graphql by running the
new subgraph's print_schema. It refuses bad or taken names and never overwrites a file.
"""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

from .names import NameProblem, check_name, check_repository, check_schema_names
from .render import names, render

TEMPLATES = Path(__file__).resolve().parent / "templates"
SUFFIX = ".tmpl"
DEPLOYMENTS = {True: "brand-owned: one deployment per brand", False: "central"}
EXAMPLE_URL = "http://127.0.0.1:4301/graphql"


class ScaffoldError(Exception):
    """The subgraph cannot be created; the message is one line."""


@dataclass
class ScaffoldResult:
    name: str
    root: Path
    brand_owned: bool
    created: list[Path] = field(default_factory=list)

    def next_steps(self) -> str:
        n = self.name
        kind = DEPLOYMENTS[self.brand_owned]
        toml = [f"[subgraphs.{n}]", f'url = "{EXAMPLE_URL}"', f'schema = "schema/{n}.graphql"']
        if self.brand_owned:
            toml += [f"[partitions.{n}]", 'brand_from = "prefix"', f"[partitions.{n}.brands]"]
            toml += [f'lumen = "{EXAMPLE_URL}"']
        steps = [
            f"subgraph {n!r} created ({kind}). Next:",
            f"  1. edit subgraphs/{n}/ (models.py and a new migration, service.py, schema.py)",
            f"  2. python -m subgraphs.{n}.print_schema && python -m pytest tests/subgraphs/{n}",
            "  3. add it to brand-matrix.toml and compose:",
            *(f"       {line}" for line in toml),
            "     brand-matrix compose --config brand-matrix.toml --no-partition-check",
            "  4. brand-matrix dev   (serves it with the others; reloads when you edit it)",
        ]
        return "\n".join(steps)


def scaffold(
    name: str, *, root: str | Path = ".", brand_owned: bool = False, print_schema: bool = True
) -> ScaffoldResult:
    directory = Path(root).resolve()
    values = names(name)
    try:
        check_name(name)
        check_repository(directory, name)
        check_schema_names(
            directory,
            {f"{values['Name']}Item"},
            {f"{values['camel']}Item", f"{values['camel']}Items", f"create{values['Name']}Item"},
        )
    except NameProblem as error:
        raise ScaffoldError(str(error)) from None
    planned = _plan(directory, name)
    existing = [target for _, target in planned if target.exists()]
    if existing:  # checked before writing anything: never overwrite, never half-write
        raise ScaffoldError(f"{existing[0].relative_to(directory)} already exists; nothing written")
    values["deployment"] = DEPLOYMENTS[brand_owned]
    rendered = [
        (render(template.read_text(encoding="utf-8"), values, brand_owned=brand_owned), target)
        for template, target in planned
    ]  # all rendered before anything is written
    result = ScaffoldResult(name, directory, brand_owned)
    for text, target in rendered:
        target.parent.mkdir(parents=True, exist_ok=True)
        with target.open("x", encoding="utf-8") as out:  # "x": fails rather than overwrite
            out.write(text)
        result.created.append(target.relative_to(directory))
    _format([directory / p for p in result.created if p.suffix == ".py"], directory)
    if print_schema:
        result.created.append(_print_schema(directory, name))
    return result


def _plan(root: Path, name: str) -> list[tuple[Path, Path]]:
    """(template, target) for every template file."""
    bases = {"subgraph": root / "subgraphs" / name, "tests": root / "tests" / "subgraphs" / name}
    planned = []
    for template in sorted(TEMPLATES.rglob(f"*{SUFFIX}")):
        kind, *rest = template.relative_to(TEMPLATES).parts
        relative = Path(*rest).with_name(rest[-1][: -len(SUFFIX)].replace("NAME", name))
        planned.append((template, bases[kind] / relative))
    return planned


def _format(paths: list[Path], root: Path) -> None:
    """ruff (a dev dependency) sorts imports and formats, so line lengths that depend on the
    name stay lint-clean; without ruff the files are written as rendered."""
    if not paths or importlib.util.find_spec("ruff") is None:
        return
    files = [str(p) for p in paths]
    for command in (["check", "--select", "I", "--fix", "--quiet"], ["format", "--quiet"]):
        subprocess.run(
            [sys.executable, "-m", "ruff", *command, *files],
            cwd=root,
            capture_output=True,
            check=False,
        )


def _print_schema(root: Path, name: str) -> Path:
    """Run the new subgraph's print_schema in the target repository (a subprocess: the
    gateway does not import subgraphs, and the new code must be imported fresh)."""
    env = {
        **os.environ,
        "PYTHONPATH": os.pathsep.join(filter(None, [str(root), os.environ.get("PYTHONPATH")])),
    }
    done = subprocess.run(
        [sys.executable, "-m", f"subgraphs.{name}.print_schema"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ScaffoldError(f"files written, but printing schema/{name}.graphql failed: {last}")
    return Path("schema") / f"{name}.graphql"
