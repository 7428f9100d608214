"""The wrk driver: its generated Lua script and the result line it prints."""

from __future__ import annotations

from pathlib import Path

import pytest

from bench.run.wrk import lua_long_string, lua_script, parse_wrk_output, wrk_command


def test_long_strings_pick_a_level_that_does_not_occur_in_the_text() -> None:
    assert lua_long_string('{"query":"{ a }"}') == '[[{"query":"{ a }"}]]'
    assert lua_long_string("a]]b") == "[=[a]]b]=]"
    assert lua_long_string("a]]b]=]c") == "[==[a]]b]=]c]==]"
    assert lua_long_string("\nx") == "[[\n\nx]]"  # Lua drops the first newline


def test_the_script_posts_the_body_and_reads_the_reference_answer(tmp_path: Path) -> None:
    script = lua_script(b'{"query":"query TestQuery { users { id } }"}', tmp_path / "ref.json")
    assert 'wrk.method = "POST"' in script
    assert 'wrk.body = [[{"query":"query TestQuery { users { id } }"}]]' in script
    assert f"local reference_path = [[{tmp_path / 'ref.json'}]]" in script
    assert "WRK_RESULT " in script and "@" not in script


def test_wrk_runs_one_thread_for_whole_seconds() -> None:
    command = wrk_command("/usr/bin/wrk", "http://127.0.0.1:1/graphql", 50, 2.5, Path("s.lua"))
    assert command[1:7] == ["-t", "1", "-c", "50", "-d", "3s"]


def test_the_result_line_becomes_a_load_result() -> None:
    output = (
        "Running 15s test @ http://127.0.0.1:4000/graphql\n"
        '  1 threads and 50 connections\nWRK_RESULT {"duration_us":15000000,"answered":3000,'
        '"wrong":2,"bad_status":1,"connect":0,"read":4,"write":0,"timeout":0,'
        '"p50_us":16000,"p95_us":21000,"p99_us":30000,"mean_us":16500.5,"max_us":90000}\n'
    )
    result = parse_wrk_output(output)
    assert result.answered == 3000
    assert result.wrong == 2
    assert result.errors == 5
    assert result.elapsed_s == 15.0
    assert result.latency_ms == {
        "p50": 16.0,
        "p95": 21.0,
        "p99": 30.0,
        "mean": 16.5005,
        "max": 90.0,
    }
    assert result.first_error == "read: 4, status other than 200: 1"
    assert result.first_wrong == "2 answers differed in bytes from the verified answer"


def test_output_without_a_result_line_is_an_error() -> None:
    with pytest.raises(ValueError, match="no WRK_RESULT line"):
        parse_wrk_output("unable to connect to 127.0.0.1:1 Connection refused\n")
