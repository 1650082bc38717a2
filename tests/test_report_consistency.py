"""The consistency audit of the bundled reports: every row of every consultation-matrix table, in
report.md and report.html, and every finding of findings.json, is read back and checked against
what its own status says, and every figure of the summary against the same figure elsewhere.

A row must not state a status and a sentence that contradicts it: an advance status ("informed,
14 days before") beside a description saying the office did not know until after; a lead time
on a `none` row; a `consulted` cell with a finding that neither says the notice was short nor
that it rests on the record without the disputed accounts. No "1 days", "1 impacts were". The
same figure (impacts consulted, findings, impacts by status, per decision and per rule) is the
same number wherever it is printed. Each check runs on the committed reports, so a stale or
contradicting report fails here, and each has a control: a doctored row that the check catches.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
REPORTS = ROOT / "reports"
CASES = sorted(d.name for d in REPORTS.iterdir() if (d / "report.md").exists())
STATUSES = ["consulted", "informed", "leadership only", "indirect", "same day", "after", "none"]
ADVANCE = {"consulted", "informed", "leadership only", "indirect"}
MATRIX = ["Stakeholder", "Impact", "Status", "First contact", "Lead time", "Findings"]

# A description that says the stakeholder had no advance word (it contradicts an advance status
# unless the row is disputed and the record without the disputed accounts is not advance).
NO_ADVANCE_WORD = re.compile(
    r"until after|no advance (?:notice|word|warning)|without (?:any )?(?:advance |prior )?(?:notice|warning)"
    r"|did not know|was unaware|were unaware|first learned|learned of [^.;]* (?:only )?after|only afterwards"
    r"|received no (?:advance )?(?:notice|word)|was never told|were never told", re.I)
NOT_ASKED = re.compile(r"not consulted|was not asked|were not asked|never asked", re.I)
# ... unless the sentence reports it as someone's account ("by its own account ODAG was unaware"): a
# disputed row shows both accounts, and saying what a party claims is not stating it as fact.
ATTRIBUTED = re.compile(r"\b(?:says|said|stated|states|claims?|claimed|by (?:its|his|her|their) (?:own )?account"
                        r"|according to|told the OIG)\b", re.I)


def _unattributed(rx: re.Pattern, text: str) -> re.Match | None:
    for m in rx.finditer(text):
        sentence = re.split(r"(?<=[.;])\s", text[: m.start()])[-1]
        if not ATTRIBUTED.search(sentence):
            return m
    return None

# Plurals: a count of one with a plural noun, a count other than one with a singular noun.
NOUNS = ("day", "impact", "finding", "stakeholder", "decision", "gap", "contact", "quote", "organisation",
         "office", "record", "conclusion", "claim", "interface", "topic", "warning", "problem")
ONE_PLURAL = re.compile(r"(?<![\d.,:/-])\b1 (?:" + "|".join(n + "s" for n in NOUNS) + r")\b")
MANY_SINGULAR = re.compile(r"(?<![\d.,:/-])\b(?:0|[2-9]|[1-9]\d{1,2}|(?!19|20)\d{4}|\d{5,}) (?:"  # not a year
                           + "|".join(NOUNS) + r")\b(?![-'’])")
ONE_WERE = re.compile(r"(?<![\d.,:/-])\b1 of the [\d,]+ \w+ were\b")


# ---------------------------------------------------------------- reading the reports back
def _md_cells(line: str) -> list[str]:
    return [c.strip() for c in re.split(r"(?<!\\)\|", line.strip())[1:-1]]


def md_tables(text: str) -> list[tuple[list[str], list[list[str]], str]]:
    """Every Markdown table: (header, rows, the heading above it)."""
    out, heading, lines = [], "", text.splitlines()
    i = 0
    while i < len(lines):
        line = lines[i]
        if line.startswith("#"):
            heading = line
        if line.startswith("|") and i + 1 < len(lines) and re.fullmatch(r"\|(?:\s*:?-+:?\s*\|)+", lines[i + 1]):
            header, rows = _md_cells(line), []
            i += 2
            while i < len(lines) and lines[i].startswith("|"):
                rows.append(_md_cells(lines[i]))
                i += 1
            out.append((header, rows, heading))
            continue
        i += 1
    return out


class _Tables(HTMLParser):
    """Every HTML table as (header, rows); a cell is its text, its class and the links in it."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.stack, self.cell, self.row = [], [], None, None
        self.heading, self.in_heading = "", False

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("h2", "h3", "summary"):
            self.in_heading, self.heading = True, ""
        if tag == "table":
            self.stack.append({"header": [], "rows": [], "heading": self.heading})
        elif tag == "tr" and self.stack:
            self.row = []
        elif tag in ("td", "th") and self.row is not None:
            self.cell = {"text": "", "class": a.get("class", ""), "links": [], "th": tag == "th"}
        elif tag == "a" and self.cell is not None and "href" in a:
            self.cell["links"].append(a["href"])

    def handle_endtag(self, tag):
        if tag in ("h2", "h3", "summary"):
            self.in_heading = False
        if tag in ("td", "th") and self.cell is not None and self.row is not None:
            self.cell["text"] = " ".join(self.cell["text"].split())
            self.row.append(self.cell)
            self.cell = None
        elif tag == "tr" and self.row is not None and self.stack:
            t = self.stack[-1]
            if all(c["th"] for c in self.row) and not t["header"]:
                t["header"] = [c["text"] for c in self.row]
            else:
                t["rows"].append(self.row)
            self.row = None
        elif tag == "table" and self.stack:
            self.tables.append(self.stack.pop())

    def handle_data(self, data):
        if self.cell is not None:
            self.cell["text"] += data
        if self.in_heading:
            self.heading += data


