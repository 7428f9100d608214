"""`brand-matrix brand add` / `brand list`: edits keep comments, are atomic, refuse bad input."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from gateway.cli import main
from gateway.partitions.config import load_config

CONFIG = """\
# Brand Matrix gateway config
[partitions.catalogue]
brand_from = "prefix"   # keys look like lumen:SKU-1
group_wide = ["products"]
[partitions.catalogue.brands]  # fan-out order
lumen = "http://127.0.0.1:4101/graphql"   # the first brand
aurora = "http://127.0.0.1:4102/graphql"

[partitions.content]
brand_from = "field"
[partitions.content.brands]
lumen = "http://127.0.0.1:4201/graphql"
aurora = "http://127.0.0.1:4202/graphql"

[brands.lumen]
name = "Lumen"  # the founding brand
"""


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "brand-matrix.toml"
    path.write_text(CONFIG)
    return path


def add(config: Path, *args: str) -> int:
    return main(["brand", "add", *args, "--config", str(config)])


def test_add_edits_every_named_subgraph_and_keeps_comments(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = add(
        config,
        "nova",
        "--name",
        "Nova Beauty",
        "--catalogue-url",
        "http://127.0.0.1:4103/graphql",
        "--content-url",
        "https://content.nova.example/graphql",
    )
    assert code == 0, capsys.readouterr().err
    text = config.read_text()
    added = [
        'nova = "http://127.0.0.1:4103/graphql"\n',
        'nova = "https://content.nova.example/graphql"\n',
        '\n[brands.nova]\nname = "Nova Beauty"\n',
    ]
    untouched = text
    for lines in added:
        assert lines in untouched
        untouched = untouched.replace(lines, "", 1)
    assert untouched == CONFIG  # every other byte is kept
    for comment in ("# Brand Matrix", "# keys look like", "# fan-out order", "# the first brand"):
        assert comment in text
    assert 'name = "Lumen"  # the founding brand' in text
    assert '[brands.nova]\nname = "Nova Beauty"\n' in text
    loaded = load_config(config)
    assert list(loaded.partitions["catalogue"].brands) == ["lumen", "aurora", "nova"]
    assert loaded.partitions["catalogue"].brands["nova"] == "http://127.0.0.1:4103/graphql"
    assert loaded.partitions["content"].brands["nova"] == "https://content.nova.example/graphql"
    assert loaded.names == {"lumen": "Lumen", "nova": "Nova Beauty"}
    assert "added brand 'nova'" in capsys.readouterr().out


def test_add_with_generic_url_and_a_note_for_subgraphs_left_out(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(config, "vela", "--name", "Vela", "--url", "catalogue=http://h:1/g") == 0
    assert "no partition of subgraph 'content'" in capsys.readouterr().err
    loaded = load_config(config)
    assert loaded.partitions["catalogue"].brands["vela"] == "http://h:1/g"
    assert "vela" not in loaded.partitions["content"].brands


def test_add_to_a_config_without_brands_table(tmp_path: Path) -> None:
    path = tmp_path / "c.toml"
    path.write_text('[partitions.catalogue.brands]\nlumen = "http://h/g"\n')
    assert add(path, "nova", "--name", "Nova", "--catalogue-url", "http://h2/g") == 0
    loaded = load_config(path)
    assert loaded.names == {"nova": "Nova"}
    assert list(loaded.partitions["catalogue"].brands) == ["lumen", "nova"]


def test_write_is_atomic_rename_and_keeps_the_mode(config: Path) -> None:
    os.chmod(config, 0o640)
    before = os.stat(config).st_ino
    assert add(config, "nova", "--name", "Nova", "--catalogue-url", "http://h/g") == 0
    after = os.stat(config)
    assert after.st_ino != before  # replaced by a rename, not rewritten in place
    assert after.st_mode & 0o777 == 0o640
    assert [p.name for p in config.parent.iterdir()] == [config.name]  # no temp file left


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["lumen", "--name", "L", "--catalogue-url", "http://h/g"], "brand 'lumen' already exists"),
        (["Nova", "--name", "N", "--catalogue-url", "http://h/g"], "invalid brand id 'Nova'"),
        (["no:va", "--name", "N", "--catalogue-url", "http://h/g"], "invalid brand id 'no:va'"),
        (["no va", "--name", "N", "--catalogue-url", "http://h/g"], "invalid brand id"),
        (["nova", "--name", "N", "--catalogue-url", "ftp://h/g"], "invalid URL 'ftp://h/g'"),
        (["nova", "--name", "N", "--content-url", "h/g"], "invalid URL 'h/g'"),
        (["nova", "--name", "N", "--url", "looks=http://h/g"], "'looks' is not declared as part"),
        (["nova", "--name", "N", "--url", "nonsense"], "--url wants SUBGRAPH=URL"),
        (
            ["nova", "--name", "N", "--catalogue-url", "http://a/g", "--url", "catalogue=http://b"],
            "two URLs for subgraph 'catalogue'",
        ),
        (["nova", "--name", "N"], "give at least one URL"),
        (["nova", "--name", " ", "--catalogue-url", "http://h/g"], "--name must not be empty"),
    ],
)
def test_add_refusals_leave_the_file_untouched(
    config: Path, capsys: pytest.CaptureFixture[str], args: list[str], message: str
) -> None:
    assert add(config, *args) == 2
    err = capsys.readouterr().err
    assert message in err
    assert err.count("\n") == 1 and err.startswith("brand-matrix: error: ")
    assert config.read_text() == CONFIG


def test_add_refuses_a_missing_or_broken_config(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "nope.toml"
    assert add(missing, "nova", "--name", "N", "--catalogue-url", "http://h/g") == 2
    assert "nope.toml does not exist" in capsys.readouterr().err
    assert not missing.exists()
    broken = tmp_path / "broken.toml"
    broken.write_text("[partitions.catalogue\n")
    assert add(broken, "nova", "--name", "N", "--catalogue-url", "http://h/g") == 2
    assert "is not valid TOML" in capsys.readouterr().err


def test_list_prints_brands_names_and_urls(
    config: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert add(config, "nova", "--name", "Nova", "--catalogue-url", "http://h/g") == 0
    capsys.readouterr()
    assert main(["brand", "list", "--config", str(config)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["BRAND", "NAME", "catalogue", "content"]
    assert lines[1].split() == [
        "lumen",
        "Lumen",
        "http://127.0.0.1:4101/graphql",
        "http://127.0.0.1:4201/graphql",
    ]
    assert lines[2].split()[:2] == ["aurora", "-"]
    assert lines[3].split() == ["nova", "Nova", "http://h/g", "-"]


def test_list_refuses_a_missing_config(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["brand", "list", "--config", str(tmp_path / "nope.toml")]) == 2
    assert "does not exist" in capsys.readouterr().err
