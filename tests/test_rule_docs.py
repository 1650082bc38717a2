"""docs/rules/ is generated from the rule objects: a rule's page, statuses and the index table
cannot drift from the code."""

from __future__ import annotations

from pathlib import Path

from coordgap.render.rule_docs import render_rule_docs
from coordgap.rules import get_rulebook

ROOT = Path(__file__).resolve().parents[1]


def test_rule_docs_are_current():
    stale = [str(p.relative_to(ROOT)) for p, text in render_rule_docs(ROOT / "docs" / "rules").items()
             if not p.exists() or p.read_text(encoding="utf-8") != text]
    assert not stale, f"docs/rules is stale ({stale}): run `coordgap regenerate` and commit"


def test_every_status_is_on_its_page():
    for rule in get_rulebook("oig-21-028").rules:
        page = (ROOT / rule.doc).read_text(encoding="utf-8")
        for s in rule.statuses:
            assert f"| `{s.name}` | {s.severity.value} | {s.sentence} |" in page