def html_tables(text: str) -> list[dict]:
    p = _Tables()
    p.feed(text)
    return p.tables


def _status(cell: str) -> tuple[str, bool, str]:
    """A status cell in words -> (best status, disputed, status without the disputed records)."""
    word = next(s for s in sorted(STATUSES, key=len, reverse=True) if cell.lstrip("*").startswith(s))
    disputed = "disputed" in cell
    m = re.search(r"without the disputed records: ([a-z ]+?)\)?$", cell.replace("*", ""))
    return word, disputed, (m.group(1).strip() if m else word)


def matrix_rows(case: str) -> list[dict]:
    """Every consultation-matrix row of both formats, as dicts of the same fields."""
    out = []
    md = (REPORTS / case / "report.md").read_text(encoding="utf-8")
    for header, rows, heading in md_tables(md):
        if header != MATRIX:
            continue
        for r in rows:
            best, disputed, undisputed = _status(r[2])
            out.append({"format": "md", "where": heading, "stakeholder": r[0], "impact": r[1], "status": best,
                        "disputed": disputed, "undisputed": undisputed, "first": r[3], "lead": r[4],
                        "findings": re.findall(r"`([A-Z][\w-]*-\d+)`", r[5]), "raw": " | ".join(r),
                        "uncertain": "date uncertain" in r[2]})
    page = (REPORTS / case / "report.html").read_text(encoding="utf-8")
    for t in html_tables(page):
        if t["header"] != MATRIX:
            continue
        for r in t["rows"]:
            best, disputed, undisputed = _status(r[2]["text"])
            assert f"st-{best.replace(' ', '_')}" in r[2]["class"], r[2]  # the colour is the word's
            out.append({"format": "html", "where": t["heading"], "stakeholder": r[0]["text"],
                        "impact": r[1]["text"], "status": best, "disputed": disputed, "undisputed": undisputed,
                        "first": r[3]["text"], "lead": r[4]["text"],
                        "findings": [h.removeprefix("#finding-") for h in r[5]["links"]],
                        "raw": " | ".join(c["text"] for c in r), "uncertain": "date uncertain" in r[2]["text"]})
    return out


# ---------------------------------------------------------------- the row checks
def row_problems(row: dict) -> list[str]:
    """What a row states that contradicts its own status ([] when nothing)."""
    out = []
    status, lead, first = row["status"], row["lead"], row["first"]
    if status == "none" and (lead != "—" or first != "—"):
        out.append("a `none` row with a first contact or a lead time")
    if status in ADVANCE and "before" not in lead:
        out.append(f"{status} but the lead time is {lead!r}, not before the decision")
    # a first contact that cannot be placed before or after the decision ("date uncertain") has no lead time
    if status == "same day" and not lead.startswith("same day") and not (row["uncertain"] and lead == "—"):
        out.append(f"same day but the lead time is {lead!r}")
    if status == "after" and not re.search(r"\bafter\b", lead):
        out.append(f"after but the lead time is {lead!r}")
    description = row["impact"].split(":", 1)[1] if ":" in row["impact"] else ""
    undisputed_advance = row["undisputed"] in ADVANCE
    said = _unattributed(NO_ADVANCE_WORD, description)
    if status in ADVANCE and (undisputed_advance or not row["disputed"]) and said:
        out.append(f"{status} ({lead}) beside a description saying otherwise: {said.group(0)!r}")
    said = _unattributed(NOT_ASKED, description)
    if status == "consulted" and row["undisputed"] == "consulted" and said:
        out.append(f"consulted beside {said.group(0)!r}")
    if status == "consulted" and row["findings"] and "short" not in lead and row["undisputed"] == "consulted":
        out.append("a consulted row with a finding that neither says the notice was short nor rests on the "
                   "undisputed record")
    return out


