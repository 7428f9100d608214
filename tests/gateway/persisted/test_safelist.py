"""The safelist: the registered front-end operations, by hash or by text."""

from __future__ import annotations

from pathlib import Path

import pytest
from graphql import parse, print_ast

from gateway.persisted import Safelist, load_safelist, sha256_hex

OPERATIONS = Path(__file__).parents[3] / "schema" / "operations"


def test_loads_every_front_end_operation_with_both_hashes() -> None:
    safelist = load_safelist(OPERATIONS)
    files = sorted(OPERATIONS.glob("*/*.graphql"))
    assert len(safelist) == len(files) > 0
    home = (OPERATIONS / "lumen-miniprogram" / "home.graphql").read_text()
    printed = print_ast(parse(home))
    assert safelist.document_for(sha256_hex(home)) == home
    assert safelist.document_for(sha256_hex(printed)) == home  # what Apollo Client hashes
    assert safelist.allows(home) and safelist.allows(printed)


def test_front_ends_can_be_chosen() -> None:
    only = load_safelist(OPERATIONS, front_ends=["vitalis-miniprogram"])
    assert [op.name for op in only.operations] == ["vitalis-miniprogram/home"]
    with pytest.raises(ValueError, match="nope"):
        load_safelist(OPERATIONS, front_ends=["nope"])


def test_text_matches_whatever_its_layout_but_nothing_else() -> None:
    safelist = Safelist({"app/hi": '# greets\nquery Hi { hello(name: "Ada") }\n'})
    assert safelist.allows('query Hi {\n  hello(name: "Ada")\n}')
    assert safelist.allows('query Hi{hello(name:"Ada"),}  # comments do not count')
    assert not safelist.allows('query Hi { hello(name: "Bo") }')
    assert not safelist.allows("query Hi { hello")  # does not parse: not on the list
    assert not safelist.allows("{" * 100_000)  # far longer than any entry: refused unparsed
    assert safelist.document_for("0" * 64) is None


def test_a_broken_registration_fails_at_load(tmp_path: Path) -> None:
    (tmp_path / "app").mkdir()
    (tmp_path / "app" / "bad.graphql").write_text("query {")
    with pytest.raises(ValueError, match="app/bad"):
        load_safelist(tmp_path)
    with pytest.raises(ValueError, match="does not exist"):
        load_safelist(tmp_path / "missing")
