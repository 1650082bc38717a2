"""`coordgap validate` checks every quote against its source's text (issue #11: evidence)."""

from __future__ import annotations

import csv
import io
import json
import shutil

import pytest
from click.testing import CliRunner
from conftest import EXAMPLE, ZERO_TOLERANCE, require_oig_report

from coordgap.cli import main
from coordgap.io.evidence import nearest_passage, normalise


def run(*args):
    return CliRunner().invoke(main, ["validate", *map(str, args)])


def _alter_first_quote(folder, old: str, new: str) -> None:
    files = sorted(folder.rglob("evidence*.csv")) or sorted((folder / "evidence").glob("*.csv"))
    for f in files:
        text = f.read_text(encoding="utf-8")
        if old in text:
            f.write_text(text.replace(old, new, 1), encoding="utf-8")
            return
    raise AssertionError(f"{old!r} not found in the evidence files")


def test_untouched_example_case_is_valid_with_every_quote_checked():
    res = run(EXAMPLE, "--format", "json")
    assert res.exit_code == 0, res.output
    data = json.loads(res.output)
    assert data["valid"] and data["quotes_not_checked"] == {}


def test_an_altered_quote_is_named_with_its_file_row_and_nearest_passage(tmp_path):
    case = tmp_path / "example"
    shutil.copytree(EXAMPLE, case)
    # e-decision's quote, with one word changed
    _alter_first_quote(case, "ordered a night curfew on the harbour.", "ordered a day curfew on the harbour.")
    res = run(case)
    assert res.exit_code == 1, res.output
    line = next(ln for ln in res.output.splitlines() if "[e-decision]" in ln)
    assert line.startswith("evidence.csv:2: [e-decision] quote: not found verbatim in source 'inquiry'")
    assert "nearest passage: 'On March 15, 2024 the Minister of Ports ordered a night curfew" in line


def test_zero_tolerance_quotes_are_checked_when_the_report_is_given(tmp_path):
    report = require_oig_report()
    ok = run(ZERO_TOLERANCE, "--source", f"oig-21-028={report}", "--format", "json")
    assert ok.exit_code == 0, ok.output
    assert json.loads(ok.output)["quotes_not_checked"] == {}
    case = tmp_path / "zt"
    shutil.copytree(ZERO_TOLERANCE, case)
    first = next(iter(sorted((case / "evidence").glob("*.csv"))))
    # falsify the first record's quote by appending a clause the report does not have
    recs = list(csv.reader(io.StringIO(first.read_text(encoding="utf-8"))))
    recs[1][recs[0].index("quote")] += " and nobody objected"
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(recs)
    first.write_text(buf.getvalue(), encoding="utf-8")
    res = run(case, "--source", f"oig-21-028={report}")
    assert res.exit_code == 1, res.output
    assert f"evidence/{first.name}:2: [{recs[1][0]}] quote: not found verbatim in source 'oig-21-028'" in res.output


def test_without_the_text_quotes_are_listed_as_not_checked():
    res = run(ZERO_TOLERANCE)
    assert res.exit_code == 0, res.output
    assert "note: " in res.output and "quote(s) citing source 'oig-21-028' not checked" in res.output


def test_a_missing_or_outside_source_path_is_a_problem(tmp_path):
    case = tmp_path / "example"
    shutil.copytree(EXAMPLE, case)
    yaml_text = (case / "case.yaml").read_text(encoding="utf-8")
    (case / "case.yaml").write_text(yaml_text.replace("path: source.md", "path: gone.md"), encoding="utf-8")
    res = run(case)
    assert res.exit_code == 1
    assert "case.yaml: [inquiry] sources[0].path: source 'inquiry': no file at" in res.output
    outside = tmp_path / "outside.md"
    shutil.copy(EXAMPLE / "source.md", outside)
    (case / "case.yaml").write_text(yaml_text.replace("path: source.md", "path: ../outside.md"), encoding="utf-8")
    res = run(case)
    assert res.exit_code == 1
    assert "'../outside.md' is outside the case folder; keep the text in the folder or give it with --source" in res.output
    # the same text given explicitly is accepted
    assert run(case, "--source", f"inquiry={outside}").exit_code == 0


def test_source_option_errors():
    assert run(EXAMPLE, "--source", "nonsense").exit_code == 2
    res = run(EXAMPLE, "--source", "nosuch=x.md")
    assert res.exit_code == 2 and "names no source of the case: nosuch" in res.output


@pytest.mark.parametrize("quote,expect", [
    ("the Minister of Ports ordered a night curfew on the harbour at dawn", "the Minister of Ports ordered"),
    ("something entirely different and unrelated to anything", ""),
])
def test_nearest_passage(quote, expect):
    text = normalise((EXAMPLE / "source.md").read_text(encoding="utf-8"))
    near = nearest_passage(quote, text)
    assert (expect in near) if expect else near == ""
