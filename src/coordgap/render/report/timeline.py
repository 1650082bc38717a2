"""Timelines as inline SVG: one per decision over its window, and an overview of the case.

A **decision's timeline** runs from WINDOW_BEFORE days before the decision to
WINDOW_AFTER days after it, on one linear scale, with one lane per
stakeholder it affects, grouped under their departments. The **overview**
has one lane per department and an axis that gives each month a width that
grows with the number of contacts in it, so the densest period is wide
enough to read and quiet years do not take the page.

Marks: a decision is a band across the lanes, labelled D1, D2, ... (the
report's key names them). A contact is drawn by its kind, in shape and
colour (Okabe-Ito, safe for colour-blind readers and apart in greyscale):
a consultation, the only two-way kind, is a diamond; a one-way notice,
directive, request, answer or assurance from one side is a triangle; a
public statement or press report an open circle; a concern a stakeholder
raised a square. A date less precise than a day is a thin bar over the days
it may fall on, with the mark in its middle. Labels are placed so that no
two overlap (rows are added until each fits). Every text is escaped here;
the result is safe to insert into the HTML as is.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

from zlib import crc32

from markupsafe import Markup, escape

from .text import shorten

WIDTH = 980
LABEL_W = 380  # a district office's full name at 11px
RIGHT = 16
LANE_H = 18
GROUP_H = 18
LABEL_ROW_H = 14
AXIS_H = 40
TOP_AXIS_LANES = 12  # a decision's timeline with this many lanes repeats its dates above them
TOP_AXIS_H = 14
CHAR_W = 6.6  # a generous average character width at 11px, for placing labels
FONT = 11
DENSE_GAIN = 14
WINDOW_BEFORE = 60
WINDOW_AFTER = 14

# kind of mark -> (words for the legend, colour)
STYLES = {
    "two_way": ("consultation (two-way)", "#009E73"),
    "one_way": ("notice, directive, request, answer or assurance (one-way)", "#0072B2"),
    "public": ("public statement or press report", "#000000"),
    "concern": ("concern raised by a stakeholder", "#D55E00"),
}


@dataclass(frozen=True)
class Lane:
    id: str
    label: str
    group: str = ""  # the department heading the lane is listed under ("" for none)


@dataclass(frozen=True)
class Mark:
    """A decision (style 'decision', drawn across all lanes) or a contact on some lanes."""

    id: str
    start: date
    end: date
    label: str  # the tooltip text
    style: str  # decision, two_way, one_way, public, concern
    lanes: tuple[str, ...] = ()
    number: int = 0  # a decision's D-number


def text_width(text: str) -> float:
    return len(text) * CHAR_W


def fit(label: str, width: float) -> str:
    return shorten(label, max(int(width / CHAR_W), 4))


def place_labels(spans: list[tuple[float, float]], gap: float = 4) -> list[int]:
    """A row for each (x0, x1) so that no two in a row overlap: the first row with room."""
    ends: list[float] = []
    rows = []
    for x0, x1 in spans:
        row = next((n for n, end in enumerate(ends) if x0 >= end + gap), None)
        if row is None:
            ends.append(x1)
            row = len(ends) - 1
        else:
            ends[row] = x1
        rows.append(row)
    return rows


def linear_scale(first: date, last: date, x0: float, x1: float) -> Callable[[date], float]:
    span = max((last - first).days, 1)
    return lambda d: x0 + (x1 - x0) * (d - first).days / span


def month_start(d: date) -> date:
    return d.replace(day=1)


def next_month(d: date) -> date:
    return date(d.year + 1, 1, 1) if d.month == 12 else date(d.year, d.month + 1, 1)


def dense_scale(marks: list[Mark], x0: float, x1: float) -> tuple[Callable[[date], float], date, date]:
    """A piecewise-linear scale: each month is 1 + DENSE_GAIN * (its marks / the busiest month's) wide, so
    a month as busy as the busiest is DENSE_GAIN + 1 times as wide as a quiet one."""
    first = month_start(min(m.start for m in marks))
    last = next_month(max(m.end for m in marks))
    counts: Counter = Counter()
    for m in marks:
        counts[month_start(m.start + (m.end - m.start) / 2)] += 1
    months, d = [], first
    while d < last:
        months.append(d)
        d = next_month(d)
    top = max(counts.values(), default=1)
    weights = [1 + DENSE_GAIN * counts.get(m, 0) / top for m in months]
    unit = (x1 - x0) / sum(weights)
    edges, x = {}, x0
    for m, w in zip(months, weights):
        edges[m] = (x, x + w * unit)
        x += w * unit

    def scale(day: date) -> float:
        m = month_start(day)
        if m not in edges:
            return x0 if day < first else x1
        a, b = edges[m]
        length = (next_month(m) - m).days
        return a + (b - a) * (day - m).days / length

    return scale, first, last


def _ticks(first: date, last: date, scale, min_gap: float) -> list[tuple[date, str]]:
    """Month ticks, labelled where there is room; the first of each year says the year."""
    out, d, last_x = [], month_start(first), -1e9
    if d < first:
        d = next_month(d)
    while d <= last:
        x = scale(d)
        label = f"{d:%b}"
        if x - last_x >= max(min_gap, text_width(label) + 6) and x + text_width(label) <= WIDTH:
            out.append((d, label))
            last_x = x
        d = next_month(d)
    return out


def _day_ticks(first: date, last: date, scale) -> list[tuple[date, str]]:
    """For a window of weeks: the 1st and 15th of each month, labelled when there is room."""
    out, d, last_x = [], first, -1e9
    while d <= last:
        if d.day in (1, 15):
            label = f"{d:%b} {d.day}"
            x = scale(d)
            if x - last_x >= text_width(label) + 8 and x + text_width(label) <= WIDTH:
                out.append((d, label))
                last_x = x
        d += timedelta(days=1)
    return out


def _defs(prefix: str) -> str:
    """Each shape once, centred on (0, 0); the marks place it with <use>, which keeps a chart of
    hundreds of contacts small."""
    return "<defs>" + "".join(_shape(style, 0, 0).replace(" ", f' id="{prefix}-{style}" ', 1)
                              for style in STYLES) + "</defs>"


def _shape(style: str, cx: float, cy: float) -> str:
    colour = STYLES[style][1]
    if style == "two_way":
        return (f'<path d="M{cx:.1f} {cy - 6:.1f} L{cx + 6:.1f} {cy:.1f} L{cx:.1f} {cy + 6:.1f} '
                f'L{cx - 6:.1f} {cy:.1f} Z" fill="{colour}" stroke="#ffffff" stroke-width="1"/>')
    if style == "one_way":
        return (f'<path d="M{cx - 5:.1f} {cy - 5.5:.1f} L{cx + 6:.1f} {cy:.1f} L{cx - 5:.1f} {cy + 5.5:.1f} Z" '
                f'fill="{colour}" stroke="#ffffff" stroke-width="1"/>')
    if style == "public":
        return f'<circle cx="{cx:.1f}" cy="{cy:.1f}" r="4.5" fill="#ffffff" stroke="{colour}" stroke-width="2"/>'
    return (f'<rect x="{cx - 4.5:.1f}" y="{cy - 4.5:.1f}" width="9" height="9" fill="{colour}" '
            f'stroke="#ffffff" stroke-width="1"/>')


def timeline_svg(lanes: list[Lane], marks: list[Mark], title: str, svg_id: str,
                 window: tuple[date, date] | None = None) -> Markup:
    """A timeline of the marks on the lanes: over `window` on a linear scale (a decision's
    timeline), or over all the marks on the dense scale (the overview)."""
    if not marks:
        return Markup("")
    x0, x1 = LABEL_W, WIDTH - RIGHT
    key = f"k{crc32(svg_id.encode()):08x}"  # a short, page-unique prefix for the shapes' ids
    if window is not None:
        first, last = window[0], window[1] + timedelta(days=1)
        scale = linear_scale(first, last, x0, x1)
        ticks = _day_ticks(first, last, scale)
    else:
        scale, first, last = dense_scale(marks, x0, x1)
        ticks = _ticks(first, last, scale, 0)

    def clamp(d: date) -> float:
        return min(max(scale(d), x0), x1)

    decisions = sorted((m for m in marks if m.style == "decision"), key=lambda m: (m.start, m.end, m.id))
    spans = []
    for m in decisions:
        label = f"D{m.number}"
        lx = min(clamp(m.start), WIDTH - text_width(label) - 2)  # a label near the end stays on the chart
        spans.append((lx, lx + text_width(label)))
    order = sorted(range(len(spans)), key=lambda i: spans[i])
    rows_sorted = place_labels([spans[i] for i in order])
    label_row = {order[k]: r for k, r in enumerate(rows_sorted)}
    top = LABEL_ROW_H * (max(label_row.values(), default=0) + 1) + 8
    # a tall decision timeline shows its dates above the lanes too (its bottom axis is off the screen)
    top_axis = window is not None and len(lanes) >= TOP_AXIS_LANES
    tick_row = top + 6
    if top_axis:
        top += TOP_AXIS_H

    groups = list(dict.fromkeys(lane.group for lane in lanes))
    lane_y: dict[str, float] = {}
    rows_svg, y = [], top
    for group in groups:
        if group:
            rows_svg.append(f'<text class="group-label" x="4" y="{y + 13:.1f}" font-weight="700">'
                            f'{escape(fit(group, WIDTH - 8))}</text>')
            y += GROUP_H
        for n, lane in enumerate(x for x in lanes if x.group == group):
            if n % 2 == 0:
                rows_svg.append(f'<rect class="lane" x="0" y="{y:.1f}" width="{WIDTH}" height="{LANE_H}" '
                                f'fill="#f6f8fa"/>')
            rows_svg.append(f'<text class="lane-label" x="{LABEL_W - 8}" y="{y + 13:.1f}" text-anchor="end">'
                            f'<title>{escape(lane.label)}</title>{escape(fit(lane.label, LABEL_W - 20))}</text>')
            lane_y[lane.id] = y + LANE_H / 2
            y += LANE_H
    axis_y = y
    height = axis_y + AXIS_H

    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" id="{escape(svg_id)}" '
           f'viewBox="0 0 {WIDTH} {height:.0f}" width="{WIDTH}" aria-labelledby="{escape(svg_id)}-title" '
           f'font-family="sans-serif" font-size="{FONT}">',
           f'<title id="{escape(svg_id)}-title">{escape(title)}</title>', _defs(key), *rows_svg,
           f'<line class="axis" x1="{x0}" y1="{axis_y:.1f}" x2="{x1}" y2="{axis_y:.1f}" stroke="#1b1f24"/>']
    for d, label in ticks:
        tx = scale(d)
        out.append(f'<line class="tick" x1="{tx:.1f}" y1="{top:.1f}" x2="{tx:.1f}" y2="{axis_y + 4:.1f}" '
                   f'stroke="#d0d7de"/>')
        out.append(f'<text class="tick-label" x="{tx:.1f}" y="{axis_y + 16:.1f}" fill="#57606a">{escape(label)}</text>')
        if top_axis:
            out.append(f'<text class="tick-label" x="{tx:.1f}" y="{tick_row:.1f}" fill="#57606a">{escape(label)}</text>')
    last_year_x = -1e9
    for year in range(first.year, last.year + 1):  # a second row: the year where each begins
        d = max(date(year, 1, 1), first)
        yx = scale(d)
        if d <= last and yx >= last_year_x and yx + text_width(str(year)) <= WIDTH:
            out.append(f'<text class="year-label" x="{yx:.1f}" y="{axis_y + 30:.1f}" fill="#1b1f24" '
                       f'font-weight="700">{year}</text>')
            last_year_x = yx + text_width(str(year)) + 6
    for i, m in enumerate(decisions):
        a, b = clamp(m.start), clamp(m.end + timedelta(days=1))
        ly = LABEL_ROW_H * (label_row[i] + 1)
        out.append(f'<g class="decision"><title>D{m.number}: {escape(m.label)}</title>'
                   f'<rect x="{a:.1f}" y="{top - 4:.1f}" width="{max(b - a, 2):.1f}" height="{axis_y - top + 4:.1f}" '
                   f'fill="#0a3069" fill-opacity=".15" stroke="#0a3069" stroke-width="1"/>'
                   f'<text class="decision-label" x="{spans[i][0]:.1f}" y="{ly:.1f}" fill="#0a3069" font-weight="700">'
                   f'D{m.number}</text></g>')
    for m in sorted((m for m in marks if m.style != "decision"), key=lambda m: (m.start, m.end, m.id)):
        a, b = clamp(m.start), clamp(m.end + timedelta(days=1))
        shapes, bars = [], []
        for lane in m.lanes:  # one group per contact, however many lanes it reaches: one tooltip
            if lane not in lane_y:
                continue
            cy = lane_y[lane]
            if m.start != m.end:
                bars.append(f"M{a:.1f} {cy - 1:.1f}h{max(b - a, 3):.1f}v2h-{max(b - a, 3):.1f}z")
            shapes.append(f'<use href="#{key}-{m.style}" x="{(a + b) / 2:.1f}" y="{cy:.1f}"/>')
        if shapes:
            bar = (f'<path class="span" d="{"".join(bars)}" fill="{STYLES[m.style][1]}" fill-opacity=".3"/>'
                   if bars else "")
            out.append(f'<g class="comm {m.style}"><title>{escape(m.label)}</title>{bar}{"".join(shapes)}</g>')
    out.append("</svg>")
    return Markup("\n".join(out))


def legend() -> list[dict]:
    """The marks' key: words and a small SVG of each shape, so print and screen show the same."""
    return [{"style": k, "words": w,
             "svg": Markup(f'<svg width="16" height="14" viewBox="0 0 16 14" aria-hidden="true">{_shape(k, 8, 7)}</svg>')}
            for k, (w, _) in STYLES.items()]


def style_of(kind: str, two_way: bool) -> str:
    if kind == "concern":
        return "concern"
    if kind == "public_statement":
        return "public"
    return "two_way" if two_way else "one_way"
