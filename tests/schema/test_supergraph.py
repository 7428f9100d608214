"""schema/supergraph.graphql and schema/api.graphql are what brand-matrix.toml composes to."""

from __future__ import annotations

import io
from pathlib import Path

from gateway.composition.command import ComposeOptions, run_compose

ROOT = Path(__file__).resolve().parents[2]


def test_checked_in_supergraph_and_api_schema_are_current() -> None:
    err = io.StringIO()
    code = run_compose(
        ComposeOptions(
            config=str(ROOT / "brand-matrix.toml"),
            out=str(ROOT / "schema" / "supergraph.graphql"),
            api_out=str(ROOT / "schema" / "api.graphql"),
            check=True,
            partition_check=False,
        ),
        io.StringIO(),
        err,
    )
    assert code == 0, (
        err.getvalue() + "\nrun: brand-matrix compose --config brand-matrix.toml "
        "--no-partition-check --out schema/supergraph.graphql --api-out schema/api.graphql"
    )
