"""One rule, two kinds of record: a proposal and the case that records the same facts get the
same rule outcomes, because `coordgap check` and `coordgap findings` run the same rule objects
on questions built by two adapters."""

from __future__ import annotations

from datetime import date

import pytest
from proposal_maps import variant, write_proposal

from coordgap.assess.case import case_questions
from coordgap.assess.proposal import proposal_questions
from coordgap.io.proposal import load_proposal
from coordgap.model.case import (
    Agreement,
    Case,
    CaseMeta,
    CommKind,
    Communication,
    Decision,
    Impact,
    Interface,
    Procedure,
    Source,
    Topic,
    Window,
)
from coordgap.model.dates import FuzzyDate
from coordgap.rules import get_rulebooks, run_rulebooks

LONG_AGO = FuzzyDate("2000-01-01")


def as_case(lp) -> Case:
    """The case that records what the proposal plans: the proposal as a decision with one impact
    per organisation and topic it reaches, each planned contact as a communication from the
    issuing office, and the interfaces, procedures and agreements it names."""
    p, pmap = lp.proposal, lp.reference
    q = proposal_questions(lp).questions
    impacts = tuple(Impact(id=f"{p.id}.{c.stakeholder}.{c.topic}", stakeholder=c.stakeholder, topic=c.topic,
                           description="reached through the process map", required_lead_days=c.required_lead_days)
                    for c in q.cells)
    decision = Decision(id=p.id, title=p.title, date=p.planned_issue_date, decided_by=p.issuing_office,
                        acting_for=p.acting_for, urged_by=p.urged_by, significant=p.significant,
                        summary="the proposal", impacts=impacts)
    comms = tuple(Communication(id=c.id or f"c-{i}", date=c.date, channel="meeting", kind=CommKind(c.kind.value),
                                sender=p.issuing_office, recipients=c.with_, topics=c.topics, decisions=(p.id,),
                                summary="planned")
                  for i, c in enumerate(p.consultations))
    interfaces = tuple(Interface(id=i.id, title=i.title, created_by=i.created_by, parties=i.parties, starts=i.starts)
                       for i in q.interfaces)
    procedures = tuple(Procedure(id=r.id, organisation=r.holders[0], title=r.title, interfaces=r.interfaces,
                                 in_effect=r.when or LONG_AGO) for r in q.procedures)
    agreements = tuple(Agreement(id=r.id, title=r.title, parties=r.holders, interfaces=r.interfaces,
                                 signed=r.when or LONG_AGO) for r in q.agreements)
    topics = tuple(Topic(id=t, description=t) for t in sorted({c.topic for c in q.cells}))
    meta = CaseMeta(id="as-case", title="The proposal as a case", window=Window(start=date(2000, 1, 1), end=date(2030, 1, 1)),
                    sources=(Source(id="s", title="the proposal"),), topics=topics)
    return Case(meta=meta, stakeholders=tuple(pmap.orgs.values()), decisions=(decision,), communications=comms,
                interfaces=interfaces, procedures=procedures, agreements=agreements)


def outcomes(run) -> set[tuple]:
    out = set()
    for f in run.findings:
        topic = f.impact.rsplit(".", 1)[-1] if f.impact else None
        out.add((f.rule, f.stakeholder, topic, f.interface, f.status, f.severity.value, f.lead_time_days,
                 f.required_lead_days, tuple((r.organisation, r.role.value) for r in f.responsible)))
    return out


def scope(run) -> set[tuple]:
    return {(code, n.subject, n.id, n.applies, n.within) for code, notes in run.scope.items() for n in notes}


GAPS = {
    "good": {},
    "gaps": {"consultations": "drop-two", "late": True},
    "not-significant": {"significant": False},
    "leadership": {"leadership": True},
}


@pytest.mark.parametrize("name", list(GAPS))
def test_a_proposal_and_its_case_get_the_same_rule_outcomes(tmp_path, name):
    data = variant()
    how = GAPS[name]
    if how.get("consultations"):
        data["consultations"] = data["consultations"][1:3]
        data["consultations"][1]["date"] = "2025-07-15"  # the court: less notice than its 90 days
        data["consultations"][0]["kind"] = "notification"  # child services only informed
    if how.get("late"):
        data["procedures"][1]["in_effect"] = "2025-10-01"
        data["agreements"][0]["parties"] = ["social", "health"]
    if "significant" in how:
        data["significant"] = how["significant"]
    if how.get("leadership"):
        data["consultations"][1]["with"] = ["social"]
    lp = load_proposal(write_proposal(tmp_path, data))
    books = get_rulebooks("oig-21-028")
    from_proposal = run_rulebooks(books, proposal_questions(lp).questions)
    from_case = run_rulebooks(books, case_questions(as_case(lp)))
    assert outcomes(from_proposal) == outcomes(from_case)
    assert scope(from_proposal) == scope(from_case)
    if name != "good":
        assert from_proposal.findings or any(not n.applies for _, n in from_proposal.outside)
