"""The Markdown and HTML reports: content and order, escaping, self-containment,
byte-identical output, the record accounting, and `coordgap report`."""

from __future__ import annotations

import csv
import html
import json
import os
import re
import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner
from conftest import EXAMPLE, ROOT
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_engine_reference import cases as generated_cases

from coordgap import load_case, read_case
from coordgap.assess.accounting import TABLES, account
from coordgap.assess.case import assess
from coordgap.cli import main
from coordgap.model.case import Agreement, Case, Interface, Procedure
from coordgap.render.report import (
    build_context,
    regenerate_bundled_reports,
    render_html,
    render_markdown,
    render_reports,
    write_reports,
)

# What write_reports writes for md,html: each format's main page, then its appendices, then the findings.
ALL_FILES = ["report.md", "report.html", "records.md", "accounting.md", "records.html", "accounting.html",
             "findings.json"]

SECTIONS = [
    "1. Executive summary",
    "2. At a glance",
    "3. Results by decision",
    "4. Findings by rule",
    "5. Timeline",
    "6. Recommendations",
    "7. Methodology and limitations",
    "Appendix A. Suppressed findings",
    "Appendix B. Accounting of records",
    "Appendix C. Every record",
]

# Markup aimed at every place data is printed: element content, attributes, the SVG.
SCRIPT = '<script>document.documentElement.setAttribute("data-pwned","script")</script>'
ATTR = "\"onerror=\"document.documentElement.setAttribute('data-pwned','attr')\" data-injected=\""
IMG = "<img src=x onerror=\"document.documentElement.setAttribute('data-pwned','img')\">"
SVG = "<svg onload=\"document.documentElement.setAttribute('data-pwned','svg')\"></svg>"
MARKDOWN = "[click](javascript:alert(1)) | **bold** # `code` $x$ <b>"
HOSTILE = f"{SCRIPT} {ATTR} {IMG} {SVG} {MARKDOWN}"


def _edit_csv(path: Path, row_id: str, column: str, value: str) -> None:
    with path.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    fields = list(rows[0])
    for row in rows:
        if row["id"] == row_id:
            row[column] = value
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields)
        writer.writeheader()
        writer.writerows(rows)


