"""The page at a glance: an inline SVG heatmap of affected stakeholders x decisions.

One row per affected stakeholder, grouped under its department (the top of
its organisation tree) with the group's name as a heading row; one column per
decision, D1, D2, ... in date order (the report's key names them). A cell is
the stakeholder's worst status under that decision over all its impacts,
written as a letter (C consulted ... N none) on the status's colour
(palette.py); a cell whose impacts differ says so in its tooltip, and an
empty cell means the decision does not affect that stakeholder. Every text
is escaped here, so the result can be inserted into the HTML as is.
"""

from __future__ import annotations

from dataclasses import dataclass

from markupsafe import Markup, escape

from .palette import STATUS_FILL, STATUS_INK, STATUS_LETTER
from .text import shorten, status_words

CELL_W = 34
CELL_H = 20
LABEL_W = 420  # room for a district office's name (the chart is narrower than the page)
HEAD_H = 40
GROUP_H = 20
CHAR_W = 7.2  # a generous average width of a character at the 12px label font, for fitting labels
LABEL_CHARS = int((LABEL_W - 16) / CHAR_W)


@dataclass(frozen=True)
class HeatCell:
    status: str  # the worst status of the stakeholder's impacts under the decision
    tooltip: str
    href: str | None = None


@dataclass(frozen=True)
class HeatRow:
    id: str
    label: str
    group: str  # the department's name
    cells: dict  # decision id -> HeatCell


def fit(label: str, chars: int) -> str:
    return shorten(label, chars)


def heatmap_svg(rows: list[HeatRow], columns: list[tuple[str, str, str]], title: str) -> Markup:
    """columns: (decision id, short label such as 'D3', tooltip) in order."""
    if not rows or not columns:
        return Markup("")
    width = LABEL_W + CELL_W * len(columns) + 8
    groups = list(dict.fromkeys(r.group for r in rows))
    height = HEAD_H + CELL_H * len(rows) + GROUP_H * len(groups) + 6
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="heatmap" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" aria-labelledby="heatmap-title" font-family="sans-serif" font-size="12">',
           f'<title id="heatmap-title">{escape(title)}</title>']
    for n, (d_id, short, tip) in enumerate(columns):
        x = LABEL_W + CELL_W * n + CELL_W / 2
        out.append(f'<text class="col-label" x="{x:.1f}" y="{HEAD_H - 8}" text-anchor="middle" font-weight="700">'
                   f'<title>{escape(tip)}</title>{escape(short)}</text>')
    for n in range(len(columns) + 1):
        x = LABEL_W + CELL_W * n
        out.append(f'<line x1="{x}" y1="{HEAD_H}" x2="{x}" y2="{height - 6}" stroke="#d0d7de" stroke-width="0.5"/>')
    y = HEAD_H
    in_group: dict[str, list[HeatRow]] = {g: [] for g in groups}  # rows by group, once (not per group)
    for r in rows:
        in_group[r.group].append(r)
    column_of = {d_id: n for n, (d_id, _, _) in enumerate(columns)}
    for group in groups:
        out.append(f'<rect class="group" x="0" y="{y}" width="{width}" height="{GROUP_H}" fill="#eaeef2"/>')
        out.append(f'<text class="group-label" x="4" y="{y + 14}" font-weight="700">{escape(fit(group, 80))}</text>')
        y += GROUP_H
        for r in in_group[group]:
            out.append(f'<text class="row-label" x="{LABEL_W - 8}" y="{y + 14}" text-anchor="end">'
                       f'<title>{escape(r.label)}</title>{escape(fit(r.label, LABEL_CHARS))}</text>')
            # a row's own cells in column order (a column it is not affected by has no cell:
            # the column's grid lines show it empty), not a walk of every column
            for n in sorted(column_of[d] for d in r.cells if d in column_of):
                cell = r.cells[columns[n][0]]
                x = LABEL_W + CELL_W * n
                body = (f'<g class="cell st-{cell.status}"><title>{escape(cell.tooltip)}</title>'
                        f'<rect x="{x + 1}" y="{y + 1}" width="{CELL_W - 2}" height="{CELL_H - 2}" '
                        f'fill="{STATUS_FILL[cell.status]}" stroke="#57606a" stroke-width="0.5"/>'
                        f'<text x="{x + CELL_W / 2:.1f}" y="{y + 14}" text-anchor="middle" font-weight="700" '
                        f'fill="{STATUS_INK[cell.status]}">{STATUS_LETTER[cell.status]}</text></g>')
                if cell.href:
                    body = f'<a href="{escape(cell.href)}">{body}</a>'
                out.append(body)
            y += CELL_H
    out.append("</svg>")
    return Markup("\n".join(out))


def legend() -> list[dict]:
    """The heatmap's key: letter, words and colour of each status, best first."""
    return [{"status": s, "letter": STATUS_LETTER[s], "words": status_words(s)} for s in STATUS_FILL]
