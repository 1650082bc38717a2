"""The long tables of Appendix C (every record, the chronology) as text, without a template loop.

A large case has hundreds of thousands of records, and a Jinja loop costs several
microseconds per cell; these filters write the same lines in one pass, escaping each
value exactly as the template would (Markdown: `md_escape` on every value, ids as code
spans; HTML: markupsafe's escape). The templates call them with `|record_rows` and
`|chronology_rows`; each line is one table row followed by a newline, as the loops they
replace wrote it, and test_report_scale checks both against a Jinja loop.
"""

from __future__ import annotations

from markupsafe import Markup, escape

from .text import MdLiteral, md_code, md_escape

_CHRONOLOGY = ("date", "kind", "id", "from", "to", "topics", "decisions", "what")


def record_rows_md(rows) -> MdLiteral:
    """`| id | accounted as | why | cells... |` per record."""
    esc = md_escape
    return MdLiteral("".join(
        f"| {md_code(r['id'])} | {esc(r['category'])} | {esc(r['why'])} |"
        + "".join(f" {esc(v)} |" for v in r["cells"]) + "\n"
        for r in rows))


def record_rows_html(rows) -> Markup:
    """`<tr><td><code>id</code></td>...</tr>` per record."""
    return Markup("".join(
        f"<tr><td><code>{escape(r['id'])}</code></td><td>{escape(r['category'])}</td><td>{escape(r['why'])}</td>"
        + "".join(f"<td>{escape(v)}</td>" for v in r["cells"]) + "</tr>\n"
        for r in rows))


def chronology_rows_md(entries) -> MdLiteral:
    esc = md_escape
    return MdLiteral("".join(
        f"| {esc(e['date'])} | {esc(e['kind'])} | {md_code(e['id'])} | {esc(e['from'])} | {esc(e['to'])} | "
        f"{esc(e['topics'])} | {esc(e['decisions'])} | {esc(e['what'])} |\n"
        for e in entries))


def chronology_rows_html(entries) -> Markup:
    return Markup("".join(
        f"<tr><td>{escape(e['date'])}</td><td>{escape(e['kind'])}</td><td><code>{escape(e['id'])}</code></td>"
        f"<td>{escape(e['from'])}</td><td>{escape(e['to'])}</td><td>{escape(e['topics'])}</td>"
        f"<td>{escape(e['decisions'])}</td><td>{escape(e['what'])}</td></tr>\n"
        for e in entries))


MD_FILTERS = {"record_rows": record_rows_md, "chronology_rows": chronology_rows_md}
HTML_FILTERS = {"record_rows": record_rows_html, "chronology_rows": chronology_rows_html}
