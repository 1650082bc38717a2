"""Every attack of the corpus through every command: a clear message, exit 0, 1 or 2, no traceback,
a few seconds at most, and outputs with no raw control character, no live formula, no injected markup."""

from __future__ import annotations

import csv
import io
import re
import time
from pathlib import Path

import cmarkgfm
import pytest
from click.testing import CliRunner
from cmarkgfm.cmark import Options
from corpus import ATTACKS, PROPOSAL_ATTACKS, copy_example, write_proposal

from coordgap.cli import main
from coordgap.render.spreadsheet import FORMULA_STARTS

SECONDS = 15  # per command, on a loaded shared machine; alone each takes well under one
RAW_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
NUMBER = re.compile(r"[+-]?[0-9]+(\.[0-9]*)?")
# A link the report makes itself: to a heading, or to another file of the report (records.md#...).
EXTERNAL = r'<a href="(?!#)(?![a-z][a-z0-9-]*\.(?:md|html)(?:#[^"]*)?")'



def run(args, expect_files=()):
    t0 = time.perf_counter()
    result = CliRunner().invoke(main, [str(a) for a in args])
    elapsed = time.perf_counter() - t0
    assert result.exit_code in (0, 1, 2), (args, result.exit_code, result.output)
    assert result.exception is None or isinstance(result.exception, SystemExit), (args, repr(result.exception))
    assert "Traceback" not in result.output, result.output
    assert not RAW_CONTROL.search(result.output), (args, result.output[:2000])
    assert elapsed < SECONDS, (args, elapsed)
    return result


def assert_no_formula(text: str) -> None:
    for row in csv.reader(io.StringIO(text)):
        for cell in row:
            assert not cell.startswith(FORMULA_STARTS) or NUMBER.fullmatch(cell), cell


def gfm(markdown: str) -> str:
    return cmarkgfm.github_flavored_markdown_to_html(markdown, options=Options.CMARK_OPT_UNSAFE)


def assert_no_markup(markdown: str) -> None:
    """GitHub's renderer (cmark-gfm with autolink, tables, tag filter) turns no data into links,
    HTML, headings or extra table cells."""
    html = gfm(markdown)
    assert not re.search(EXTERNAL, html), re.findall(r'<a href="[^"]*"', html)[:5]
    assert "<img" not in html and "<script" not in html
    for table in re.findall(r"<table>(.*?)</table>", html, flags=re.S):
        widths = {len(re.findall(r"<t[hd][ >]", row)) for row in re.findall(r"<tr>(.*?)</tr>", table, flags=re.S)}
        assert len(widths) == 1, widths


@pytest.mark.parametrize("name", sorted(ATTACKS))
def test_case_attack(name, tmp_path):
    build, expected, options = ATTACKS[name]
    case = copy_example(tmp_path)
    build(case)
    out = tmp_path / "out"
    result = run([*options, "validate", case])
    assert expected in result.output, result.output
    run([*options, "matrix", case])
    matrix = run([*options, "matrix", case, "--format", "csv", "-o", out / "matrix.csv"])
    findings = run([*options, "findings", case, "--format", "csv", "-o", out / "findings.csv"])
    run([*options, "findings", case])
    run([*options, "export", case, "-o", out / "case.json"])
    report = run([*options, "report", case, "--out", out / "report"])
    run([*options, "check", write_proposal(case)])
    run([*options, "check", write_proposal(case), "--format", "sarif", "-o", out / "check.sarif"])
    if matrix.exit_code == 0:
        assert_no_formula((out / "matrix.csv").read_text(encoding="utf-8"))
    if findings.exit_code in (0, 1) and (out / "findings.csv").exists():
        assert_no_formula((out / "findings.csv").read_text(encoding="utf-8"))
    if report.exit_code == 0:
        for md in sorted((out / "report").glob("*.md")):
            assert_no_markup(md.read_text(encoding="utf-8"))
        html = (out / "report" / "report.html").read_text(encoding="utf-8")
        assert "<img src=x" not in html


@pytest.mark.parametrize("name", sorted(PROPOSAL_ATTACKS))
def test_proposal_attack(name, tmp_path):
    title, extra, expected = PROPOSAL_ATTACKS[name]
    case = copy_example(tmp_path)
    proposal = write_proposal(case, title=title, extra=extra)
    result = run(["check", proposal])
    assert expected in result.output, result.output
    lines = result.output.splitlines()
    assert lines[0] == lines[-1] and lines[0].startswith(("PASSED: ", "FAILED: ", "INVALID INPUT: ")), lines
    run(["check", proposal, "--format", "json", "-o", tmp_path / "c.json"])
    run(["check", proposal, "--format", "sarif", "-o", tmp_path / "c.sarif"])


def test_spoofed_title_cannot_print_a_verdict(tmp_path):
    """The issue's attack: ESC[2J ESC[H ESC[32mPASSED in the title. The screen is not cleared, the
    verdict is the program's and comes first and last, and the title is shown escaped."""
    title, extra, _ = PROPOSAL_ATTACKS["spoofed-title"]
    proposal = write_proposal(copy_example(tmp_path), title=title, extra=extra)
    result = run(["check", proposal])
    lines = result.output.splitlines()
    assert result.exit_code == 1
    assert lines[0].startswith("FAILED: ") and lines[-1] == lines[0]
    assert "coordgap check: \\x1b[2J\\x1b[H\\x1b[32mPASSED: no blocking gap\\x1b[0m" in lines
    assert not any(line.startswith("PASSED") for line in lines)


def test_formulas_are_neutralised_in_csv_but_raw_in_json(tmp_path):
    case = copy_example(tmp_path)
    ATTACKS["formulas"][0](case)
    findings = run(["findings", case, "--format", "csv", "--exit-zero"]).output
    assert_no_formula(findings)
    assert "'=HYPERLINK(\"\"http://evil.example\"\",\"\"click\"\") was only informed" in findings
    as_json = run(["export", case]).output
    assert '"title": "@SUM(1+1)*cmd"' in as_json and '"name": "=HYPERLINK(' in as_json


def test_links_in_data_are_text_in_the_report(tmp_path):
    """728 links in the issue's hostile report; none now, rendered by GitHub's own renderer."""
    case = copy_example(tmp_path)
    ATTACKS["markup"][0](case)
    run(["report", case, "--out", tmp_path / "r", "--format", "md"])
    md = (tmp_path / "r" / "report.md").read_text(encoding="utf-8")
    html = gfm(md)
    assert md.count("evil.example") >= 3 and "https\\://evil.example/x" in md and "`bob@evil.example`" in md
    assert not re.search(EXTERNAL, html)
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    # no heading and no table cell more than the same report of the untouched case
    run(["report", copy_example(tmp_path / "clean"), "--out", tmp_path / "clean-r", "--format", "md"])
    clean = gfm((tmp_path / "clean-r" / "report.md").read_text(encoding="utf-8"))
    for tag in ("<h1", "<h2", "<h3", "<h4", "<td", "<tr", "<a ", "<blockquote", "<li"):
        assert html.count(tag) == clean.count(tag), tag
