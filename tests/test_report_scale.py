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
