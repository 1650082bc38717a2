"""The report's and the accounting's indexed paths give what the plain walks they replace gave.

Performance work (issue #16) replaced walks of every communication, impact or column by
indexes built once; each index is checked here against the plain definition it replaces, on
the bundled cases and on generated input. Byte-identical bundled reports are test_generated's.
"""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from coordgap.assess.accounting import communication_links
from coordgap.io.bundled import bundled_case_path, bundled_cases
from coordgap.io.loader import load_case
from coordgap.render.report.text import _md_escape, md_escape


def _links_by_walking(case):
    """communication_links as first written: every impact of every decision, with its ancestors."""
    out = {}
    for c in case.communications:
        recipients = {case.org_of(r) for r in c.recipients}
        sender = case.org_of(c.sender)
        within = {sender, *case.ancestors(sender)}
        for r in recipients:
            within.update((r, *case.ancestors(r)))
        links = []
        for d_id in c.decisions:
            d = case.decision_index.get(d_id)
            for impact in d.impacts if d else ():
                s = impact.stakeholder
                if s in within or not recipients.isdisjoint(case.ancestors(s)):
                    links.append(impact.id)
        out[c.id] = links
    return out


@pytest.mark.parametrize("name", bundled_cases())
def test_communication_links_equal_the_walk(name):
    case = load_case(bundled_case_path(name))
    links = communication_links(case)
    assert links == _links_by_walking(case)
    assert sum(map(len, links.values())) > 0  # the cases do link contacts to impacts


# Characters that matter to Markdown escaping: markup, '@', ':', '.', '/', 'w', digits,
# spaces and other whitespace, controls, dashes and quotes.
_ALPHABET = "aAwWz09 .:/-_*`[]()<>#+!|~$&\\@,;'\"?%=\t\n\x1b\u2014\u201c\u201d\u200e"


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=_ALPHABET, max_size=24))
def test_md_escape_fast_path_equals_the_full_escape(text):
    assert md_escape(text) == _md_escape(text)


@pytest.mark.parametrize("text", ["Person p-12", "2018-04-06", "see www.example.gov", "a http://x.y",
                                  "1. first", "set the status of d-1.x.y", "A WWW.b", "x  y", "-x", "ok "])
def test_md_escape_examples(text):
    assert md_escape(text) == _md_escape(text)


# ---------------------------------------------------------------- Appendix C's rows without a loop
_MD_LOOPS = {
    "record_rows": ("{% for r in rows %}\n| {{ r.id|code }} | {{ r.category }} | {{ r.why }} |"
                    "{% for v in r.cells %} {{ v }} |{% endfor %}\n\n{% endfor %}\n"),
    "chronology_rows": ("{% for e in rows %}\n| {{ e.date }} | {{ e.kind }} | {{ e.id|code }} | {{ e.from }} | "
                        "{{ e.to }} | {{ e.topics }} | {{ e.decisions }} | {{ e.what }} |\n{% endfor %}\n"),
}
_HTML_LOOPS = {
    "record_rows": ("{% for r in rows %}\n<tr><td><code>{{ r.id }}</code></td><td>{{ r.category }}</td>"
                    "<td>{{ r.why }}</td>{% for v in r.cells %}<td>{{ v }}</td>{% endfor %}</tr>\n{% endfor %}\n"),
    "chronology_rows": ("{% for e in rows %}\n<tr><td>{{ e.date }}</td><td>{{ e.kind }}</td><td><code>{{ e.id }}"
                        "</code></td><td>{{ e.from }}</td><td>{{ e.to }}</td><td>{{ e.topics }}</td><td>"
                        "{{ e.decisions }}</td><td>{{ e.what }}</td></tr>\n{% endfor %}\n"),
}
_NASTY = ["plain", "a|b", "<b>&\"'", "x@example.gov", "www.example.gov", "1. first", "-x", "a\nb\tc",
          "http://x.y/z", "*_`#", "\x1b[2J", "", "“quoted” — dash"]


def _nasty_rows():
    records = [{"id": f"r-{n}", "category": v, "why": v[::-1], "cells": [v, v.upper(), str(n)]}
               for n, v in enumerate(_NASTY)]
    chronology = [{"date": "2018-04-06", "kind": v, "id": f"c-{n}", "from": v, "to": v, "topics": v,
                   "decisions": "D1", "what": v} for n, v in enumerate(_NASTY)]
    return records, chronology


def _context_rows(name):
    from coordgap.assess.case import assess
    from coordgap.render.report import build_context

    case = load_case(bundled_case_path(name))
    ctx = build_context(case, assess(case))
    return [r for t in ctx["records"] for r in t["rows"]], ctx["chronology"]


@pytest.mark.parametrize("source", ["nasty", *bundled_cases()])
def test_appendix_rows_equal_the_template_loops(source):
    from coordgap.render.report import _html_env, _md_env

    records, chronology = _nasty_rows() if source == "nasty" else _context_rows(source)
    assert records and chronology
    for env, loops in ((_md_env(), _MD_LOOPS), (_html_env(), _HTML_LOOPS)):
        for name, loop in loops.items():
            rows = records if name == "record_rows" else chronology
            by_loop = env.from_string(loop).render(rows=rows)
            by_filter = env.from_string("{{ rows|" + name + " -}}\n").render(rows=rows)
            assert by_filter == by_loop, name
