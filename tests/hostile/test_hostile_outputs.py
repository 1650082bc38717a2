"""Outputs that cannot be turned against their reader: terminal escapes, formulas, SARIF text,
and a benchmark generator that makes only loadable data."""

from __future__ import annotations

import sys

import numpy as np
from click.testing import CliRunner
from corpus import ROOT, copy_example, write_proposal

from coordgap.cli import main
from coordgap.errors import Problem
from coordgap.render.sarif import plain_text
from coordgap.render.spreadsheet import neutralise
from coordgap.render.terminal import escape, escape_block


def test_escape_makes_every_control_character_visible():
    assert escape("a\x1b[2J\nb\rc\td\x07\x00\x9b\u202ee\u2066") == "a\\x1b[2J\\nb\\rc\\td\\x07\\x00\\x9b\\u202ee\\u2066"
    assert escape_block("line 1\nline\x1b[31m 2\r") == "line 1\nline\\x1b[31m 2\\r"
    assert escape("Café – ok") == "Café – ok"


def test_a_problem_is_always_one_line():
    p = Problem("communications.csv", 17, "id", "bad", "c-x\nexample: valid")
    assert str(p) == "communications.csv:17: [c-x\\nexample: valid] id: bad"


def test_a_newline_in_an_id_cannot_forge_a_line_of_validate(tmp_path):
    case = copy_example(tmp_path)
    with (case / "communications.csv").open("a") as fh:
        fh.write('"c-x\nexample: valid (16 organisations)",2024-03-02,email,notification,ports-legal,customs-north,'
                 'staffing,d-curfew,,,A note.,e-c-north\n')
    out = CliRunner().invoke(main, ["validate", str(case)]).output
    assert not any(line.startswith("example: valid") for line in out.splitlines()), out
    assert "[c-x\\nexample: valid (16 organisations)] id:" in out


def test_csv_cells_that_start_a_formula_get_a_quote():
    assert [neutralise(v) for v in ("=1+1", "+1+1", "-2+3", "@SUM(A1)", "\tx", "\rx", "-3", "+1.5", "a=b", 7, None)] == \
        ["'=1+1", "'+1+1", "'-2+3", "'@SUM(A1)", "'\tx", "'\rx", "-3", "+1.5", "a=b", 7, None]


def test_sarif_messages_are_plain_text():
    assert plain_text("see [here](1) \x1b[2J") == "see \\[here\\](1) \\x1b\\[2J"


def test_check_sarif_and_json_of_a_spoofed_title(tmp_path):
    case = copy_example(tmp_path)
    proposal = write_proposal(case, title='"\\e[2J[click](0) PASSED"')
    sarif = CliRunner().invoke(main, ["check", str(proposal), "--format", "sarif", "-o", str(tmp_path / "s.sarif")])
    assert sarif.exit_code == 1 and sarif.output.startswith("FAILED: ")
    as_json = CliRunner().invoke(main, ["check", str(proposal), "--format", "json"]).output
    assert '"title": "\\u001b[2J[click](0) PASSED"' in as_json  # JSON keeps the raw value


def test_an_unexpected_error_is_one_line_and_exit_2(monkeypatch):
    cli_main = sys.modules["coordgap.cli.main"]

    def boom(*a, **k):
        raise ArithmeticError("overflow \x1b[2J")

    monkeypatch.setattr(cli_main, "consultation_matrix", boom)
    result = CliRunner().invoke(main, ["matrix", "example"])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.output.startswith("error: coordgap could not finish (ArithmeticError: overflow \\x1b[2J).")


def test_bench_generator_makes_replies_the_loader_accepts():
    sys.path.insert(0, str(ROOT / "bench"))
    from generate import generate

    t = generate(20_000, n_decisions=50, n_orgs=300, seed=3).comms
    ids = t.column("comm").to_pylist()
    start = dict(zip(ids, t.column("c_start").to_pylist()))
    end = dict(zip(ids, t.column("c_end").to_pylist()))
    replies = [(c, r) for c, rs in zip(ids, t.column("responds_to").to_pylist()) for r in (rs or [])]
    assert len(replies) > 1000
    # what crossref.py requires: what is answered starts no later than the reply ends; never itself
    assert all(start[r] <= end[c] and r != c for c, r in replies)
    assert np.mean([start[r] < start[c] for c, r in replies]) > 0.5


def test_a_check_that_cannot_finish_still_writes_its_sarif_and_exits_2(tmp_path, monkeypatch):
    import json

    cli_check = sys.modules["coordgap.cli.check"]

    def boom(*a, **k):
        raise OverflowError("date value out of range")

    monkeypatch.setattr(cli_check, "check_loaded", boom)
    proposal = write_proposal(copy_example(tmp_path))
    out = tmp_path / "c.sarif"
    result = CliRunner().invoke(main, ["check", str(proposal), "--format", "sarif", "-o", str(out)])
    assert result.exit_code == 2 and "Traceback" not in result.output
    lines = result.output.splitlines()
    assert lines[0] == lines[-1] == "INVALID INPUT: nothing was checked (1 problem(s))."
    sarif = json.loads(out.read_text())
    note = sarif["runs"][0]["invocations"][0]["toolExecutionNotifications"][0]
    assert note["message"]["text"] == ("coordgap could not finish the check (OverflowError); "
                                       "please report it with the proposal")