def plural_problems(text: str) -> list[str]:
    return [m.group(0) for rx in (ONE_PLURAL, MANY_SINGULAR, ONE_WERE) for m in rx.finditer(text)]


def _visible(page: str) -> str:
    """An HTML page's text as a reader sees it (no tags, no CSS, no SVG paths)."""
    page = re.sub(r"<(style|script)[^>]*>.*?</\1>", " ", page, flags=re.S)
    page = re.sub(r"<[^>]+>", " ", page)
    return html.unescape(" ".join(page.split()))


# ---------------------------------------------------------------- the tests
@pytest.mark.parametrize("case", CASES)
def test_every_row_agrees_with_its_status(case):
    rows = matrix_rows(case)
    assert {r["format"] for r in rows} == {"md", "html"} and len(rows) > 10
    md = [r for r in rows if r["format"] == "md"]
    assert len(md) * 2 == len(rows)  # the same rows in both formats
    bad = [(r["format"], r["where"], r["raw"], p) for r in rows for p in row_problems(r)]
    assert not bad, "\n".join(map(str, bad))


def test_the_row_checks_catch_doctored_rows():
    base = {"format": "md", "where": "", "stakeholder": "X", "status": "informed", "disputed": False,
            "undisputed": "informed", "first": "`c-1`, 2018-04-22", "lead": "14 days before", "findings": [],
            "raw": "", "uncertain": False}
    assert not row_problems({**base, "impact": "`t`: The office was told two weeks ahead."})
    assert row_problems({**base, "impact": "`t`: The office did not know of the change until after it was issued."})
    assert not row_problems({**base, "impact": "`t`: By its own account the office was unaware until after; the "
                                               "record holds a notice."})
    # disputed, and without the disputed records not in advance: both accounts are shown, no contradiction
    assert not row_problems({**base, "disputed": True, "undisputed": "after",
                             "impact": "`t`: The office did not know of the change until after it was issued."})
    assert row_problems({**base, "status": "none", "undisputed": "none", "impact": "`t`: x", "lead": "3 days before"})
    assert row_problems({**base, "status": "consulted", "undisputed": "consulted", "impact": "`t`: x",
                         "findings": ["OIG-R1-1"]})
    assert not row_problems({**base, "status": "consulted", "undisputed": "consulted", "impact": "`t`: x",
                             "lead": "10 days before (needs 180 days: short)", "findings": ["OIG-R1-1"]})
    assert row_problems({**base, "status": "after", "undisputed": "after", "impact": "`t`: x", "lead": "3 days before"})


@pytest.mark.parametrize("case", CASES)
def test_plurals(case):
    folder = REPORTS / case
    texts = {p.name: p.read_text(encoding="utf-8") for p in folder.glob("*.md")}
    texts |= {p.name: _visible(p.read_text(encoding="utf-8")) for p in folder.glob("*.html")}
    data = json.loads((folder / "findings.json").read_text(encoding="utf-8"))
    texts["findings.json"] = " ".join(f["message"] for f in data)
    bad = {name: plural_problems(t) for name, t in texts.items() if plural_problems(t)}
    assert not bad, bad


def test_the_plural_check_catches_slips():
    assert plural_problems("informed 1 days before") == ["1 days"]
    assert plural_problems("1 of the 189 impacts were consulted on") == ["1 of the 189 impacts were"]
    assert plural_problems("0 finding") == ["0 finding"]
    assert not plural_problems("1 day before; 2 days after; 1 of the 189 impacts was; 24-hour; 2018-05-04 decision; "
                               "a June 2019 decision")