def _edit_text(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"test setup: {old!r} not in {path.name}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def make_hostile_case(folder: Path) -> Path:
    """A copy of the example case with HOSTILE in names, titles, summaries, descriptions and quotes."""
    shutil.copytree(EXAMPLE, folder)
    q = json.dumps  # a JSON string is a valid double-quoted YAML scalar
    _edit_text(folder / "case.yaml", "title: Harbour curfew (a small made-up case)", f"title: {q('Harbour </title>' + HOSTILE)}")
    _edit_text(folder / "case.yaml", "title: Harbour Curfew Inquiry (fictional record)", f"title: {q('Inquiry ' + HOSTILE)}")
    _edit_text(folder / "case.yaml", "The Fire Service keeps", f"{SCRIPT} {IMG} The Fire Service keeps")
    _edit_text(folder / "decisions.yaml",
               "summary: The Minister closed the harbour at night, changing work for customs, clinics, rail, police and the court.",
               f"summary: {q('Summary ' + HOSTILE)}")
    _edit_text(folder / "decisions.yaml", "description: More seizure cases reach the court.",
               f"description: {q('Caseload ' + HOSTILE)}")
    _edit_text(folder / "decisions.yaml", "title: Night curfew on the harbour", f"title: {q('Curfew ' + HOSTILE)}")
    _edit_csv(folder / "stakeholders.csv", "court-east", "name", "Court " + HOSTILE)
    _edit_csv(folder / "stakeholders.csv", "fire-service", "name", "Fire " + HOSTILE)
    _edit_csv(folder / "evidence.csv", "e-c-court", "quote", "Quote " + HOSTILE)
    _edit_csv(folder / "evidence.csv", "e-decision", "quote", "Decision quote " + HOSTILE)
    _edit_csv(folder / "communications.csv", "c-court-release", "summary", "Release " + HOSTILE)
    _edit_csv(folder / "communications.csv", "c-port-hours", "summary", "Hours " + HOSTILE)  # a bar in the SVG
    _edit_csv(folder / "procedures.csv", "pr-customs-night", "title", "Procedure " + HOSTILE)
    return folder


@pytest.fixture(scope="module")
def example_reports(example_case):
    a = assess(example_case)
    return render_markdown(example_case, a), render_html(example_case, a)


@pytest.fixture(scope="module")
def example_files(example_case):
    """Every file of the example's report: {name: text}."""
    return render_reports(example_case)


def whole(files: dict[str, str], fmt: str) -> str:
    """A format's main page and its appendix files, as one text."""
    return "\n".join(t for name, t in files.items() if name.endswith("." + fmt))


@pytest.fixture(scope="module")
def hostile_case(tmp_path_factory):
    return load_case(make_hostile_case(tmp_path_factory.mktemp("hostile") / "case"))


# ---------------------------------------------------------------- Markdown structure
def unescaped_pipes(line: str) -> int:
    """Pipes not escaped by a backslash (an even run of backslashes escapes nothing)."""
    return sum(1 for m in re.finditer(r"(\\*)\|", line) if len(m.group(1)) % 2 == 0)


def markdown_problems(text: str) -> list[str]:
    """Things that would make GitHub render the file wrongly."""
    out = []
    lines = text.split("\n")
    if not text.endswith("\n") or text.endswith("\n\n"):
        out.append("the file must end with exactly one newline")
    table: list[str] = []
    for n, line in enumerate(lines, start=1):
        if line != line.rstrip():
            out.append(f"{n}: trailing white space")
        if re.search(r"(?<!\\)<[A-Za-z/!?]", line):
            out.append(f"{n}: raw HTML: {line[:80]}")
        if line.startswith("#") and n > 1 and lines[n - 2] != "":
            out.append(f"{n}: a heading needs a blank line before it")
        prev = lines[n - 2] if n > 1 else ""
        if re.match(r"^\s*(?:[-*]|\d+\.) ", prev) and line and not re.match(r"^\s*(?:[-*]|\d+\.) ", line):
            out.append(f"{n}: text runs on from the list item above (needs a blank line)")
        if line.startswith("|"):
            if not table and prev != "":
                out.append(f"{n}: a table needs a blank line before it")
            table.append(line)
            continue
        if table:
            if line != "":
                out.append(f"{n}: a table needs a blank line after it")
            widths = {unescaped_pipes(r) for r in table}
            if len(widths) != 1:
                out.append(f"{n}: table rows have different numbers of cells: {sorted(widths)}")
            if len(table) < 2 or not re.fullmatch(r"\|(?:-+\|)+", table[1]):
                out.append(f"{n}: the table's second row must be its delimiter row")
            table = []
    return out


def test_markdown_renders_cleanly(example_files):
    for name, text in example_files.items():
        if name.endswith(".md"):
            assert markdown_problems(text) == [], name


def test_markdown_checker_catches_what_it_should():
    bad = "# T\n| a | b |\n|---|---|\n| 1 | 2 | 3 |\ntext\n- item\nrun-on\n<script>\n"
    problems = "\n".join(markdown_problems(bad))
    for expected in ("blank line before it", "different numbers of cells", "blank line after it",
                     "runs on from the list", "raw HTML"):
        assert expected in problems


def test_github_renderer_agrees(example_reports, hostile_case):
    """GitHub renders Markdown with cmark-gfm; when its Python binding is installed, use it."""
    cmarkgfm = pytest.importorskip("cmarkgfm", reason="cmarkgfm (GitHub's Markdown renderer) is not installed")
    from cmarkgfm.cmark import Options

    for md in (example_reports[0], render_markdown(hostile_case)):
        out = cmarkgfm.github_flavored_markdown_to_html(md, options=Options.CMARK_OPT_UNSAFE)  # let raw HTML through
        assert out.count("<table>") == len(re.findall(r"^\|---", md, flags=re.M))
        assert out.count("<h2>") == len(SECTIONS)
        for tag in ("<script", "<img", "<svg", "<b>"):
            assert tag not in out, tag
        # the only links: to the appendix files beside the report
        assert set(re.findall(r"<a [^>]*>", out)) <= {'<a href="records.md">', '<a href="accounting.md">'}
        for table in re.findall(r"<table>.*?</table>", out, flags=re.S):
            head, body = table.split("</thead>")
            width = len(re.findall(r"<th[ >]", head))
            assert all(len(re.findall(r"<td[ >]", row)) == width for row in re.findall(r"<tr>(.*?)</tr>", body, re.S))


def test_sections_come_in_audit_report_order(example_reports):
    md, page = example_reports
    md_heads = re.findall(r"^## (.+)$", md, flags=re.M)
    html_heads = [html.unescape(h) for h in re.findall(r"<h2>(.+?)</h2>", page)]
    assert md_heads == SECTIONS
    assert html_heads == SECTIONS


def test_front_matter_has_title_sources_scope_and_version(example_reports, example_case):
    from coordgap._version import __version__

    for text in example_reports:
        head = html.unescape(plain_md(text))
        head = head[: re.search(r"^## 2. At a glance$|<h2>2. At a glance</h2>", head, flags=re.M).start()]
        assert example_case.meta.title in head
        assert "Harbour Curfew Inquiry (fictional record)" in head  # the case's source
        assert "Review of the Department of Justice's Planning and Implementation" in head  # the rulebook's
        assert "records dated 2024-01-01 to 2024-12-31; decisions from 2024-03-15 to 2024-03-20" in head
        assert f"coordgap {__version__}" in head


# ---------------------------------------------------------------- same content in both formats
def plain_md(text: str) -> str:
    return re.sub(r"\\(.)", r"\1", text)


def section(text: str, name: str) -> str:
    """The text of one report section (either format), from its heading to the next one, as plain text."""
    start = re.search(rf"^## {re.escape(name)}$|<h2>{re.escape(name)}</h2>", text, flags=re.M).start()
    nxt = re.compile(r"^## |<h2>", flags=re.M).search(text, start + 4)
    return html.unescape(plain_md(text[start: nxt.start() if nxt else len(text)]))


def test_both_formats_carry_the_same_content(example_case, example_files):
    md_plain, html_plain = plain_md(whole(example_files, "md")), html.unescape(whole(example_files, "html"))
    ctx = build_context(example_case, assess(example_case))
    must = [f["id"] for r in ctx["rules"] for f in r["findings"]]
    must += [f["message"] for r in ctx["rules"] for f in r["findings"]]
    must += [c["statement"] for c in ctx["conclusions"]["list"]]
    must += [s for d in ctx["decision_sentences"] for s in d["sentences"]]
    must += [e.quote for e in example_case.evidence]
    must += [r["id"] for t in ctx["records"] for r in t["rows"]]
    must += [r["why"] for t in ctx["records"] for r in t["rows"]]
    must += [s["justification"] for s in ctx["suppressions"]]
    must += [rule["recommendation"] for rule in ctx["rules"]]
    for text in must:
        assert text in md_plain, text
        assert text in html_plain, text


def test_results_by_decision_show_who_decided_acted_and_urged(example_reports):
    for text in example_reports:
        part = section(text, "3. Results by decision")
        assert "Minister's Office (" in part and "Legal Office (" in part and "Department of Trade (" in part
        assert "Contacts that did not cover the impact" in part
        assert "no answer on record" in part  # the unanswered concern
        assert "leadership only" in part and "(date uncertain)" in part


def test_short_finding_ids_are_stable_and_the_long_keys_are_in_json(example_case, example_files):
    data = json.loads(example_files["findings.json"])
    ids = [f["id"] for f in data]
    assert ids[:3] == ["OIG-R1-1", "OIG-R1-2", "OIG-R1-3"] and len(set(ids)) == len(ids)
    assert {f["key"] for f in data} == {f.key for f in assess(example_case).findings}
    assert max(len(i) for i in ids) <= 12
    md, page = example_files["report.md"], example_files["report.html"]
    for f in data:
        assert f["key"] not in md  # the Markdown shows short ids only
        if not f["suppressed"]:
            assert f'id="finding-{f["id"]}"' in page and f'title="{f["key"]}"' in page
    again = json.loads(render_reports(load_case(EXAMPLE), ["md"])["findings.json"])
    assert [(f["id"], f["key"]) for f in again] == [(f["id"], f["key"]) for f in data]


def test_conclusions_come_first_with_their_status(example_reports):
    for text in example_reports:
        summary = re.sub(r"<[^>]+>", "", section(text, "1. Executive summary"))
        assert summary.index("Conclusions") < summary.index("Decisions and who drove them")
        assert summary.index("Decisions and who drove them") < summary.index("Key figures")
        assert "5 conclusions of the oversight body" in summary and "3 reproduced, 1 partly, 1 not reproduced" in summary
        assert "The City Police were informed three days before the curfew." in summary
        assert "night-patrols: none without the disputed records" in summary  # what fails, and why
        assert "“The curfew closed the harbour to about 40 ships a night.”" in summary  # a key figure, quoted
        # who decided, who urged, who acted, and who was left out, in one sentence each
        assert ("Decided by Minister's Office, urged by Department of Trade; Legal Office acted for it." in summary)
        assert "7 of its 8 affected stakeholders were not coordinated with before it on at least one impact; the worst gaps:" in summary


def test_worst_gaps_follow_the_harm_measure(example_case):
    from coordgap.assess.harm import finding_harm, gaps

    a = assess(example_case)
    topic_of = {i.id: i.topic for d in example_case.decisions for i in d.impacts}
    ranked = gaps(example_case, a.active, topic_of)
    assert [g.harm for g in ranked] == sorted((g.harm for g in ranked), reverse=True)
    top = ranked[0]  # Customs: its station and itself, four topics, one lead time missed
    assert (top.component, top.offices) == ("ports-customs", ("customs-north", "ports-customs"))
    short = next(f for f in a.active if f.impact == "d-curfew.customs-north.inspection-workload")
    assert finding_harm(short) == pytest.approx(2 * 0.2 * (1 + 16 / 180))  # medium, consulted, 16 days missed
    ctx = build_context(example_case, a)
    assert [w["who"] for w in ctx["worst"]][:2] == ["Customs Service and 1 office below it", "Eastern District Court"]


def test_plurals_are_right():
    from coordgap.render.report.context import _lead_words

    assert _lead_words(1) == "1 day before" and _lead_words(-1) == "1 day after" and _lead_words(3) == "3 days before"


def test_matrix_status_is_a_word_and_colour_only_adds(example_reports):
    _, page = example_reports
    cells = re.findall(r'<td class="status st-(\w+)"><span class="word">([^<]+)</span>', page)
    assert cells
    words = {"consulted": "consulted", "informed": "informed", "leadership_only": "leadership only",
             "indirect": "indirect", "same_day": "same day", "after": "after", "none": "none"}
    for css, word in cells:
        assert words[css] == word


def test_suppressed_finding_is_in_appendix_a_not_in_the_counts(example_reports):
    key = "OIG-R1/d-curfew/d-curfew.fire-service.fire-cover/fire-service"
    for text in example_reports:
        appendix = section(text, "Appendix A. Suppressed findings")
        assert "OIG-R1-5" in appendix and (key in appendix) == text.startswith("<")  # the key: HTML and JSON
        assert "The Fire Service keeps the same night cover whatever the curfew" in appendix
        assert "OIG-R1-5" not in section(text, "4. Findings by rule")
        assert "10 gaps (5 high, 3 medium, 2 low); 1 more was accepted" in section(text, "1. Executive summary")


def test_methodology_lists_disputes_and_imprecise_dates(example_files):
    for fmt in ("md", "html"):
        part = section(example_files[f"report.{fmt}"], "7. Methodology and limitations")
        assert "police-first-heard" in part and "c-police-account" in part
        assert "2 dates used are less precise than a day" in part
        records = html.unescape(plain_md(example_files[f"records.{fmt}"]))
        assert "early 2024-03" in records and "2024-03-01 to 2024-03-10" in records
        assert "2024-03-01 to 2024-03-31" in records


def test_timeline_draws_imprecise_dates_as_bars_and_each_kind_its_shape(example_reports):
    _, page = example_reports
    start = page.index('<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" id="timeline-overview"')
    svg = page[start: page.index("</svg>", start)]
    # a month-precise contact: a bar over the month, with the mark in its middle
    key = re.search(r'<path id="(k[0-9a-f]{8})-two_way"', svg).group(1)  # the chart's shapes, defined once
    assert re.search(rf"<title>2024-03: c-port-hours \(notification\)[^<]*</title><path class=\"span\" d=\"M[^\"]*v2h[^\"]*\""
                     rf"[^>]*/><use href=\"#{key}-one_way\"", svg)
    assert re.search(rf"<title>2024-03-15: c-court-release \(public_statement\)[^<]*</title><use href=\"#{key}-public\"", svg)
    assert re.search(rf"<title>2024-03-01: c-north-workload \(consultation\)[^<]*</title><use href=\"#{key}-two_way\"", svg)
    assert re.search(rf"<title>2024-03-08: c-north-concern \(concern\)[^<]*</title><use href=\"#{key}-concern\"", svg)
    assert svg.count('class="decision"') == 2
    assert page.count('class="timeline" role="img" id="timeline-d-') == 2  # one per decision


# ---------------------------------------------------------------- HTML: self-contained and escaped
class _Tags(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_data(self, data):
        self.text.append(data)


def parse(page: str) -> _Tags:
    p = _Tags()
    p.feed(page)
    p.close()
    return p


def test_html_is_self_contained(example_reports):
    _, page = example_reports
    tags = parse(page).tags
    assert not [t for t, _ in tags if t in {"script", "link", "img", "iframe", "object", "embed", "base"}]
    for tag, attrs in tags:
        for name, value in attrs:
            assert not name.startswith("on"), (tag, name)
            if name in {"src", "href"}:  # only links inside the page or to its appendix files beside it
                assert value.startswith("#") or re.fullmatch(r"(records|accounting)\.html(#[\w.-]+)?", value), \
                    (tag, name, value)
    assert "url(" not in page and "@import" not in page
    assert set(re.findall(r"https?://[^\s\"']+", page)) == {"http://www.w3.org/2000/svg"}  # the SVG namespace only
    assert "default-src 'none'" in page  # the CSP forbids fetching anything


def test_hostile_text_is_escaped_everywhere(hostile_case):
    a = assess(hostile_case)
    page = render_html(hostile_case, a)
    doc = parse(page)
    assert not [t for t, _ in doc.tags if t in {"script", "img"}]
    # only the charts: the heatmap, the overview, one timeline per decision, the legend's marks
    svgs = [dict(attrs).get("class") for t, attrs in doc.tags if t == "svg"]
    assert svgs.count("heatmap") == 1 and svgs.count("timeline") == 1 + len(hostile_case.decisions)
    assert not [(t, n) for t, attrs in doc.tags for n, _ in attrs if n.startswith("on")]
    assert not [(t, n) for t, attrs in doc.tags for n, _ in attrs if n in {"data-injected", "src"}]
    text = "".join(doc.text)
    assert text.count(SCRIPT) >= 8 and text.count(ATTR) >= 8  # shown as text, as written
    assert f"Harbour </title>{SCRIPT}" in text

    md = render_markdown(hostile_case, a)
    assert markdown_problems(md) == []
    assert "<script" not in md.replace("\\<script", "") and "\\[click\\]" in md
    assert HOSTILE in plain_md(md)


# ---------------------------------------------------------------- bytes
def test_two_renderings_give_identical_bytes(example_case, tmp_path):
    first = write_reports(example_case, tmp_path / "one")
    second = write_reports(load_case(EXAMPLE), tmp_path / "two")
    assert [p.name for p in first] == ALL_FILES
    for a, b in zip(first, second):
        assert a.read_bytes() == b.read_bytes()


def test_identical_bytes_across_processes_and_hash_seeds():
    code = ("import hashlib,sys; from coordgap import load_case; from coordgap.render.report import render_reports; "
            f"r = render_reports(load_case({str(EXAMPLE)!r})); "
            "print(*(hashlib.sha256(t.encode()).hexdigest() for t in r.values()))")
    digests = set()
    for seed in ("1", "2", "12345"):
        env = dict(os.environ, PYTHONHASHSEED=seed)
        digests.add(subprocess.run([sys.executable, "-c", code], env=env, check=True, capture_output=True,
                                   text=True).stdout)
    assert len(digests) == 1


def test_no_timestamp_or_path_in_the_output(example_files):
    for text in example_files.values():
        assert not re.search(r"\b20[3-9]\d-\d\d-\d\d|\d\d:\d\d:\d\d", text)
        assert str(ROOT) not in text and "/tmp" not in text


# ---------------------------------------------------------------- accounting
def _rows_in_files(folder: Path) -> dict[str, int]:
    counts = {}
    for table in TABLES:
        files = [folder / f"{table}.csv"] + sorted((folder / table).glob("*.csv"))
        if (folder / f"{table}.yaml").is_file():
            counts[table] = len(yaml.safe_load((folder / f"{table}.yaml").read_text(encoding="utf-8"))[table])
            continue
        n = 0
        for f in files:
            if f.is_file():
                with f.open(newline="", encoding="utf-8") as fh:
                    n += sum(1 for row in list(csv.reader(fh))[1:] if row)
        counts[table] = n
    return counts


def test_the_accounting_balances_and_counts_every_row_of_every_file(example_case):
    a = assess(example_case)
    acc = account(example_case, a.matrix, a.findings)
    assert acc.balanced
    assert {t.table: t.records_in for t in acc.tables} == _rows_in_files(EXAMPLE)
    for t in acc.tables:
        assert t.records_in == t.used + t.not_relevant + t.rejected
        assert len(acc.of(t.table)) == t.records_in
        assert len({r.id for r in acc.of(t.table)}) == t.records_in  # each record once
    why = {(r.table, r.id): r for r in acc.records}
    assert why[("communications", "c-annual-report")].category == "not_relevant"
    assert why[("communications", "c-annual-report")].why == "concerns no decision in the case"
    assert why[("communications", "c-police-account")].category == "used"  # the other side of a dispute
    assert why[("evidence", "e-c-annual")].category == "not_relevant"


def test_rejected_records_are_accounted_for(tmp_path):
    folder = tmp_path / "case"
    shutil.copytree(EXAMPLE, folder)
    with (folder / "communications.csv").open("a", encoding="utf-8") as fh:
        fh.write("c-bad,2024-03-03,email,gossip,ports-legal,health,,d-curfew,,,A row with a bad kind.,e-c-health\n")
    with (folder / "evidence.csv").open("a", encoding="utf-8") as fh:
        fh.write("e-bad,no-such-source,Somewhere,,A quote from nowhere.\n")
    case, problems = read_case(folder)
    assert problems and len(case.rejected) == 2
    a = assess(case)
    acc = account(case, a.matrix, a.findings)
    assert acc.balanced
    tables = {t.table: t for t in acc.tables}
    assert (tables["communications"].records_in, tables["communications"].rejected) == (16, 1)
    assert (tables["evidence"].records_in, tables["evidence"].rejected) == (39, 1)  # 32 + 6 conclusion quotes + 1 bad
    assert {t.table: t.records_in for t in acc.tables} == _rows_in_files(folder)
    files = render_reports(case, ["md"])
    appendix = plain_md(files["records.md"])
    assert "c-bad" in appendix and "communications.csv:17" in appendix and "gossip" in appendix
    assert "| communications | 16 | 14 | 1 | 1 | yes |" in plain_md(files["accounting.md"])
    assert "2 rejected" in plain_md(files["report.md"])


# ---------------------------------------------------------------- commands and functions
def test_cli_report_with_no_arguments_writes_both_formats_for_the_bundled_case(tmp_path, monkeypatch):
    from coordgap.io.bundled import bundled_case_path, default_case

    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["report"])
    assert result.exit_code == 0, result.output
    case_id = load_case(bundled_case_path(default_case())).meta.id
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert written == sorted(f"reports/{case_id}/{name}" for name in ALL_FILES)
    assert result.output.split() == [f"reports/{case_id}/{name}" for name in ALL_FILES]


def test_cli_report_options(tmp_path):
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(out), "--format", "html"])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in out.iterdir()) == ["accounting.html", "findings.json", "records.html", "report.html"]
    assert CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(out), "--format", "pdf"]).exit_code == 2
    assert CliRunner().invoke(main, ["report", "/no/such/case", "--out", str(out)]).exit_code == 2


