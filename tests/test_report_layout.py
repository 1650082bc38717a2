"""The report as a reader meets it: the bundled reports within their size budget, chart labels
that never overlap or run off the chart, a palette whose neighbouring statuses stay apart in
greyscale, and contacts listed only inside a decision's window."""

from __future__ import annotations

import re
from datetime import date
from html.parser import HTMLParser

import pytest
from conftest import ROOT

from coordgap import load_case
from coordgap.assess.case import assess
from coordgap.model.case import Status
from coordgap.render.report import build_context
from coordgap.render.report.palette import STATUS_FILL, STATUS_INK, luminance
from coordgap.render.report.timeline import Lane, Mark, place_labels, timeline_svg

REPORTS = ROOT / "reports"
# The budget for the bundled zero-tolerance report (issue #13); printed pages: tests/test_browser.py.
BUDGET = {"report.md": 300_000, "report.html": 800_000}


@pytest.mark.parametrize("name", sorted(BUDGET))
def test_the_bundled_reports_keep_their_size_budget(name):
    for case_dir in sorted(p for p in REPORTS.iterdir() if p.is_dir()):
        size = (case_dir / name).stat().st_size
        assert size <= BUDGET[name], f"{case_dir.name}/{name} is {size:,} bytes, over its {BUDGET[name]:,} budget"


# ---------------------------------------------------------------- labels
FONT_EM = {"normal": 0.6, "bold": 0.66}  # generous average glyph widths of a sans-serif, in em


class _Texts(HTMLParser):
    """Each <text> of an SVG: position, anchor, size, weight and the words drawn (not its tooltip)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.svgs: list[dict] = []
        self._text = None
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "svg":
            view = [float(v) for v in a.get("viewbox", "0 0 0 0").split()]
            self.svgs.append({"class": a.get("class"), "width": view[2], "height": view[3],
                              "size": float(a.get("font-size", 16)), "texts": []})
        elif tag == "text" and self.svgs:
            self._text = {"x": float(a["x"]), "y": float(a["y"]), "anchor": a.get("text-anchor", "start"),
                          "bold": a.get("font-weight") == "700", "words": ""}
        elif tag == "title":
            self._skip += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._skip -= 1
        elif tag == "text" and self._text is not None:
            self.svgs[-1]["texts"].append(self._text)
            self._text = None

    def handle_data(self, data):
        if self._text is not None and not self._skip:
            self._text["words"] += data


def text_boxes(svg: dict) -> list[tuple[float, float, float, float, str]]:
    out = []
    for t in svg["texts"]:
        size = svg["size"]
        width = len(t["words"]) * size * FONT_EM["bold" if t["bold"] else "normal"]
        x0 = {"start": t["x"], "middle": t["x"] - width / 2, "end": t["x"] - width}[t["anchor"]]
        out.append((x0, t["y"] - 0.8 * size, x0 + width, t["y"] + 0.2 * size, t["words"]))
    return out


def label_problems(page: str) -> list[str]:
    p = _Texts()
    p.feed(page)
    problems = []
    for svg in p.svgs:
        boxes = text_boxes(svg)
        for n, a in enumerate(boxes):
            if a[0] < -0.5 or a[2] > svg["width"] + 0.5:
                problems.append(f"{svg['class']}: {a[4]!r} runs off the chart ({a[0]:.0f}..{a[2]:.0f})")
            for b in boxes[n + 1:]:
                if a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]:
                    problems.append(f"{svg['class']}: {a[4]!r} overlaps {b[4]!r}")
    return problems


def test_the_label_check_catches_overlap_and_overflow():
    page = ('<svg viewBox="0 0 100 50" font-size="11" class="t"><text x="10" y="20">D9</text>'
            '<text x="18" y="20">D13</text><text x="90" y="40">a long label</text></svg>')
    problems = label_problems(page)
    assert any("overlaps" in p for p in problems) and any("runs off" in p for p in problems)
    assert label_problems('<svg viewBox="0 0 100 50" font-size="11"><text x="10" y="20">D9</text>'
                          '<text x="40" y="20">D13</text></svg>') == []


@pytest.mark.parametrize("case", ["example", "zero_tolerance"])
def test_no_two_chart_labels_overlap_in_the_bundled_reports(case):
    page = (REPORTS / case / "report.html").read_text(encoding="utf-8")
    assert page.count("<svg") > 3  # the heatmap, the overview and the decisions' timelines are checked
    assert label_problems(page) == []


def test_decision_labels_take_new_rows_when_crowded():
    day = date(2018, 4, 6)
    marks = [Mark(f"d{n}", day, day, "x", "decision", number=n) for n in range(1, 6)]  # five on one day
    svg = timeline_svg([Lane("a", "A")], marks, "t", "t")
    assert label_problems(svg) == []
    assert len(set(re.findall(r'class="decision-label" x="[\d.]+" y="([\d.]+)"', svg))) == 5
    assert place_labels([(0, 20), (10, 30), (40, 60)]) == [0, 1, 0]


# ---------------------------------------------------------------- palette
def test_neighbouring_statuses_stay_apart_in_greyscale_and_text_stays_readable():
    fills = [STATUS_FILL[s.value] for s in Status]
    greys = [luminance(f) for f in fills]
    assert greys == sorted(greys, reverse=True)  # light to dark down the ladder
    assert min(a - b for a, b in zip(greys, greys[1:])) > 0.05
    for s in Status:  # WCAG contrast of the letter on its cell
        lf, li = luminance(STATUS_FILL[s.value]), luminance(STATUS_INK[s.value])
        hi, lo = max(lf, li), min(lf, li)
        assert (hi + 0.05) / (lo + 0.05) >= 4.5, s


# ---------------------------------------------------------------- windows
def test_contacts_are_listed_only_inside_the_decisions_window():
    case = load_case("zero_tolerance")
    ctx = build_context(case, assess(case))
    for d in ctx["decisions"]:
        rec = case.decision_index[d["id"]]
        start = date.fromisoformat(d["window"]["start"])
        for c in d["missed"]:
            comm = case.communication_index[c["id"]]
            assert comm.date.end >= start and comm.date.start <= rec.date.end, (d["id"], c["id"])
    total_later = sum(d["missed_later"] for d in ctx["decisions"])
    assert total_later > 0  # the zero-tolerance case has later contacts: counted, not listed