def _figures_md(md: str) -> dict:
    """The summary's figures as the Markdown prints them."""
    flat = " ".join(md.split())
    m = re.search(r"affecting (\d+) stakeholders? through (\d+) impacts?\. (\d+) of the (\d+) impacts? w(?:as|ere) "
                  r"consulted on", flat)
    g = re.search(r"The rules found (\d+) gaps? \((\d+) high, (\d+) medium, (\d+) low\)", flat)
    return {"stakeholders": int(m.group(1)), "impacts": int(m.group(2)), "consulted": int(m.group(3)),
            "impacts_again": int(m.group(4)), "findings": int(g.group(1)),
            "by_severity": [int(g.group(i)) for i in (2, 3, 4)]}


@pytest.mark.parametrize("case", CASES)
def test_every_summary_figure_is_the_same_everywhere(case):
    folder = REPORTS / case
    md = (folder / "report.md").read_text(encoding="utf-8")
    page = (folder / "report.html").read_text(encoding="utf-8")
    fig = _figures_md(md)
    assert fig == _figures_md(_visible(page))
    tables = md_tables(md)
    status_table = next(rows for h, rows, _ in tables if h[:1] == ["Status"] and "Impacts (best account)" in h)
    best = {r[0]: int(r[1]) for r in status_table}
    undisputed = {r[0]: int(r[2]) for r in status_table}
    assert list(best) == STATUSES
    assert best["consulted"] == fig["consulted"]
    assert sum(best.values()) == sum(undisputed.values()) == fig["impacts"] == fig["impacts_again"]
    assert sum(fig["by_severity"]) == fig["findings"]
    # the at-a-glance table, per decision, against the decision's own rows and its summary line
    glance = next(rows for h, rows, _ in tables if h[:3] == ["Decision", "Date", "Impacts"])
    rows = [r for r in matrix_rows(case) if r["format"] == "md"]
    by_decision: dict[str, Counter] = {}
    for r in rows:
        label = re.match(r"### (D\d+) ", r["where"]).group(1)
        by_decision.setdefault(label, Counter())[r["status"]] += 1
    per_status = Counter()
    for g in glance:
        label = g[0].split()[0]
        counts = [0 if c == "·" else int(c) for c in g[3:10]]
        assert sum(counts) == int(g[2]), g
        assert counts == [by_decision.get(label, Counter())[s] for s in STATUSES], (label, counts)
        for s, n in zip(STATUSES, counts):
            per_status[s] += n
        section = md.split(f"\n### {label} ", 1)[1].split("\n### ", 1)[0]
        line = next(x for x in section.splitlines() if re.search(r"; \d+ findings?\.$", x))
        said = dict((w, int(n)) for n, w in re.findall(r"(\d+) ([a-z ]+?)(?=,|;)", line))
        assert said == {s: n for s, n in zip(STATUSES, counts) if n}, (label, line)
        assert int(re.search(r"; (\d+) findings?\.$", line).group(1)) == int(g[10]), (label, line)
    assert all(per_status[s] == best[s] for s in STATUSES)
    # the result per rule against findings.json and the summary
    data = [f for f in json.loads((folder / "findings.json").read_text(encoding="utf-8")) if not f.get("suppression")]
    per_rule = next(rows for h, rows, _ in tables if h[:2] == ["Rule", "Title"])
    counted = Counter(f["rule"] for f in data)
    for r in per_rule:
        assert int(r[4]) == counted.get(r[0].strip("`"), 0), r
    assert sum(int(r[4]) for r in per_rule) == fig["findings"] == len(data)
    assert Counter(f["severity"] for f in data) == Counter(dict(zip(["high", "medium", "low"], fig["by_severity"])))
    # the findings a decision's rows link to are findings of findings.json, with the same id in both formats
    ids = {f["id"] for f in json.loads((folder / "findings.json").read_text(encoding="utf-8"))}
    linked = [i for r in matrix_rows(case) for i in r["findings"]]
    assert set(linked) <= ids
    assert Counter(i for r in matrix_rows(case) if r["format"] == "md" for i in r["findings"]) == \
        Counter(i for r in matrix_rows(case) if r["format"] == "html" for i in r["findings"])


@pytest.mark.parametrize("case", CASES)
def test_heatmap_cells_name_their_status_and_link_to_their_decision(case):
    page = (REPORTS / case / "report.html").read_text(encoding="utf-8")
    svg = page.split('class="heatmap"', 1)[1].split("</svg>", 1)[0]
    links = re.findall(r'<a href="([^"]+)"', svg)
    assert links and all(h.startswith("#decision-") for h in links)  # never a finding, from any cell