def test_regenerate_bundled_reports(tmp_path, monkeypatch):
    import coordgap.io.bundled

    monkeypatch.setattr(coordgap.io.bundled, "bundled_cases", lambda: ["example"])
    paths = regenerate_bundled_reports(tmp_path)
    assert [p.relative_to(tmp_path).as_posix() for p in paths] == [f"example/{name}" for name in ALL_FILES]
    for p in paths:
        assert p.read_bytes() == (ROOT / "reports" / "example" / p.name).read_bytes(), p.name



# ---------------------------------------------------------------- any case
WILD = st.text(alphabet=st.sampled_from(list("aZ 09<>&\"'|*_`[]()#$\\!~-+.:=\n\t") + ["é", "—"]),
               min_size=1, max_size=30).filter(lambda s: s.strip())


@st.composite
def wild_cases(draw):
    """A generated case (tests/test_engine_reference.py) with markup-laden names and summaries,
    and interfaces, procedures and agreements over its organisations."""
    case = draw(generated_cases())
    orgs = tuple(s.model_copy(update={"name": draw(WILD).strip() or "x"}) for s in case.stakeholders)
    comms = tuple(c.model_copy(update={"summary": draw(WILD).strip() or "x"}) for c in case.communications)
    ids = [s.id for s in orgs]
    interfaces, procedures, agreements = [], [], []
    for n in range(draw(st.integers(0, 2))):
        parties = tuple(draw(st.lists(st.sampled_from(ids), min_size=2, max_size=3, unique=True))) if len(ids) > 1 else ()
        if not parties:
            break
        interfaces.append(Interface(id=f"i{n}", title=draw(WILD).strip() or "x", parties=parties,
                                    created_by=tuple(draw(st.lists(st.sampled_from([d.id for d in case.decisions]),
                                                                   max_size=1))),
                                    starts=draw(st.one_of(st.none(), st.just("2018-02")))))
        for m, org in enumerate(draw(st.lists(st.sampled_from(ids), max_size=2))):
            procedures.append(Procedure(id=f"p{n}-{m}", organisation=org, title="P", interfaces=(f"i{n}",),
                                        status=draw(st.sampled_from(["in_place", "absent"])),
                                        in_effect=draw(st.one_of(st.none(), st.sampled_from(["2017", "2018-03"])))))
        if draw(st.booleans()):
            agreements.append(Agreement(id=f"a{n}", title="A", parties=parties[:draw(st.integers(1, len(parties)))],
                                        interfaces=(f"i{n}",), status="in_place",
                                        signed=draw(st.one_of(st.none(), st.just("2018-01-15")))))
    fields = {name: getattr(case, name) for name in Case.model_fields}
    return Case(**(fields | {"stakeholders": orgs, "communications": comms, "interfaces": tuple(interfaces),
                             "procedures": tuple(procedures), "agreements": tuple(agreements)}))


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(wild_cases())
def test_any_case_renders_balanced_escaped_and_complete(case):
    a = assess(case)
    assert account(case, a.matrix, a.findings).balanced
    files = render_reports(case)
    md, page = files["report.md"], files["report.html"]
    for name, text in files.items():
        if name.endswith(".md"):
            assert markdown_problems(text) == [], name
    doc = parse(page)
    assert not [t for t, _ in doc.tags if t in {"script", "img"}]
    assert not [(t, n) for t, attrs in doc.tags for n, _ in attrs if n.startswith("on")]
    md_plain, html_plain = plain_md(md), html.unescape(page)
    short = {f["key"]: f["id"] for f in json.loads(files["findings.json"])}
    assert set(short) == {f.key for f in a.findings}
    for f in a.findings:
        assert short[f.key] in md_plain and short[f.key] in html_plain
        if not f.suppressed:
            assert f.key in html_plain
    everything = plain_md(whole(files, "md"))
    for s in case.stakeholders:
        name = " ".join(s.name.split())
        assert name in everything, name


def test_write_reports_tells_each_step_and_the_cli_keeps_pipes_clean(example_case, tmp_path):
    steps: list[str] = []
    paths = write_reports(example_case, tmp_path / "out", "md,html", progress=steps.append)
    assert [p.name for p in paths] == ALL_FILES
    assert steps[0].startswith("assessing example")
    assert steps[2:] == ["rendering report.md", "rendering report.html", "rendering records.md",
                         "rendering accounting.md", "rendering records.html", "rendering accounting.html"]
    # the steps go to a terminal only: through a pipe, standard error stays empty
    from click.testing import CliRunner

    from coordgap.cli import main

    result = CliRunner().invoke(main, ["report", str(EXAMPLE), "--out", str(tmp_path / "cli")])
    assert result.exit_code == 0, result.output
    assert result.stderr == "" and result.stdout.split() == [str(tmp_path / "cli" / n) for n in ALL_FILES]
