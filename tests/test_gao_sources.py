"""Every phrase the GAO rules quote occurs in docs/sources/gao-23-105520.md (the passages read,
with their addresses), with the normalisation tests/test_evidence.py uses: runs of white space
count as one space, typographic quotes and apostrophes as their plain forms, nothing else."""

from __future__ import annotations

from conftest import ROOT

from coordgap.io.evidence import normalise
from coordgap.rules import get_rulebook
from coordgap.rules.gao_23_105520 import PRACTICES
from coordgap.rules.gao_common import NOT_FOUND, SOURCE_FILE

SOURCE = ROOT / SOURCE_FILE


def _text() -> str:
    return normalise(SOURCE.read_text(encoding="utf-8"))


def test_every_quoted_phrase_is_in_the_source_file():
    text = _text()
    quotes = [q for p in PRACTICES.values() for q in p.quotes()]
    assert len(quotes) >= 8 + 8  # at least a name and one passage of GAO's text per practice
    missing = [(q.locator, q.text) for q in quotes if normalise(q.text) not in text]
    assert not missing, missing


def test_each_rule_quotes_its_practice_name_as_its_recommendation():
    for rule in get_rulebook("gao-23-105520").rules:
        assert rule.recommendation is PRACTICES[rule.code].name


def test_a_changed_quote_is_caught():
    text = _text()
    name = PRACTICES["GAO-LP6"].name.text
    assert normalise(name) in text
    assert normalise(name.replace("Relevant", "All")) not in text
    assert normalise("GAO's leading practices for collaboration") in text  # the file has a typographic apostrophe


def test_the_source_file_says_where_each_passage_came_from_and_what_was_not_found():
    raw = SOURCE.read_text(encoding="utf-8")
    for address in ("https://prod.drupal.gaotest.org/products/gao-23-105520",
                    "https://gao.gov/key_issues/leading_practices_collaboration/issue_summary",
                    "https://thesimonscenter.org/ia-news/gao-reports-on-interagency-collaboration/",
                    "https://www.gao.gov/products/gao-14-220"):
        assert address in raw
    assert "could not be read" in raw
    assert "key considerations" in NOT_FOUND and "None is quoted or paraphrased here" in NOT_FOUND


def test_cross_check_quotes_are_labelled_as_the_2012_wording():
    for code, practice in PRACTICES.items():
        for q in practice.cross_check:
            assert q.source == "gao-14-220", code
