"""The plain-Python ladder (coordgap.engine.ladder, used by the pre-rollout check) agrees with
the DuckDB engine cell by cell: on both bundled cases and on random cases."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from test_engine_reference import cases

from coordgap import consultation_matrix, load_case
from coordgap.engine.ladder import Contact, ladder
from coordgap.model.case import TWO_WAY_KINDS, Case, Grade

ROOT = Path(__file__).resolve().parents[1]


def case_contacts(case: Case, decision, impact) -> list[Contact]:
    """The contacts of a case about a decision that cover an impact's topic (its own topics, or the
    decision's covered topics for a contact about its text), seen from its stakeholder
    (a stakeholder writing to others earns nothing: docs/methodology.md)."""
    s, tree = impact.stakeholder, case.tree
    out = []
    for c in case.communications:
        if decision.id not in c.decisions or impact.topic not in c.topics_for(decision):
            continue
        sender = case.org_of(c.sender)
        if tree.is_within(sender, s):
            continue
        recipients = [case.org_of(r) for r in c.recipients]
        grades = [case.evidence_index[e].grade if e in case.evidence_index else Grade.primary for e in c.evidence]
        out.append(Contact(
            id=c.id, date=c.date, from_side=any(tree.is_within(sender, case.org_of(o)) for o in decision.side),
            direct=any(tree.is_within(r, s) for r in recipients), two_way=c.kind in TWO_WAY_KINDS,
            above=tuple(r for r in recipients if r != s and tree.is_within(s, r)), disputed=c.dispute is not None,
            grade=min(grades, key=lambda g: g.rank) if grades else None))
    return out


def agree(case: Case) -> int:
    matrix = consultation_matrix(case)
    rows = {(r.decision, r.impact): r for r in matrix.itertuples(index=False)}
    n = 0
    for d in case.decisions:
        for i in d.impacts:
            rung = ladder(case_contacts(case, d, i), d.date, d.takes_effect, case.meta.minimum_grade)
            row = rows[(d.id, i.id)]
            lead = None if pd.isna(row.lead_time_days) else int(row.lead_time_days)
            assert (rung.status.value, rung.undisputed_status.value) == (row.status, row.undisputed_status), i.id
            assert tuple(sorted(c.id for c in rung.contacts)) == tuple(row.contacts), i.id
            assert rung.lead_time_days == lead, i.id
            at_least = None if pd.isna(row.lead_time_at_least) else bool(row.lead_time_at_least)
            assert rung.lead_time_at_least == at_least, i.id
            assert rung.timing_uncertain == bool(row.timing_uncertain), i.id
            grades = (rung.grade, rung.status_all_grades.value, rung.grade_all_grades)
            assert grades == (row.grade, row.status_all_grades, row.grade_all_grades), i.id
            n += 1
    return n


@pytest.mark.parametrize("name", ["example", "zero_tolerance"])
def test_ladder_agrees_with_the_engine_on_the_bundled_cases(name):
    assert agree(load_case(ROOT / "datasets" / name)) > 0


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cases())
def test_ladder_agrees_with_the_engine_on_random_cases(case):
    agree(case)
