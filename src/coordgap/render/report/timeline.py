"""The timeline of decisions and communications as an inline SVG.

One lane per affected stakeholder. A decision is a band across all lanes,
labelled D1, D2, ... in date order (the report lists the numbers); a communication is a dot on the lanes of the stakeholders it was
weighed for when its date is a single day, or a bar over the days it may
have happened on when the source gives it less precisely (a month, "early
March"), so an imprecise date is never drawn as a point. Every piece of
text is escaped here; the result is safe to insert into the HTML as is.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from markupsafe import Markup, escape

WIDTH = 960
LABEL_W = 250
LABEL_CHARS = 40  # longer lane names are shortened with "…"; the full name is in the lane's tooltip
RIGHT = 20
LANE_H = 22
TOP = 78  # room for four rows of decision labels
BOTTOM = 30


@dataclass(frozen=True)
class Lane:
    id: str
    label: str


@dataclass(frozen=True)
class Mark:
    """A decision (lanes empty: drawn across all) or a communication on some lanes."""

    id: str
    start: date
    end: date
    label: str  # the tooltip text
    style: str  # decision, two_way, one_way, concern
    lanes: tuple[str, ...] = ()


LEGEND = (
    ("decision", "decision"),
    ("two_way", "consultation (two-way)"),
    ("one_way", "notice, statement or answer (one-way)"),
    ("concern", "concern raised"),
)


def _f(x: float) -> str:
    return f"{x:.1f}"


def _month_ticks(start: date, end: date) -> list[date]:
    months = (end.year - start.year) * 12 + end.month - start.month + 1
    step = next(s for s in (1, 2, 3, 6, 12, 24, 60) if months / s <= 12)
    ticks, y, m = [], start.year, start.month
    while date(y, m, 1) <= end:
        if ((y * 12 + m - 1) % step) == 0 and date(y, m, 1) >= start:
            ticks.append(date(y, m, 1))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return ticks


def decision_order(marks: list[Mark]) -> list[Mark]:
    """Decisions by date: the chart labels them D1, D2, ... in this order."""
    return sorted((m for m in marks if m.style == "decision"), key=lambda m: (m.start, m.end, m.id))


def timeline_svg(lanes: list[Lane], marks: list[Mark], title: str) -> Markup:
    if not marks:
        return Markup("")
    first = min(m.start for m in marks).replace(day=1)
    last = max(m.end for m in marks) + timedelta(days=1)
    span = max((last - first).days, 1)
    plot_w = WIDTH - LABEL_W - RIGHT
    height = TOP + LANE_H * max(len(lanes), 1) + BOTTOM

    def x(d: date) -> float:
        return LABEL_W + plot_w * (d - first).days / span

    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="timeline" role="img" viewBox="0 0 {WIDTH} {height}" '
        f'width="100%" aria-labelledby="timeline-title">',
        f'<title id="timeline-title">{escape(title)}</title>',
    ]
    lane_y = {lane.id: TOP + LANE_H * n + LANE_H / 2 for n, lane in enumerate(lanes)}
    for n, lane in enumerate(lanes):
        y = TOP + LANE_H * n
        if n % 2 == 0:
            out.append(f'<rect class="lane" x="0" y="{_f(y)}" width="{WIDTH}" height="{LANE_H}"/>')
        short = lane.label if len(lane.label) <= LABEL_CHARS else lane.label[:LABEL_CHARS - 1].rstrip() + "…"
        out.append(f'<text class="lane-label" x="{LABEL_W - 8}" y="{_f(y + LANE_H / 2 + 4)}" '
                   f'text-anchor="end"><title>{escape(lane.label)}</title>{escape(short)}</text>')
    axis_y = TOP + LANE_H * len(lanes)
    out.append(f'<line class="axis" x1="{LABEL_W}" y1="{_f(axis_y)}" x2="{WIDTH - RIGHT}" y2="{_f(axis_y)}"/>')
    for t in _month_ticks(first, last):
        tx = x(t)
        out.append(f'<line class="tick" x1="{_f(tx)}" y1="{TOP - 6}" x2="{_f(tx)}" y2="{_f(axis_y + 4)}"/>')
        out.append(f'<text class="tick-label" x="{_f(tx)}" y="{_f(axis_y + 18)}" text-anchor="middle">'
                   f'{t:%Y-%m}</text>')
    for n, m in enumerate(decision_order(marks), start=1):
        x0, x1 = x(m.start), x(m.end + timedelta(days=1))
        label_y = 14 + 14 * ((n - 1) % 4)
        out.append(f'<g class="decision"><title>D{n}: {escape(m.label)}</title>')
        out.append(f'<rect class="decision-span" x="{_f(x0)}" y="{TOP - 6}" width="{_f(max(x1 - x0, 2))}" '
                   f'height="{_f(axis_y - TOP + 6)}"/>')
        out.append(f'<text class="decision-label" x="{_f(x0)}" y="{label_y}">D{n}</text></g>')
    for m in sorted((m for m in marks if m.style != "decision"), key=lambda m: (m.start, m.end, m.id)):
        x0, x1 = x(m.start), x(m.end + timedelta(days=1))
        for lane in m.lanes:
            if lane not in lane_y:
                continue
            y = lane_y[lane]
            out.append(f'<g class="comm {m.style}"><title>{escape(m.label)}</title>')
            if m.start == m.end:
                out.append(f'<circle cx="{_f((x0 + x1) / 2)}" cy="{_f(y)}" r="4.5"/></g>')
            else:
                out.append(f'<rect x="{_f(x0)}" y="{_f(y - 4)}" width="{_f(max(x1 - x0, 4))}" height="8" rx="3"/></g>')
    out.append("</svg>")
    return Markup("\n".join(out))
