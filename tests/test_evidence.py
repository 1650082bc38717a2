"""Every quote in every bundled case occurs verbatim in its source, and every
record of a bundled case carries evidence with a locator."""

from __future__ import annotations

import pytest
from conftest import EXAMPLE, ZERO_TOLERANCE, require_oig_report

from coordgap import load_case
from coordgap.io.evidence import normalise, quotes_not_found, source_texts

CASES = [EXAMPLE, ZERO_TOLERANCE]


def test_normalise_forgives_only_space_and_typographic_quotes():
    assert normalise("\u201cto the  extent\npracticable\u201d") == '"to the extent practicable"'
    assert normalise("sounded fine") != normalise("sounded fine.")


def _texts_given(folder):
    """The example ships its source's text; the OIG report is not shipped, so it is given."""
    return {"oig-21-028": require_oig_report()} if folder == ZERO_TOLERANCE else {}


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_every_quote_is_verbatim(folder):
    given = _texts_given(folder)
    case = load_case(folder)
    texts = source_texts(case, folder, given)
    used_sources = {e.source for e in case.evidence}
    main = {s.id for s in case.meta.sources if s.path} | set(given)
    assert main and main <= set(texts), f"source text not found for {main - set(texts)}"
    assert used_sources <= set(texts), f"evidence cites sources without text: {used_sources - set(texts)}"
    missing = quotes_not_found(case, texts)
    assert not missing, f"{len(missing)} quote(s) not found verbatim: {missing[:20]}"


def test_a_changed_quote_is_caught():
    case = load_case(ZERO_TOLERANCE)
    texts = source_texts(case, ZERO_TOLERANCE, _texts_given(ZERO_TOLERANCE))
    first = case.evidence[0]
    altered = first.model_copy(update={"quote": first.quote.replace(" ", "  ").rstrip(".") + " indeed."})
    assert quotes_not_found(case.model_copy(update={"evidence": (altered,)}), texts) == [first.id]


@pytest.mark.parametrize("folder", CASES, ids=lambda p: p.name)
def test_every_record_carries_evidence_with_a_locator(folder):
    case = load_case(folder)
    kinds = ["stakeholders", "actors", "communications", "decisions", "flows", "interfaces", "procedures", "agreements"]
    bare = [f"{k}:{r.id}" for k in kinds for r in getattr(case, k) if not r.evidence]
    bare += [f"impact:{i.id}" for d in case.decisions for i in d.impacts if not i.evidence]
    assert not bare, f"records without evidence: {bare}"
    assert all(e.section.strip() and e.quote.strip() for e in case.evidence)
